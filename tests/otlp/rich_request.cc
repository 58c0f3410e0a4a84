#include "tests/otlp/rich_request.h"

#include <limits>

namespace rubato::testing {

namespace pb = opentelemetry::proto;

namespace {

void Add(pb::common::v1::KeyValue* kv, const std::string& key) { kv->set_key(key); }

void FillAllKinds(google::protobuf::RepeatedPtrField<pb::common::v1::KeyValue>* attrs) {
  auto* s = attrs->Add();
  Add(s, "str");
  s->mutable_value()->set_string_value("v\xc3\xa9");
  auto* e = attrs->Add();
  Add(e, "empty_str");
  e->mutable_value()->set_string_value("");
  auto* b = attrs->Add();
  Add(b, "bool");
  b->mutable_value()->set_bool_value(true);
  auto* i = attrs->Add();
  Add(i, "int_min");
  i->mutable_value()->set_int_value(std::numeric_limits<int64_t>::min());
  auto* d = attrs->Add();
  Add(d, "double");
  d->mutable_value()->set_double_value(-1.5e-300);
  auto* by = attrs->Add();
  Add(by, "bytes");
  by->mutable_value()->set_bytes_value(std::string("\x00\xff\x10", 3));
  auto* a = attrs->Add();
  Add(a, "array");
  auto* arr = a->mutable_value()->mutable_array_value();
  arr->add_values()->set_int_value(7);
  arr->add_values()->set_string_value("x");
  auto* inner = arr->add_values()->mutable_array_value();
  inner->add_values()->set_bool_value(false);
  arr->add_values();  // an empty AnyValue inside an array
  auto* m = attrs->Add();
  Add(m, "map");
  auto* kvl = m->mutable_value()->mutable_kvlist_value();
  auto* k1 = kvl->add_values();
  k1->set_key("nested");
  k1->mutable_value()->mutable_kvlist_value()->add_values()->set_key("deep");
  auto* k2 = kvl->add_values();
  k2->set_key("d");
  k2->mutable_value()->set_double_value(0.25);
  auto* none = attrs->Add();
  Add(none, "no_value");
}

}  // namespace

pb::collector::trace::v1::ExportTraceServiceRequest RichRequest() {
  pb::collector::trace::v1::ExportTraceServiceRequest req;
  const std::string trace_id("\x5b\x8a\xa5\xa2\xd2\xc8\x72\xe8\x32\x1c\xf3\x73\x08\xd6\x9d\xf2", 16);
  for (int r = 0; r < 2; ++r) {
    auto* rs = req.add_resource_spans();
    rs->set_schema_url("https://opentelemetry.io/schemas/1.26.0");
    auto* res = rs->mutable_resource();
    auto* svc = res->add_attributes();
    svc->set_key("service.name");
    svc->mutable_value()->set_string_value(r == 0 ? "order-service" : "inventory-service");
    res->set_dropped_attributes_count(r);
    for (int sc = 0; sc < (r == 0 ? 2 : 1); ++sc) {
      auto* ss = rs->add_scope_spans();
      ss->mutable_scope()->set_name("scope-" + std::to_string(sc));
      ss->mutable_scope()->set_version("1." + std::to_string(sc));
      if (sc == 1) {
        FillAllKinds(ss->mutable_scope()->mutable_attributes());
        ss->mutable_scope()->set_dropped_attributes_count(3);
        ss->set_schema_url("scope-schema");
      }
      for (int n = 0; n < 3; ++n) {
        auto* sp = ss->add_spans();
        sp->set_trace_id(trace_id);
        std::string sid(8, static_cast<char>(1 + r * 16 + sc * 4 + n));
        sp->set_span_id(sid);
        if (n > 0) sp->set_parent_span_id(std::string(8, static_cast<char>(1 + r * 16 + sc * 4)));
        sp->set_trace_state("a=1,b=2");
        sp->set_name("op-" + std::to_string(n));
        sp->set_kind(static_cast<pb::trace::v1::Span::SpanKind>(n + 1));
        sp->set_start_time_unix_nano(1700000000000000000ULL + n);
        sp->set_end_time_unix_nano(1700000000000000000ULL + 1000 * (n + 1));
        sp->set_flags(0x301);
        FillAllKinds(sp->mutable_attributes());
        sp->set_dropped_attributes_count(1);
        auto* ev = sp->add_events();
        ev->set_time_unix_nano(1700000000000000500ULL);
        ev->set_name("exception");
        FillAllKinds(ev->mutable_attributes());
        ev->set_dropped_attributes_count(2);
        sp->add_events()->set_name("bare");
        sp->set_dropped_events_count(4);
        auto* ln = sp->add_links();
        ln->set_trace_id(std::string(16, '\x0a'));
        ln->set_span_id(std::string(8, '\x0b'));
        ln->set_trace_state("rojo=1");
        FillAllKinds(ln->mutable_attributes());
        ln->set_dropped_attributes_count(5);
        ln->set_flags(0x101);
        sp->set_dropped_links_count(6);
        if (n == 1) {
          sp->mutable_status()->set_code(pb::trace::v1::Status::STATUS_CODE_ERROR);
          sp->mutable_status()->set_message("payment declined");
        }
      }
    }
  }
  return req;
}

}  // namespace rubato::testing
