#!/usr/bin/env python3
"""End-to-end test of the seed's demo: `rubato serve` and the four services
(docs/demo.md) on free ports. Posts the seed's two orders, fetches both traces
from Tempo's API and asserts the exact tree, the attributes and where the time
went; then the 400, 409, 422 and 502 paths, fire-and-forget notification,
/health, /metrics, the JSON logs and the graceful stop.

Usage: e2e.py --rubato PATH --order PATH --inventory PATH --payment PATH --notification PATH
Exit status 0 when every check passed; otherwise 1, after printing each
failure and the end of every process's log.
"""
import argparse
import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

DEADLINE_S = 60  # generous: a loaded 2-core machine, or a sanitizer build
INITIAL_STOCK = 20  # small, so an order of 50 finds too little stock (409)
SPANS_PER_ORDER = 17

failures = []
checks = 0


def check(label, cond, detail=""):
    global checks
    checks += 1
    if not cond:
        failures.append(f"{label}: {detail}" if detail else label)
    return cond


def eq(label, got, want):
    return check(label, got == want, f"want {want!r}, got {got!r}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=10):
    """(status, headers, body text); status 0 when the connection failed."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
        return 0, {}, str(e)


class Stack:
    """The processes under test, each logging to a file in a temporary directory."""

    def __init__(self, args, workdir):
        self.args, self.dir = args, workdir
        self.procs, self.logs = {}, {}
        self.ports = {n: free_port() for n in ("api", "grpc", "otlp_http", "order", "inventory", "payment",
                                               "notification")}
        self.api = f"http://127.0.0.1:{self.ports['api']}"

    def url(self, name):
        return f"http://127.0.0.1:{self.ports[name]}"

    def start(self, name, argv, env):
        log = open(os.path.join(self.dir, name + ".log"), "ab")
        self.logs[name] = log.name
        self.procs[name] = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def wait_ready(self, name, url):
        end = time.time() + DEADLINE_S
        while time.time() < end:
            if self.procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited with status {self.procs[name].returncode}")
            if http("GET", url, timeout=2)[0] == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{name} not ready at {url} within {DEADLINE_S} s")

    def start_backend(self):
        data = os.path.join(self.dir, "data")
        config = os.path.join(self.dir, "tempo.yml")
        with open(config, "w") as f:
            f.write(f"""server:
  http_listen_address: 127.0.0.1
  http_listen_port: {self.ports['api']}
distributor:
  receivers:
    otlp:
      protocols:
        grpc:
          endpoint: "127.0.0.1:{self.ports['grpc']}"
        http:
          endpoint: "127.0.0.1:{self.ports['otlp_http']}"
storage:
  trace:
    backend: local
    local:
      path: {data}/blocks
    wal:
      path: {data}/wal
""")
        self.start("rubato", [self.args.rubato, "serve", "--config", config], self.base_env())
        self.wait_ready("rubato", self.api + "/ready")

    def base_env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        env.update({"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{self.ports['grpc']}",
                    "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_BSP_SCHEDULE_DELAY": "100"})
        return env

    def start_service(self, name):
        env = self.base_env()
        env.update({"SERVICE_NAME": f"{name}-service", "PORT": str(self.ports[name])})
        if name == "inventory":
            env["INITIAL_STOCK"] = str(INITIAL_STOCK)
        if name == "order":
            env.update({"INVENTORY_SERVICE_URL": self.url("inventory"), "PAYMENT_SERVICE_URL": self.url("payment"),
                        "NOTIFICATION_SERVICE_URL": self.url("notification")})
        self.start(name, [getattr(self.args, name)], env)
        self.wait_ready(name, self.url(name) + "/health")

    def stop(self, name, sig=signal.SIGTERM):
        """Exit status after `sig`, or None when it did not exit within the deadline (then killed)."""
        p = self.procs[name]
        if p.poll() is None:
            p.send_signal(sig)
            try:
                p.wait(timeout=DEADLINE_S)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                return None
        return p.returncode

    def stop_all(self):
        for name in ("order", "inventory", "payment", "notification", "rubato"):
            if name in self.procs:
                self.stop(name)

    def log_text(self, name):
        with open(self.logs[name], errors="replace") as f:
            return f.read()


# ---------------------------------------------------------------- traces


def b64hex(v):
    return base64.b64decode(v).hex() if v else ""


def attr_value(v):
    for key in ("stringValue", "boolValue", "doubleValue"):
        if key in v:
            return v[key]
    if "intValue" in v:
        return int(v["intValue"])
    return v


def parse_trace(doc):
    """Tempo v1 JSON (ids in base64, 64-bit integers as strings) → flat span dicts."""
    spans = []
    for batch in doc.get("batches", []):
        res = {a["key"]: attr_value(a["value"]) for a in batch.get("resource", {}).get("attributes", [])}
        for ss in batch.get("scopeSpans", []):
            for s in ss.get("spans", []):
                spans.append({
                    "trace_id": b64hex(s["traceId"]), "id": b64hex(s["spanId"]), "parent": b64hex(s.get("parentSpanId")),
                    "service": res.get("service.name"), "name": s["name"], "kind": s.get("kind"),
                    "start": int(s["startTimeUnixNano"]), "end": int(s["endTimeUnixNano"]),
                    "attrs": {a["key"]: attr_value(a["value"]) for a in s.get("attributes", [])},
                    "status": s.get("status", {}).get("code", "STATUS_CODE_UNSET"),
                    "status_message": s.get("status", {}).get("message", ""),
                    "events": [e["name"] for e in s.get("events", [])],
                })
    return spans


def fetch_trace(stack, trace_id, want_spans):
    """The trace once it has `want_spans` spans (the batch processors export within ~100 ms)."""
    end, spans = time.time() + DEADLINE_S, []
    while time.time() < end:
        status, _, body = http("GET", f"{stack.api}/api/traces/{trace_id}")
        if status == 200:
            spans = parse_trace(json.loads(body))
            if len(spans) >= want_spans:
                time.sleep(0.5)  # anything beyond the expected count would show up now
                return parse_trace(json.loads(http("GET", f"{stack.api}/api/traces/{trace_id}")[2]))
        time.sleep(0.1)
    return spans


def tree(spans):
    """Nested (service, name, kind, [children...]) from the roots, children by start time."""
    by_parent = {}
    ids = {s["id"] for s in spans}
    for s in spans:
        by_parent.setdefault(s["parent"] if s["parent"] in ids else "", []).append(s)

    def build(s):
        kids = sorted(by_parent.get(s["id"], []), key=lambda k: k["start"])
        return (s["service"], s["name"], s["kind"].replace("SPAN_KIND_", ""), [build(k) for k in kids])

    return [build(r) for r in sorted(by_parent.get("", []), key=lambda k: k["start"])]


def T(service, name, kind, *children):
    return (service, name, kind, list(children))


O, I, P, N = "order-service", "inventory-service", "payment-service", "notification-service"
SEED_TREE = [
    T(O, "POST /orders", "SERVER",
      T(O, "process_order", "INTERNAL",
        T(O, "validate_order", "INTERNAL"),
        T(O, "check_inventory", "INTERNAL",
          T(O, "GET", "CLIENT", T(I, "GET /stock/{item}", "SERVER"))),
        T(O, "reserve_inventory", "INTERNAL",
          T(O, "POST", "CLIENT",
            T(I, "POST /stock/{item}/reserve", "SERVER",
              T(I, "reserve_stock", "INTERNAL", T(I, "slow_lookup", "INTERNAL"))))),
        T(O, "charge_payment", "INTERNAL", T(O, "POST", "CLIENT", T(P, "POST /charges", "SERVER"))),
        T(O, "send_notification", "INTERNAL", T(O, "POST", "CLIENT", T(N, "POST /notify", "SERVER")))))
]


def one(spans, service, name):
    found = [s for s in spans if s["service"] == service and s["name"] == name]
    check(f"exactly one [{service}] {name}", len(found) == 1, f"found {len(found)}")
    return found[0] if found else {"attrs": {}, "start": 0, "end": 0, "status": None, "status_message": "",
                                    "events": []}


def check_seed_order(stack, quantity, status, headers, body):
    label = f"order quantity={quantity}"
    eq(f"{label}: status", status, 201)
    reply = json.loads(body) if status == 201 else {}
    eq(f"{label}: reply keys", sorted(reply), ["order_id", "status"])
    eq(f"{label}: reply status", reply.get("status"), "created")
    order_id = reply.get("order_id", "")
    check(f"{label}: order_id is a uuid4", re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                                                         order_id) is not None, order_id)
    trace_id = headers.get("X-Trace-Id", "")
    check(f"{label}: X-Trace-Id header", re.fullmatch(r"[0-9a-f]{32}", trace_id) is not None, repr(trace_id))
    spans = fetch_trace(stack, trace_id, SPANS_PER_ORDER)
    eq(f"{label}: span count", len(spans), SPANS_PER_ORDER)
    eq(f"{label}: one trace ID", {s["trace_id"] for s in spans}, {trace_id})
    eq(f"{label}: services", sorted({s["service"] for s in spans}), sorted([O, I, P, N]))
    eq(f"{label}: tree", tree(spans), SEED_TREE)

    process = one(spans, O, "process_order")
    eq(f"{label}: order.item", process["attrs"].get("order.item"), "book")
    eq(f"{label}: order.quantity", process["attrs"].get("order.quantity"), quantity)
    eq(f"{label}: order.id", process["attrs"].get("order.id"), order_id)
    reserve = one(spans, I, "reserve_stock")
    eq(f"{label}: inventory.item", reserve["attrs"].get("inventory.item"), "book")
    eq(f"{label}: inventory.quantity", reserve["attrs"].get("inventory.quantity"), quantity)
    lookup = one(spans, I, "slow_lookup")
    eq(f"{label}: inventory.demand", lookup["attrs"].get("inventory.demand"), "high" if quantity > 5 else "normal")
    root = one(spans, O, "POST /orders")
    eq(f"{label}: root http.route", root["attrs"].get("http.route"), "/orders")
    eq(f"{label}: root http.response.status_code", root["attrs"].get("http.response.status_code"), 201)
    stock = one(spans, I, "GET /stock/{item}")
    eq(f"{label}: inventory url.path", stock["attrs"].get("url.path"), "/stock/book")
    eq(f"{label}: statuses", sorted({s["status"] for s in spans}), ["STATUS_CODE_UNSET"])
    if quantity > 5:
        share = (lookup["end"] - lookup["start"]) / max(1, root["end"] - root["start"])
        check(f"{label}: slow_lookup takes at least 70% of the root's duration", share >= 0.70, f"{share:.0%}")
    return trace_id


def check_error_order(stack, label, body, want_status, want_detail, error_spans, absent=(), want_spans=None):
    """An order that fails: its status, FastAPI's {"detail"}, and which spans say Error."""
    status, headers, text = http("POST", stack.url("order") + "/orders", body)
    eq(f"{label}: status", status, want_status)
    eq(f"{label}: body", text, json.dumps({"detail": want_detail}, separators=(",", ":")))
    trace_id = headers.get("X-Trace-Id", "")
    spans = fetch_trace(stack, trace_id, want_spans or len(error_spans) + 1)
    errors = sorted((s["service"], s["name"]) for s in spans if s["status"] == "STATUS_CODE_ERROR")
    eq(f"{label}: spans with status Error", errors, sorted(error_spans))
    for s in spans:
        if s["name"] in ("validate_order", "check_inventory", "process_order") and s["status"] == "STATUS_CODE_ERROR":
            eq(f"{label}: {s['name']} status message", s["status_message"],
               f"HTTPException: {want_status}: {want_detail}")
            eq(f"{label}: {s['name']} exception event", s["events"], ["exception"])
    for name in absent:
        check(f"{label}: no {name} span", all(s["name"] != name for s in spans))
    return spans


def run(args):
    with tempfile.TemporaryDirectory(prefix="rubato-demo-e2e-") as workdir:
        stack = Stack(args, workdir)
        try:
            stack.start_backend()
            for name in ("inventory", "payment", "notification", "order"):
                stack.start_service(name)
            scenario(stack)
        except Exception as e:  # report, then show the logs
            failures.append(f"aborted: {type(e).__name__}: {e}")
        finally:
            stack.stop_all()
            if failures:
                for name in stack.logs:
                    print(f"---- end of {name}'s log ----")
                    print("\n".join(stack.log_text(name).splitlines()[-25:]))


def scenario(stack):
    order = stack.url("order") + "/orders"
    # The seed's two orders (its curl lines), fast then slow.
    ids = []
    for quantity in (2, 8):
        status, headers, body = http("POST", order, {"item": "book", "quantity": quantity, "price": 9.99})
        ids.append(check_seed_order(stack, quantity, status, headers, body))
    eq("stock left after 2 + 8", json.loads(http("GET", stack.url("inventory") + "/stock/book")[2]),
       {"item": "book", "available": INITIAL_STOCK - 10})

    # 400s: raised in validate_order, which and process_order say Error; the SERVER span (4xx) does not.
    check_error_order(stack, "quantity 0", {"item": "book", "quantity": 0, "price": 9.99}, 400,
                      "Quantity must be positive", [(O, "validate_order"), (O, "process_order")],
                      absent=("check_inventory",), want_spans=3)
    check_error_order(stack, "price -1", {"item": "book", "quantity": 1, "price": -1}, 400,
                      "Price must be non-negative", [(O, "validate_order"), (O, "process_order")], want_spans=3)
    # 409: more than the 10 left.
    check_error_order(stack, "quantity 50", {"item": "book", "quantity": 50, "price": 9.99}, 409,
                      "Insufficient stock", [(O, "check_inventory"), (O, "process_order")],
                      absent=("reserve_inventory",), want_spans=6)

    # 422 (FastAPI's validation), never a 500 or a crash.
    for label, body in [("missing price", {"item": "book", "quantity": 1}), ("malformed JSON", b'{"item": "bo'),
                        ("wrong type", {"item": "book", "quantity": "many", "price": 1}), ("not an object", b"[]"),
                        ("empty body", b"")]:
        status, _, text = http("POST", order, body)
        eq(f"{label}: status", status, 422)
        check(f"{label}: FastAPI-shaped detail", text.startswith('{"detail":[{"type":'), text)

    # Fire-and-forget: with notification-service down, the order still succeeds.
    eq("notification-service stops on SIGTERM with status 0", stack.stop("notification"), 0)
    status, _, _ = http("POST", order, {"item": "book", "quantity": 1, "price": 9.99})
    eq("order without notification-service: status", status, 201)

    # 502: inventory-service down. The CLIENT span and the SERVER span (5xx) say Error too.
    eq("inventory-service stops on SIGTERM with status 0", stack.stop("inventory"), 0)
    spans = check_error_order(stack, "inventory down", {"item": "book", "quantity": 1, "price": 9.99}, 502,
                              "Inventory check failed",
                              [(O, "POST /orders"), (O, "process_order"), (O, "check_inventory"), (O, "GET")],
                              want_spans=5)
    client = [s for s in spans if s["name"] == "GET"]
    if client:
        eq("inventory down: CLIENT span error.type", client[0]["attrs"].get("error.type"), "connection_refused")

    # /health and /metrics.
    eq("order /health", http("GET", stack.url("order") + "/health")[:1], (200,))
    metrics = http("GET", stack.url("order") + "/metrics")[2]
    check("order /metrics counts the 201s",
          re.search(r'^http_requests_total\{method="POST",handler="/orders",status="201"\} 3$', metrics, re.M)
          is not None, metrics[:600])
    check("order /metrics has the duration histogram",
          'http_request_duration_seconds_bucket{method="POST",handler="/orders",le="+Inf"}' in metrics, metrics[:600])

    # Graceful stop (a sanitizer build also reports leaks here), then the JSON log lines lead to the traces.
    eq("order-service stops on SIGTERM with status 0", stack.stop("order"), 0)
    eq("payment-service stops on SIGTERM with status 0", stack.stop("payment"), 0)
    lines = [json.loads(l) for l in stack.log_text("order").splitlines() if l.startswith("{")]
    logged = {l.get("trace_id") for l in lines}
    for trace_id in ids:
        check(f"order-service logged a line with trace_id {trace_id}", trace_id in logged)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("rubato", "order", "inventory", "payment", "notification"):
        parser.add_argument("--" + name, required=True)
    run(parser.parse_args())
    if failures:
        print(f"\ndemo e2e: {len(failures)} of {checks} checks failed:")
        for f in failures:
            print("  FAIL " + f)
        return 1
    print(f"demo e2e: all {checks} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
