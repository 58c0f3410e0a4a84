#include "tests/otlp/json_test_support.h"

#include <google/protobuf/util/json_util.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "otlp/base64.h"

namespace rubato::otlp::jsontest {

namespace pb = opentelemetry::proto;
using KeyValues = google::protobuf::RepeatedPtrField<pb::common::v1::KeyValue>;

void BuildSmallBatch(model::Batch* b) {
  using model::AnyValue;
  using model::KeyValue;
  KeyValue res[] = {{"service.name", AnyValue::String("svc")}};
  b->AddResource(b->AppendAttributes(res), "https://opentelemetry.io/schemas/1.26.0");
  b->AddScope("lib", "1.0");
  AnyValue elems[] = {AnyValue::Int(1), AnyValue::String("a"), AnyValue()};
  KeyValue inner[] = {{"k", AnyValue()}};
  KeyValue attrs[] = {{"i", AnyValue::Int(-7)},
                      {"d", AnyValue::Double(0.5)},
                      {"b", AnyValue::Bool(true)},
                      {"raw", AnyValue::Bytes(std::string_view("\x00\xff", 2))},
                      {"arr", AnyValue::Array(b->AppendValues(elems))},
                      {"map", AnyValue::KvList(b->AppendAttributes(inner))}};
  model::Span s;
  s.trace_id = *model::TraceId::FromHex("5b8aa5a2d2c872e8321cf37308d69df2");
  s.span_id = *model::SpanId::FromHex("5fb397be34d26b51");
  s.parent_span_id = *model::SpanId::FromHex("051581bf3cb55c13");
  s.trace_state = "k=v";
  s.flags = 257;
  s.name = "charge";
  s.kind = model::SpanKind::kClient;
  s.start_time_unix_nano = 1700000000300000000ULL;
  s.end_time_unix_nano = 1700000000950000000ULL;
  s.attributes = b->AppendAttributes(attrs);
  s.dropped_attributes_count = 1;
  model::Event e;
  e.time_unix_nano = 1700000000900000000ULL;
  e.name = "exception";
  s.events = b->AppendEvents({&e, 1});
  model::Link l;
  l.trace_id = *model::TraceId::FromHex("0af7651916cd43dd8448eb211c80319c");
  l.span_id = *model::SpanId::FromHex("b7ad6b7169203331");
  l.flags = 769;
  s.links = b->AppendLinks({&l, 1});
  s.status_code = model::StatusCode::kError;
  s.status_message = "boom";
  b->AddSpan(s);
}

namespace {

pb::common::v1::AnyValue* Add(KeyValues* kvs, const std::string& key) {
  auto* kv = kvs->Add();
  kv->set_key(key);
  return kv->mutable_value();
}

void AllKinds(KeyValues* kvs) {
  Add(kvs, "str")->set_string_value("h\xc3\xa9llo \"quoted\"\n\x01");
  Add(kvs, "empty_str")->set_string_value("");
  Add(kvs, "true")->set_bool_value(true);
  Add(kvs, "false")->set_bool_value(false);
  Add(kvs, "int_min")->set_int_value(std::numeric_limits<int64_t>::min());
  Add(kvs, "int_max")->set_int_value(std::numeric_limits<int64_t>::max());
  Add(kvs, "zero")->set_int_value(0);
  Add(kvs, "double")->set_double_value(-1.5e-300);
  Add(kvs, "tenth")->set_double_value(0.1);
  Add(kvs, "nan")->set_double_value(std::numeric_limits<double>::quiet_NaN());
  Add(kvs, "inf")->set_double_value(std::numeric_limits<double>::infinity());
  Add(kvs, "-inf")->set_double_value(-std::numeric_limits<double>::infinity());
  Add(kvs, "bytes")->set_bytes_value(std::string("\x00\xff\x10\xfb", 4));
  Add(kvs, "empty_bytes")->set_bytes_value("");
  auto* arr = Add(kvs, "array")->mutable_array_value();
  arr->add_values()->set_int_value(7);
  arr->add_values()->set_string_value("x");
  arr->add_values()->mutable_array_value()->add_values()->set_bool_value(false);
  arr->add_values();  // an empty AnyValue in an array
  arr->add_values()->mutable_kvlist_value()->add_values()->set_key("in_array");
  Add(kvs, "empty_array")->mutable_array_value();
  auto* map = Add(kvs, "map")->mutable_kvlist_value();
  auto* nested = map->add_values();
  nested->set_key("nested");
  Add(nested->mutable_value()->mutable_kvlist_value()->mutable_values(), "deep")->set_double_value(0.25);
  Add(map->mutable_values(), "list")->mutable_array_value()->add_values()->set_string_value("y");
  Add(kvs, "empty_map")->mutable_kvlist_value();
  kvs->Add()->set_key("no_value");
}

std::string Id(int n, uint8_t seed) {
  std::string id(static_cast<size_t>(n), '\0');
  for (int i = 0; i < n; ++i) id[static_cast<size_t>(i)] = static_cast<char>(seed + 17 * i);
  return id;
}

void FillSpan(pb::trace::v1::Span* sp, int n) {
  sp->set_trace_id(Id(16, 0xa0));
  sp->set_span_id(Id(8, static_cast<uint8_t>(n + 1)));
  if (n > 0) sp->set_parent_span_id(Id(8, 1));
  sp->set_trace_state("vendor=value,other=1");
  sp->set_name("op-" + std::to_string(n));
  sp->set_kind(static_cast<pb::trace::v1::Span::SpanKind>(n % 7));  // 6 has no name
  sp->set_start_time_unix_nano(1700000000123456789ULL + static_cast<uint64_t>(n));
  sp->set_end_time_unix_nano(n == 2 ? std::numeric_limits<uint64_t>::max() : 1700000001000000000ULL);
  sp->set_flags(n == 0 ? 0x101 : 0xffffffffu);
  AllKinds(sp->mutable_attributes());
  sp->set_dropped_attributes_count(1);
  auto* ev = sp->add_events();
  ev->set_time_unix_nano(1700000000500000000ULL);
  ev->set_name("exception");
  AllKinds(ev->mutable_attributes());
  ev->set_dropped_attributes_count(2);
  sp->add_events();  // an empty event
  sp->set_dropped_events_count(3);
  auto* ln = sp->add_links();
  ln->set_trace_id(Id(16, 0x0a));
  ln->set_span_id(Id(8, 0x0b));
  ln->set_trace_state("rojo=00f067aa0ba902b7");
  AllKinds(ln->mutable_attributes());
  ln->set_dropped_attributes_count(4);
  ln->set_flags(0x301);
  sp->add_links();  // an empty link
  sp->set_dropped_links_count(5);
  if (n == 1) {
    sp->mutable_status()->set_code(pb::trace::v1::Status::STATUS_CODE_ERROR);
    sp->mutable_status()->set_message("payment declined");
  } else if (n == 2) {
    sp->mutable_status()->set_code(static_cast<pb::trace::v1::Status::StatusCode>(9));  // open enum
  }
}

}  // namespace

ExportRequest EveryFieldRequest() {
  ExportRequest req;
  for (int r = 0; r < 2; ++r) {
    auto* rs = req.add_resource_spans();
    if (r == 0) rs->set_schema_url("https://opentelemetry.io/schemas/1.26.0");
    Add(rs->mutable_resource()->mutable_attributes(), "service.name")->set_string_value("svc-" + std::to_string(r));
    rs->mutable_resource()->set_dropped_attributes_count(static_cast<uint32_t>(r));
    for (int sc = 0; sc < (r == 0 ? 3 : 1); ++sc) {
      auto* ss = rs->add_scope_spans();
      if (sc == 2) continue;  // a scope with nothing in it
      ss->mutable_scope()->set_name("scope-" + std::to_string(sc));
      ss->mutable_scope()->set_version("1." + std::to_string(sc));
      if (sc == 1) {
        AllKinds(ss->mutable_scope()->mutable_attributes());
        ss->mutable_scope()->set_dropped_attributes_count(3);
        ss->set_schema_url("scope-schema");
      }
      for (int n = 0; n < 3; ++n) FillSpan(ss->add_spans(), n);
    }
  }
  req.add_resource_spans();  // an empty resource
  return req;
}

namespace {

// Rewrites the string value of every id field ("traceId", "span_id"...) with
// `convert`. No regex: std::regex trips GCC 12 warnings under sanitizers. A
// key pattern cannot occur inside a JSON string (its quotes would be escaped).
template <typename Convert>
std::string RewriteIds(const std::string& json, Convert&& convert) {
  static const char* const kKeys[] = {"\"traceId\"", "\"spanId\"", "\"parentSpanId\"",
                                      "\"trace_id\"", "\"span_id\"", "\"parent_span_id\""};
  std::string out;
  size_t pos = 0;
  while (pos < json.size()) {
    size_t best = std::string::npos, key_len = 0;
    for (const char* k : kKeys) {
      size_t at = json.find(k, pos);
      if (at < best) best = at, key_len = std::strlen(k);
    }
    if (best == std::string::npos) break;
    size_t p = best + key_len;
    while (p < json.size() && std::isspace(static_cast<unsigned char>(json[p]))) ++p;
    if (p >= json.size() || json[p] != ':') {
      out.append(json, pos, p - pos);
      pos = p;
      continue;
    }
    ++p;
    while (p < json.size() && std::isspace(static_cast<unsigned char>(json[p]))) ++p;
    size_t close = p < json.size() && json[p] == '"' ? json.find('"', p + 1) : std::string::npos;
    if (close == std::string::npos) {  // not a string value: leave it
      out.append(json, pos, p - pos);
      pos = p;
      continue;
    }
    out.append(json, pos, p + 1 - pos);
    out += convert(json.substr(p + 1, close - p - 1));
    out.push_back('"');
    pos = close + 1;
  }
  out.append(json, pos, std::string::npos);
  return out;
}

}  // namespace

std::string ToOtlpJson(const google::protobuf::Message& msg, bool snake_case) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = snake_case;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(msg, &json, options).ok()) {
    throw std::runtime_error("MessageToJsonString failed");
  }
  return RewriteIds(json, [](const std::string& b64) {
    std::string raw(Base64DecodedMaxSize(b64.size()), '\0');
    Base64Result r = Base64Decode(b64, raw.data());
    if (!r.ok) throw std::runtime_error("bad base64 id in libprotobuf JSON");
    raw.resize(r.size);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (char c : raw) {
      hex.push_back(kHex[static_cast<uint8_t>(c) >> 4]);
      hex.push_back(kHex[static_cast<uint8_t>(c) & 15]);
    }
    return hex;
  });
}

std::string HexIdsToBase64(const std::string& otlp_json) {
  return RewriteIds(otlp_json, [](const std::string& hex) {
    std::string raw;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
      raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    std::string b64;
    Base64Encode(raw, &b64);
    return b64;
  });
}

void ParseWithLibprotobuf(const std::string& json, google::protobuf::Message* msg) {
  auto status = google::protobuf::util::JsonStringToMessage(json, msg);
  if (!status.ok()) throw std::runtime_error("libprotobuf rejected the JSON: " + status.ToString());
}

}  // namespace rubato::otlp::jsontest
