// End-to-end test: the official OpenTelemetry JS SDK (from npm) sends one
// multi-service trace per transport to a real `rubato serve`, and Tempo's
// trace-by-ID API must give every field back exactly, as JSON (v1 and v2) and
// as protobuf (v1 and v2).
//
// Usage: node e2e.mjs <path-to-rubato>     (normally through ./run-e2e)
//
// Exit status 0 when everything matched; otherwise 1, after printing every
// difference (path, expected, got) and the server's log.
//
// The expected answers are built from the same description of the trace that
// drives the SDK (traceSpec below) and from the SDK's documented behaviour
// (limits, status messages, span flags), never from the server's answers.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  SamplingDecision,
  DiagLogLevel,
  createTraceState,
  diag,
  trace,
  ROOT_CONTEXT,
} from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import protobuf from 'protobufjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../..');
const PROTO_DIR = path.join(REPO, 'proto');

// ------------------------------------------------------------------ reporting
const failures = [];
let checks = 0;
function fail(label, details) {
  failures.push({ label, details: Array.isArray(details) ? details : [String(details)] });
}
function check(label, cond, detail) {
  checks++;
  if (!cond) fail(label, detail ?? 'condition is false');
}
const show = v => (v === undefined ? '(absent)' : JSON.stringify(v));

// Every difference between two JSON-like values, as "path: expected X, got Y".
function diff(expected, actual, p = '$', out = []) {
  if (out.length >= 40) return out;
  const kind = v => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(expected) !== kind(actual)) {
    out.push(`${p}: expected ${show(expected)}, got ${show(actual)}`);
    return out;
  }
  if (kind(expected) === 'array') {
    if (expected.length !== actual.length) {
      out.push(`${p}: expected ${expected.length} elements, got ${actual.length}`);
    }
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) diff(expected[i], actual[i], `${p}[${i}]`, out);
    return out;
  }
  if (kind(expected) === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) {
      if (!(k in actual)) out.push(`${p}.${k}: expected ${show(expected[k])}, got (absent)`);
      else if (!(k in expected)) out.push(`${p}.${k}: expected (absent), got ${show(actual[k])}`);
      else diff(expected[k], actual[k], `${p}.${k}`, out);
    }
    return out;
  }
  if (!Object.is(expected, actual)) out.push(`${p}: expected ${show(expected)}, got ${show(actual)}`);
  return out;
}
function checkEqual(label, expected, actual) {
  checks++;
  const d = diff(expected, actual);
  if (d.length) fail(label, d);
}

// ----------------------------------------------------------------- the trace
const T0 = 1700000000; // seconds; every time is the HrTime [T0 + s, ns]
const at = (s, ns) => [T0 + s, ns];
const nanos = ([s, ns]) => (BigInt(s) * 1000000000n + BigInt(ns)).toString();

const RESOURCES = {
  order: {
    attributes: {
      'service.name': 'order-service',
      'service.version': '3.1.4',
      'service.namespace': 'shop',
      'service.instance.id': 'order-7f9c',
      'deployment.environment.name': 'e2e',
      'host.cpu.count': 2,
    },
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  },
  inventory: {
    attributes: {
      'service.name': 'inventory-service',
      'service.version': '0.9.0-rc.1',
      'service.namespace': 'shop',
      'host.arch': 'amd64',
      'process.pid': 4242,
      'inventory.replica': true,
    },
    // Small limits, so that every dropped_* count is exercised (see the 'cache' span).
    spanLimits: {
      attributeCountLimit: 6,
      eventCountLimit: 2,
      linkCountLimit: 1,
      attributePerEventCountLimit: 2,
      attributePerLinkCountLimit: 1,
    },
  },
};

const ROOT_TRACE_STATE = 'vendor=value';
const EXTERNAL = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
};

// An exception with a fixed stack, so that exception.stacktrace is known.
function fixedError(name, message) {
  const err = new Error(message);
  err.name = name;
  err.stack = `${name}: ${message}\n    at reserve (inventory-client.js:42:7)\n    at checkout (checkout.js:17:3)`;
  return err;
}

// One multi-service trace. Spans are started in this order (parents first)
// and ended in reverse order. `parent.remote` means the parent arrived over
// the wire (inventory-service's spans): its context is rebuilt with
// isRemote: true, as a propagator would, optionally with its own trace state.
function traceSpec(variant) {
  const v = variant.toString(16).padStart(2, '0');
  const traceId = variant === 0 ? '00000000000000004bf92f3577b34da6' : `4bf92f3577b34da6a3ce929d0e0e47${v}`;
  const sid = role => `${v}${role}`; // 16 hex digits
  return {
    traceId,
    spans: [
      {
        key: 'root',
        spanId: sid('c0ffee00000001'),
        resource: 'order',
        scope: { name: 'order-http', version: '1.4.0' },
        name: 'POST /checkout',
        kind: SpanKind.SERVER,
        start: at(0, 100000000),
        end: at(1, 500000000),
        attributes: {
          'http.request.method': 'POST',
          'http.route': '/checkout',
          'attr.string': 'hello',
          'attr.empty_string': '',
          'attr.unicode': 'h\u00e9llo w\u00f6rld \u2713 \u{1F680} "quoted" \\ <tag> &amp;\n\ttab',
          'attr.bool_true': true,
          'attr.bool_false': false,
          'attr.int': 42,
          'attr.zero': 0,
          'attr.negative_int': -7,
          'attr.max_safe_int': Number.MAX_SAFE_INTEGER,
          'attr.min_safe_int': Number.MIN_SAFE_INTEGER,
          'attr.pow2_62': 2 ** 62,
          'attr.double': 3.25,
          'attr.negative_double': -0.5,
          'attr.tiny_double': 1.5e-7,
          'attr.pi': Math.PI,
          'attr.whole_double': 2.0, // the JS exporters send integral numbers as intValue
          'attr.string_array': ['a', 'b', ''],
          'attr.int_array': [1, -2, 3],
          'attr.double_array': [0.5, -1.25],
          'attr.mixed_number_array': [1, 2.5, -3],
          'attr.bool_array': [true, false, true],
          'attr.empty_array': [],
          'attr.array_with_null': ['x', null, 'z'],
        },
        setAttributes: { 'http.response.status_code': 201 },
        events: [
          {
            name: 'cart.validated',
            attributes: { 'cart.items': 3, 'cart.total': 99.95, 'cart.currency': 'EUR', 'cart.express': true },
            time: at(0, 150000000),
          },
          { name: 'checkout.started', time: at(0, 160000000) },
        ],
        status: { code: SpanStatusCode.OK },
      },
      {
        key: 'db',
        spanId: sid('d8000000000002'),
        parent: { span: 'root' },
        resource: 'order',
        scope: { name: 'order-db', schemaUrl: 'https://opentelemetry.io/schemas/1.24.0' }, // no version
        name: 'SELECT shop.orders',
        kind: SpanKind.CLIENT,
        start: at(0, 110000000),
        end: at(0, 190000000),
        attributes: {
          'db.system.name': 'postgresql',
          'db.query.text': 'SELECT * FROM orders WHERE id = $1',
          'db.response.returned_rows': 1,
        },
      },
      {
        key: 'client',
        spanId: sid('c1000000000003'),
        parent: { span: 'root' },
        resource: 'order',
        scope: { name: 'order-http', version: '1.4.0' },
        name: 'POST inventory/reserve',
        kind: SpanKind.CLIENT,
        start: at(0, 200000000),
        end: at(0, 800000000),
        attributes: {
          'http.request.method': 'POST',
          'server.address': 'inventory.internal',
          'server.port': 8080,
          'url.full': 'http://inventory.internal:8080/reserve?sku=A-1&qty=2',
        },
        exception: { error: fixedError('InventoryError', 'inventory unavailable'), time: at(0, 790000000) },
        status: { code: SpanStatusCode.ERROR, message: 'inventory unavailable: HTTP 503' },
      },
      {
        key: 'server',
        spanId: sid('5e000000000004'),
        parent: { span: 'client', remote: true },
        resource: 'inventory',
        scope: { name: 'inventory-rpc', version: '2.0.0' },
        name: 'Inventory/Reserve',
        kind: SpanKind.SERVER,
        start: at(0, 300000000),
        end: at(0, 700000000),
        attributes: { 'rpc.system': 'grpc', 'rpc.service': 'Inventory', 'rpc.method': 'Reserve' },
        status: { code: SpanStatusCode.ERROR, message: 'out of stock: sku A-1' },
      },
      {
        key: 'cache',
        spanId: sid('ca000000000005'),
        parent: { span: 'server' },
        resource: 'inventory',
        scope: { name: 'inventory-cache', version: '1.0.0' },
        name: 'cache lookup',
        kind: SpanKind.INTERNAL,
        start: at(0, 310000000),
        end: at(0, 320500000),
        // 8 attributes, limit 6: the last two are dropped.
        attributes: {
          'cache.key': 'sku:A-1',
          'cache.hit': false,
          'cache.ttl_s': 30,
          'cache.load': 0.75,
          'cache.tags': ['hot', 'eu'],
          'cache.shards': [1, 2],
          'cache.dropped_1': 'x',
          'cache.dropped_2': 'y',
        },
        // 3 events, limit 2: the oldest is dropped; 3 attributes each, limit 2.
        events: [
          { name: 'lookup.begin', attributes: { a: 1, b: 2, c: 3 }, time: at(0, 311000000) },
          { name: 'lookup.miss', attributes: { 'miss.reason': 'expired', 'miss.age_s': 31.5, dropped: 'x' }, time: at(0, 312000000) },
          { name: 'lookup.end', time: at(0, 320000000) },
        ],
        // 2 links, limit 1: the first is dropped; the kept one has 2 attributes, limit 1.
        links: [
          { to: 'external', attributes: { 'link.kind': 'dropped' } },
          { to: 'db', attributes: { 'link.reason': 'same-trace', 'link.dropped': true } },
        ],
      },
      {
        key: 'publish',
        spanId: sid('9b000000000006'),
        parent: { span: 'root' },
        resource: 'order',
        scope: { name: 'order-messaging', version: '0.9.0' },
        name: 'orders publish',
        kind: SpanKind.PRODUCER,
        start: at(1, 0),
        end: at(1, 250000000),
        attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' },
        links: [
          {
            to: 'external',
            attributes: { 'link.reason': 'fan-in', 'link.index': 1, 'link.weight': 0.5, 'link.sampled': true },
          },
          { to: 'db' }, // a local span of the same trace, no attributes
        ],
      },
      {
        key: 'consume',
        spanId: sid('c0000000000007'),
        parent: { span: 'publish', remote: true, traceState: 'inventory=1,vendor=value' },
        resource: 'inventory',
        scope: { name: 'order-messaging', version: '0.9.0' }, // same scope name, other resource
        name: 'orders process',
        kind: SpanKind.CONSUMER,
        start: at(1, 300000000),
        end: at(1, 450000000),
        attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'process' },
        status: { code: SpanStatusCode.OK },
      },
    ],
  };
}

// ---------------------------------------------------------- sending (the SDK)
class FixedIdGenerator {
  constructor() {
    this.traceId = undefined;
    this.nextSpanId = undefined;
  }
  generateTraceId() {
    if (!this.traceId) throw new Error('FixedIdGenerator: no trace id set');
    return this.traceId;
  }
  generateSpanId() {
    const id = this.nextSpanId;
    if (!id) throw new Error('FixedIdGenerator: no span id set');
    this.nextSpanId = undefined;
    return id;
  }
}

// Always samples; a root span gets trace state ROOT_TRACE_STATE, children inherit their parent's.
class RootTraceStateSampler {
  shouldSample(ctx) {
    return trace.getSpanContext(ctx)
      ? { decision: SamplingDecision.RECORD_AND_SAMPLED }
      : { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: createTraceState(ROOT_TRACE_STATE) };
  }
  toString() {
    return 'RootTraceStateSampler';
  }
}

// Records what each export call returned, so a failed export is never silent.
class RecordingExporter {
  constructor(inner) {
    this.inner = inner;
    this.calls = [];
  }
  export(spans, done) {
    const call = { spans: spans.length, result: undefined };
    this.calls.push(call);
    this.inner.export(spans, result => {
      call.result = result;
      done(result);
    });
  }
  forceFlush() {
    return this.inner.forceFlush ? this.inner.forceFlush() : Promise.resolve();
  }
  shutdown() {
    return this.inner.shutdown();
  }
}

function resourceOf(key) {
  const r = RESOURCES[key];
  return defaultResource().merge(resourceFromAttributes(r.attributes, r.schemaUrl ? { schemaUrl: r.schemaUrl } : undefined));
}

// Sends the trace through `makeExporter()`: one TracerProvider (and exporter)
// per service, as two separate processes would. Returns the SDK's Resource
// objects (the expected resources are read from them).
async function sendTrace(spec, makeExporter, label) {
  const ids = new FixedIdGenerator();
  ids.traceId = spec.traceId;
  const providers = {};
  const exporters = {};
  const resources = {};
  for (const key of Object.keys(RESOURCES)) {
    exporters[key] = new RecordingExporter(makeExporter());
    resources[key] = resourceOf(key);
    providers[key] = new BasicTracerProvider({
      resource: resources[key],
      idGenerator: ids,
      sampler: new RootTraceStateSampler(),
      spanLimits: RESOURCES[key].spanLimits,
      spanProcessors: [
        new BatchSpanProcessor(exporters[key], {
          maxExportBatchSize: 512,
          maxQueueSize: 2048,
          scheduledDelayMillis: 60000,
          exportTimeoutMillis: 20000,
        }),
      ],
    });
  }

  const started = {};
  const contextOf = s => {
    if (!s.parent) return ROOT_CONTEXT;
    const parent = started[s.parent.span].spanContext();
    if (!s.parent.remote) return trace.setSpan(ROOT_CONTEXT, started[s.parent.span]);
    return trace.setSpanContext(ROOT_CONTEXT, {
      traceId: parent.traceId,
      spanId: parent.spanId,
      traceFlags: parent.traceFlags,
      isRemote: true,
      traceState: s.parent.traceState ? createTraceState(s.parent.traceState) : parent.traceState,
    });
  };
  const linkContext = to =>
    to === 'external'
      ? {
          traceId: EXTERNAL.traceId,
          spanId: EXTERNAL.spanId,
          traceFlags: TraceFlags.SAMPLED,
          isRemote: true,
          traceState: createTraceState(EXTERNAL.traceState),
        }
      : started[to].spanContext();

  for (const s of spec.spans) {
    const tracer = providers[s.resource].getTracer(
      s.scope.name,
      s.scope.version,
      s.scope.schemaUrl ? { schemaUrl: s.scope.schemaUrl } : undefined
    );
    ids.nextSpanId = s.spanId;
    const span = tracer.startSpan(
      s.name,
      {
        kind: s.kind,
        startTime: s.start,
        attributes: s.attributes,
        links: (s.links ?? []).map(l => ({ context: linkContext(l.to), attributes: l.attributes })),
      },
      contextOf(s)
    );
    if (span.spanContext().spanId !== s.spanId) throw new Error(`${label}: span ${s.key} got id ${span.spanContext().spanId}`);
    for (const [k, val] of Object.entries(s.setAttributes ?? {})) span.setAttribute(k, val);
    for (const e of s.events ?? []) {
      if (e.attributes) span.addEvent(e.name, e.attributes, e.time);
      else span.addEvent(e.name, e.time);
    }
    if (s.exception) span.recordException(s.exception.error, s.exception.time);
    if (s.status) span.setStatus(s.status);
    started[s.key] = span;
  }
  for (const s of [...spec.spans].reverse()) started[s.key].end(s.end);

  // One export request per service, order-service first.
  for (const key of Object.keys(RESOURCES)) {
    try {
      await providers[key].forceFlush();
    } catch (err) {
      fail(`${label}: forceFlush(${key})`, String(err?.message ?? err));
    }
  }
  for (const key of Object.keys(RESOURCES)) await providers[key].shutdown();

  for (const key of Object.keys(RESOURCES)) {
    const calls = exporters[key].calls;
    const want = spec.spans.filter(s => s.resource === key).length;
    check(
      `${label}: ${key} exporter`,
      calls.length === 1 && calls[0].spans === want && calls[0].result?.code === 0,
      `expected one successful export of ${want} spans, got ${JSON.stringify(
        calls.map(c => ({ spans: c.spans, code: c.result?.code, error: c.result?.error?.message }))
      )}`
    );
  }
  return resources;
}

// ------------------------------------------------- expected answers (Tempo's)
const b64 = hex => Buffer.from(hex, 'hex').toString('base64');
const KIND_NAME = {
  [SpanKind.INTERNAL]: 'SPAN_KIND_INTERNAL',
  [SpanKind.SERVER]: 'SPAN_KIND_SERVER',
  [SpanKind.CLIENT]: 'SPAN_KIND_CLIENT',
  [SpanKind.PRODUCER]: 'SPAN_KIND_PRODUCER',
  [SpanKind.CONSUMER]: 'SPAN_KIND_CONSUMER',
};
const FLAG_SAMPLED = 0x01;
const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

// The integer an OTLP exporter puts on the wire for an integral JS number:
// protobuf carries the exact int64 value; OTLP/JSON carries JSON.stringify's
// text, which for integers past 2^53 is the shortest round-trip form, not
// the exact value (2 ** 62 is sent as 4611686018427388000).
function wireInt(v, wire) {
  if (wire === 'json') {
    const text = JSON.stringify(v);
    if (!/^-?\d+$/.test(text)) throw new Error(`JSON sends ${v} as ${text}, not an integer`);
    return BigInt(text).toString();
  }
  return BigInt(v).toString();
}
// A JS attribute value as Tempo's JSON AnyValue: int64 as a decimal string,
// doubles as numbers, null array elements as an empty AnyValue.
function anyValue(v, wire) {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: wireInt(v, wire) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: v.length ? { values: v.map(x => anyValue(x, wire)) } : {} };
  if (v == null) return {};
  throw new Error(`no AnyValue for ${typeof v}`);
}
function keyValues(attrs, wire) {
  return Object.entries(attrs)
    .filter(([, v]) => v != null)
    .map(([key, v]) => ({ key, value: anyValue(v, wire) }));
}
// The SDK keeps the first `limit` attributes and counts the rest as dropped.
function limited(attrs, limit, wire) {
  const all = Object.entries(attrs ?? {}).filter(([, v]) => v != null);
  const keep = limit === undefined ? all : all.slice(0, limit);
  return { attributes: keyValues(Object.fromEntries(keep), wire), dropped: all.length - keep.length };
}
// The SDK keeps the newest `limit` events / links and counts the rest as dropped.
function newest(list, limit) {
  const keep = limit === undefined ? list : list.slice(Math.max(0, list.length - limit));
  return { kept: keep, dropped: list.length - keep.length };
}
const put = (o, k, v) => {
  if (v !== undefined && v !== '' && v !== 0 && !(Array.isArray(v) && v.length === 0)) o[k] = v;
  return o;
};

// The span's trace state: the sampler's for a root span, else the parent's
// (a remote parent's own trace state when it carries one).
function traceStateOf(spec, s) {
  if (!s.parent) return createTraceState(ROOT_TRACE_STATE).serialize();
  if (s.parent.traceState) return createTraceState(s.parent.traceState).serialize();
  return traceStateOf(spec, spec.spans.find(p => p.key === s.parent.span));
}

function expectedSpan(spec, s, wire) {
  const limits = RESOURCES[s.resource].spanLimits ?? {};
  const o = {};
  put(o, 'traceId', b64(spec.traceId));
  put(o, 'spanId', b64(s.spanId));
  put(o, 'traceState', traceStateOf(spec, s));
  if (s.parent) put(o, 'parentSpanId', b64(spec.spans.find(p => p.key === s.parent.span).spanId));
  put(o, 'flags', FLAG_SAMPLED | FLAG_HAS_IS_REMOTE | (s.parent?.remote ? FLAG_IS_REMOTE : 0));
  put(o, 'name', s.name);
  put(o, 'kind', KIND_NAME[s.kind]);
  put(o, 'startTimeUnixNano', nanos(s.start));
  put(o, 'endTimeUnixNano', nanos(s.end));
  const attrs = limited({ ...s.attributes, ...s.setAttributes }, limits.attributeCountLimit, wire);
  put(o, 'attributes', attrs.attributes);
  put(o, 'droppedAttributesCount', attrs.dropped);

  const events = (s.events ?? []).map(e => ({ ...e }));
  if (s.exception) {
    const err = s.exception.error;
    events.push({
      name: 'exception',
      attributes: { 'exception.type': err.name, 'exception.message': err.message, 'exception.stacktrace': err.stack },
      time: s.exception.time,
    });
  }
  const ev = newest(events, limits.eventCountLimit);
  put(
    o,
    'events',
    ev.kept.map(e => {
      const a = limited(e.attributes, limits.attributePerEventCountLimit, wire);
      const out = {};
      put(out, 'timeUnixNano', nanos(e.time));
      put(out, 'name', e.name);
      put(out, 'attributes', a.attributes);
      put(out, 'droppedAttributesCount', a.dropped);
      return out;
    })
  );
  put(o, 'droppedEventsCount', ev.dropped);

  const lk = newest(s.links ?? [], limits.linkCountLimit);
  put(
    o,
    'links',
    lk.kept.map(l => {
      const a = limited(l.attributes, limits.attributePerLinkCountLimit, wire);
      const out = {};
      if (l.to === 'external') {
        put(out, 'traceId', b64(EXTERNAL.traceId));
        put(out, 'spanId', b64(EXTERNAL.spanId));
        put(out, 'traceState', createTraceState(EXTERNAL.traceState).serialize());
      } else {
        const target = spec.spans.find(p => p.key === l.to);
        put(out, 'traceId', b64(spec.traceId));
        put(out, 'spanId', b64(target.spanId));
        put(out, 'traceState', traceStateOf(spec, target));
      }
      put(out, 'attributes', a.attributes);
      put(out, 'droppedAttributesCount', a.dropped);
      // The link's own context: external ones are remote, local spans are not.
      put(out, 'flags', FLAG_SAMPLED | FLAG_HAS_IS_REMOTE | (l.to === 'external' ? FLAG_IS_REMOTE : 0));
      return out;
    })
  );
  put(o, 'droppedLinksCount', lk.dropped);

  // Tempo always writes status; the SDK keeps a message only with ERROR.
  const status = {};
  if (s.status?.code === SpanStatusCode.ERROR) put(status, 'message', s.status.message);
  if (s.status?.code === SpanStatusCode.OK) status.code = 'STATUS_CODE_OK';
  if (s.status?.code === SpanStatusCode.ERROR) status.code = 'STATUS_CODE_ERROR';
  o.status = status;
  return o;
}

// The Tempo form of the whole trace: one ResourceSpans per service, one
// ScopeSpans per (name, version, schemaUrl), in canonical order.
function expectedResourceSpans(spec, sdkResources, wire) {
  const out = [];
  for (const key of Object.keys(RESOURCES)) {
    const res = sdkResources[key];
    const scopes = new Map();
    for (const s of spec.spans.filter(x => x.resource === key)) {
      const id = `${s.scope.name}@${s.scope.version ?? ''}:${s.scope.schemaUrl ?? ''}`;
      if (!scopes.has(id)) {
        const scope = put({}, 'name', s.scope.name);
        put(scope, 'version', s.scope.version);
        scopes.set(id, put({ scope, spans: [] }, 'schemaUrl', s.scope.schemaUrl));
      }
      scopes.get(id).spans.push(expectedSpan(spec, s, wire));
    }
    const rs = { resource: put({}, 'attributes', keyValues(res.attributes, wire)), scopeSpans: [...scopes.values()] };
    put(rs, 'schemaUrl', res.schemaUrl);
    out.push(rs);
  }
  return canonical(out);
}

// Tempo (and Rubato) may return resources, scopes and spans in any order
// (Tempo sorts by time): compare in one canonical order. Attributes, events
// and links keep their order.
function canonical(resourceSpans) {
  const serviceName = rs =>
    rs.resource?.attributes?.find(a => a.key === 'service.name')?.value?.stringValue ?? JSON.stringify(rs.resource);
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const scopeKey = ss => `${ss.scope?.name ?? ''}@${ss.scope?.version ?? ''}:${ss.schemaUrl ?? ''}`;
  const out = (resourceSpans ?? []).map(rs => ({
    ...rs,
    scopeSpans: (rs.scopeSpans ?? [])
      .map(ss => ({ ...ss, spans: [...(ss.spans ?? [])].sort((a, b) => cmp(a.spanId, b.spanId)) }))
      .sort((a, b) => cmp(scopeKey(a), scopeKey(b))),
  }));
  return out.sort((a, b) => cmp(serviceName(a), serviceName(b)));
}

// -------------------------------------------------------- protobuf decoding
function loadProtos() {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => path.join(PROTO_DIR, target);
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
  // Tempo's messages (tempopb, pkg/tempopb/tempo.proto), reduced to what the
  // trace-by-ID answers hold: Trace is wire-identical to ExportTraceServiceRequest.
  protobuf.parse(
    `syntax = "proto3";
     package tempopb;
     message Trace { repeated opentelemetry.proto.trace.v1.ResourceSpans batches = 1; }
     message TraceByIDMetrics { uint64 inspectedBytes = 1; }
     enum PartialStatus { COMPLETE = 0; PARTIAL = 1; }
     message TraceByIDResponse {
       Trace trace = 1;
       TraceByIDMetrics metrics = 2;
       PartialStatus status = 3;
       string message = 4;
     }`,
    root
  );
  root.resolveAll();
  return {
    Export: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    Trace: root.lookupType('tempopb.Trace'),
    ByIdResponse: root.lookupType('tempopb.TraceByIDResponse'),
  };
}

const ANY_VALUE_KEYS = new Set([
  'stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue',
]);
// proto3 makes no difference between a default value written and one left
// out, nor between an absent and an empty resource/scope/status message:
// drop both, except for AnyValue's oneof members, whose presence is the type.
function protoNormal(v, key) {
  if (Array.isArray(v)) return v.map(x => protoNormal(x));
  if (v && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) {
      const n = protoNormal(x, k);
      if (ANY_VALUE_KEYS.has(k)) {
        o[k] = n;
        continue;
      }
      if (n === 0 || n === '' || n === '0' || n === false || (Array.isArray(n) && n.length === 0)) continue;
      if (typeof n === 'string' && /_(UNSPECIFIED|UNSET)$/.test(n)) continue;
      if (['resource', 'scope', 'status', 'value'].includes(k) && Object.keys(n).length === 0) continue;
      o[k] = n;
    }
    return o;
  }
  return v;
}
const PROTO_OBJECT = { longs: String, enums: String, bytes: String, defaults: false };

// ------------------------------------------------------------- the server
async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let server = null; // { child, log, exited }
function killServer() {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    try {
      server.child.kill('SIGKILL');
    } catch {}
  }
}
let tmpDir = null; // removed on every way out
function cleanUp() {
  killServer();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  tmpDir = null;
}
process.on('exit', cleanUp);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanUp();
    process.exit(128 + os.constants.signals[sig]);
  });
}

async function startServer(rubato, tmp) {
  for (let attempt = 1; ; attempt++) {
    const ports = { api: await freePort(), grpc: await freePort(), http: await freePort() };
    const configPath = path.join(tmp, 'tempo.yml');
    fs.writeFileSync(
      configPath,
      `# written by tests/e2e/otel-js-sdk/e2e.mjs
server:
  http_listen_address: 127.0.0.1
  http_listen_port: ${ports.api}
distributor:
  receivers:
    otlp:
      protocols:
        grpc:
          endpoint: 127.0.0.1:${ports.grpc}
        http:
          endpoint: 127.0.0.1:${ports.http}
storage:
  trace:
    backend: local
    local:
      path: ${tmp}/blocks
    wal:
      path: ${tmp}/wal
overrides:
  defaults:
    ingestion:
      rate_limit_bytes: 200000000
      burst_size_bytes: 200000000
`
    );
    const child = spawn(rubato, ['serve', `-config.file=${configPath}`], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const s = { child, log: '', ports, configPath };
    s.exited = new Promise(resolve => {
      child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
      child.once('error', err => {
        s.log += `cannot run ${rubato}: ${err.message}\n`;
        resolve({ code: null, signal: null, error: err.message, at: Date.now() });
      });
    });
    child.stdout.on('data', d => (s.log += d));
    child.stderr.on('data', d => (s.log += d));
    server = s;

    const deadline = Date.now() + 30000;
    let exit = null;
    s.exited.then(e => (exit = e));
    while (Date.now() < deadline && !exit) {
      try {
        const r = await fetch(`http://127.0.0.1:${ports.api}/ready`, { signal: AbortSignal.timeout(1000) });
        if (r.status === 200) return s;
      } catch {}
      await new Promise(r => setTimeout(r, 50));
    }
    if (exit && attempt < 3 && /address|bind|in use|listen/i.test(s.log)) {
      console.log(`rubato could not bind (attempt ${attempt}), retrying with other ports`);
      continue;
    }
    killServer();
    throw new Error(`rubato serve did not become ready (${exit ? `exited ${JSON.stringify(exit)}` : 'timeout'}):\n${s.log}`);
  }
}

// ------------------------------------------------------------------ queries
// A GET that never throws: a network error or a timeout comes back as status 0.
// With E2E_DUMP_DIR set, every answer is also written there (for debugging).
let dumped = 0;
async function get(url, accept) {
  try {
    const r = await fetch(url, { headers: accept ? { Accept: accept } : {}, signal: AbortSignal.timeout(5000) });
    const body = Buffer.from(await r.arrayBuffer());
    if (process.env.E2E_DUMP_DIR) {
      const name = `${String(++dumped).padStart(3, '0')}-${new URL(url).pathname.replace(/[^\w.-]+/g, '_')}${accept ? '.pb' : '.json'}`;
      fs.mkdirSync(process.env.E2E_DUMP_DIR, { recursive: true });
      fs.writeFileSync(path.join(process.env.E2E_DUMP_DIR, name), body);
    }
    return { status: r.status, type: r.headers.get('content-type') ?? '', body };
  } catch (err) {
    const body = Buffer.from(`(no answer: ${err?.name ?? ''} ${err?.message ?? err})`);
    return { status: 0, type: '', body, error: true };
  }
}
// Runs one group of checks; an exception (say, an undecodable body) is a failure, not the end.
async function group(label, fn) {
  try {
    await fn();
  } catch (err) {
    fail(label, String(err?.stack ?? err));
  }
}

async function checkTrace(label, api, hexId, expected, pb) {
  // v1 JSON: {"batches":[...]}
  await group(`${label}: v1 JSON`, async () => {
    const r = await get(`${api}/api/traces/${hexId}`);
    check(`${label}: GET /api/traces status`, r.status === 200, `got ${r.status}: ${r.body.toString().slice(0, 300)}`);
    if (r.status === 200) {
      check(`${label}: v1 JSON content type`, r.type.startsWith('application/json'), `got '${r.type}'`);
      const body = JSON.parse(r.body.toString('utf8'));
      check(`${label}: v1 JSON top-level keys`, Object.keys(body).join() === 'batches', `got ${Object.keys(body)}`);
      checkEqual(`${label}: GET /api/traces (JSON)`, { batches: expected }, { ...body, batches: canonical(body.batches) });
    }
  });
  // v2 JSON: {"trace":{"resourceSpans":[...]}}
  await group(`${label}: v2 JSON`, async () => {
    const r = await get(`${api}/api/v2/traces/${hexId}`);
    check(`${label}: GET /api/v2/traces status`, r.status === 200, `got ${r.status}: ${r.body.toString().slice(0, 300)}`);
    if (r.status === 200) {
      check(`${label}: v2 JSON content type`, r.type.startsWith('application/json'), `got '${r.type}'`);
      const body = JSON.parse(r.body.toString('utf8'));
      const got = { ...body, trace: { ...body.trace, resourceSpans: canonical(body.trace?.resourceSpans) } };
      checkEqual(`${label}: GET /api/v2/traces (JSON)`, { trace: { resourceSpans: expected } }, got);
    }
  });
  // v1 protobuf: tempopb.Trace (= ExportTraceServiceRequest on the wire)
  const want = protoNormal(expected);
  await group(`${label}: v1 protobuf`, async () => {
    const r = await get(`${api}/api/traces/${hexId}`, 'application/protobuf');
    check(`${label}: GET /api/traces (protobuf) status`, r.status === 200, `got ${r.status}`);
    if (r.status === 200) {
      check(`${label}: v1 protobuf content type`, r.type.startsWith('application/protobuf'), `got '${r.type}'`);
      const msg = pb.Trace.decode(r.body);
      const reencoded = pb.Trace.encode(msg).finish().length;
      check(`${label}: v1 protobuf has only known fields`, reencoded === r.body.length, `${r.body.length} bytes, ${reencoded} re-encoded`);
      const got = pb.Trace.toObject(msg, PROTO_OBJECT);
      checkEqual(`${label}: GET /api/traces (protobuf)`, { batches: want }, { batches: canonical(protoNormal(got.batches ?? [])) });
      const asExport = pb.Export.toObject(pb.Export.decode(r.body), PROTO_OBJECT);
      checkEqual(`${label}: v1 protobuf read as ExportTraceServiceRequest`, want, canonical(protoNormal(asExport.resourceSpans ?? [])));
    }
  });
  // v2 protobuf: tempopb.TraceByIDResponse { trace = 1 }
  await group(`${label}: v2 protobuf`, async () => {
    const r = await get(`${api}/api/v2/traces/${hexId}`, 'application/protobuf');
    check(`${label}: GET /api/v2/traces (protobuf) status`, r.status === 200, `got ${r.status}`);
    if (r.status === 200) {
      check(`${label}: v2 protobuf content type`, r.type.startsWith('application/protobuf'), `got '${r.type}'`);
      const msg = pb.ByIdResponse.decode(r.body);
      const reencoded = pb.ByIdResponse.encode(msg).finish().length;
      check(`${label}: v2 protobuf has only known fields`, reencoded === r.body.length, `${r.body.length} bytes, ${reencoded} re-encoded`);
      const got = pb.ByIdResponse.toObject(msg, PROTO_OBJECT);
      const { trace: t, ...rest } = got;
      checkEqual(`${label}: GET /api/v2/traces (protobuf)`, { trace: { batches: want } }, {
        ...protoNormal(rest),
        trace: { batches: canonical(protoNormal(t?.batches ?? [])) },
      });
    }
  });
}

// --------------------------------------------------------------------- main
async function main() {
  const rubato = process.argv[2];
  if (!rubato || !fs.existsSync(rubato)) throw new Error(`usage: node e2e.mjs <path-to-rubato> (got '${rubato ?? ''}')`);
  const began = Date.now();

  // Warnings from the SDK (a partial success, a failed export) fail the test;
  // the span-limit ones are expected.
  const diagMessages = [];
  const record = level => (msg, ...args) => diagMessages.push(`${level}: ${msg} ${args.map(a => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`.trim());
  diag.setLogger(
    { error: record('error'), warn: record('warn'), info() {}, debug() {}, verbose() {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true }
  );

  const pb = loadProtos();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rubato-e2e-'));
  tmpDir = tmp;
  try {
    const s = await startServer(path.resolve(rubato), tmp);
    const api = `http://127.0.0.1:${s.ports.api}`;
    const grpcUrl = `http://127.0.0.1:${s.ports.grpc}`;
    const httpUrl = `http://127.0.0.1:${s.ports.http}/v1/traces`;
    console.log(`rubato serve ready in ${Date.now() - began} ms (API ${s.ports.api}, gRPC ${s.ports.grpc}, HTTP ${s.ports.http})`);
    const configNotes = s.log.split('\n').filter(l => l.startsWith(s.configPath));
    check('config loads without diagnostics', configNotes.length === 0, configNotes);

    const variants = [
      { name: 'gRPC', make: () => new GrpcExporter({ url: grpcUrl, compression: 'none', timeoutMillis: 10000 }) },
      { name: 'gRPC+gzip', make: () => new GrpcExporter({ url: grpcUrl, compression: 'gzip', timeoutMillis: 10000 }) },
      { name: 'HTTP/protobuf', make: () => new HttpProtoExporter({ url: httpUrl, compression: 'none', timeoutMillis: 10000 }) },
      { name: 'HTTP/protobuf+gzip', make: () => new HttpProtoExporter({ url: httpUrl, compression: 'gzip', timeoutMillis: 10000 }) },
      { name: 'HTTP/JSON', wire: 'json', make: () => new HttpJsonExporter({ url: httpUrl, compression: 'none', timeoutMillis: 10000 }) },
      { name: 'HTTP/JSON+gzip', wire: 'json', make: () => new HttpJsonExporter({ url: httpUrl, compression: 'gzip', timeoutMillis: 10000 }) },
    ];
    const sent = [];
    for (const [i, variant] of variants.entries()) {
      if (Date.now() - began > 180000) {
        fail(variant.name, 'not run: the test has used its time budget (180 s) already');
        continue;
      }
      const t = Date.now();
      const spec = traceSpec(i);
      const before = failures.length;
      const sdkResources = await sendTrace(spec, variant.make, variant.name);
      const expected = expectedResourceSpans(spec, sdkResources, variant.wire);
      sent.push({ spec, expected });
      if (failures.length > before) {
        console.log(`${variant.name}: trace ${spec.traceId}: sending FAILED, not queried`);
        continue;
      }
      await checkTrace(variant.name, api, spec.traceId, expected, pb);
      const verdict = failures.length > before ? 'FAILED' : 'ok';
      console.log(`${variant.name}: trace ${spec.traceId} (${spec.spans.length} spans, 2 services) sent and checked in ${Date.now() - t} ms: ${verdict}`);
    }

    // A short ID is left-padded with zeros: the gRPC trace's ID is 16 zeros + 16 digits.
    const short = sent[0].spec.traceId.replace(/^0+/, '');
    check('short-id trace has 16 leading zeros', sent[0].spec.traceId.startsWith('0'.repeat(16)) && short.length === 16, short);
    await checkTrace(`short id ${short}`, api, short, sent[0].expected, pb);

    // An unknown trace: 404 with an empty body (v1 and v2, JSON and protobuf).
    const unknown = 'ffffffffffffffffffffffffffff0404';
    for (const [p, accept] of [
      ['/api/traces/', undefined],
      ['/api/v2/traces/', undefined],
      ['/api/traces/', 'application/protobuf'],
      ['/api/v2/traces/', 'application/protobuf'],
    ]) {
      const r = await get(`${api}${p}${unknown}`, accept);
      check(`GET ${p}<unknown> (${accept ?? 'json'})`, r.status === 404 && r.body.length === 0, `got ${r.status} with ${r.body.length} body bytes: ${show(r.body.toString())}`);
    }

    // A non-hex ID (and one that is too long): 400 with a message.
    for (const bad of ['not-a-trace-id', 'xyz', '0'.repeat(33)]) {
      for (const p of ['/api/traces/', '/api/v2/traces/']) {
        const r = await get(`${api}${p}${bad}`);
        check(`GET ${p}${bad}`, r.status === 400 && r.body.length > 0, `got ${r.status} with body ${show(r.body.toString())}`);
      }
    }

    // Every SDK warning/error is a failure, except the limits we set on purpose.
    const unexpected = diagMessages.filter(m => !/^warn: Dropped \d+ (events|links) because \w+ reached/.test(m));
    check('OpenTelemetry SDK diagnostics', unexpected.length === 0, unexpected);

    // SIGTERM: exit 0 within 5 s.
    const stopping = Date.now();
    s.child.kill('SIGTERM');
    const exit = await Promise.race([s.exited, new Promise(r => setTimeout(() => r(null), 10000))]);
    const ms = (exit?.at ?? Date.now()) - stopping;
    console.log(`SIGTERM: rubato exited in ${ms} ms with ${exit ? (exit.signal ?? `code ${exit.code}`) : 'nothing (still running after 10 s)'}`);
    check('SIGTERM: exits 0 within 5 s', exit && exit.code === 0 && exit.signal === null && ms < 5000, `exit ${JSON.stringify(exit)} after ${ms} ms`);
  } finally {
    cleanUp();
  }

  console.log(`${checks} checks in ${((Date.now() - began) / 1000).toFixed(1)} s`);
}

main().then(
  () => {
    if (failures.length) {
      console.error(`\nFAILED: ${failures.length} of ${checks} checks`);
      for (const f of failures) {
        console.error(`\n- ${f.label}`);
        for (const d of f.details) console.error(`    ${d}`);
      }
      if (server) console.error(`\n--- rubato serve log ---\n${server.log}`);
      process.exit(1);
    }
    console.log('otel-js-sdk e2e: all checks passed');
    process.exit(0);
  },
  err => {
    console.error(err?.stack ?? err);
    if (failures.length) for (const f of failures) console.error(`- ${f.label}\n    ${f.details.join('\n    ')}`);
    if (server) console.error(`\n--- rubato serve log ---\n${server.log}`);
    killServer();
    process.exit(1);
  }
);
