#include "query/search/owned_value.h"

#include "otlp/json_writer.h"

namespace rubato::query::search {

OwnedValue OwnedValue::Copy(const model::AnyValue& v, const model::Batch* batch) {
  OwnedValue out;
  out.kind = v.kind;
  switch (v.kind) {
    case model::ValueKind::kEmpty: break;
    case model::ValueKind::kString:
    case model::ValueKind::kBytes: out.str = std::string(v.str); break;
    case model::ValueKind::kBool: out.boolean = v.boolean; break;
    case model::ValueKind::kInt: out.integer = v.integer; break;
    case model::ValueKind::kDouble: out.dbl = v.dbl; break;
    case model::ValueKind::kArray:
      if (batch && v.children.end() <= batch->values.size()) {
        for (const model::AnyValue& c : batch->Values(v.children)) out.array.push_back(Copy(c, batch));
      }
      break;
    case model::ValueKind::kKvList:
      if (batch && v.children.end() <= batch->attributes.size()) {
        for (const model::KeyValue& kv : batch->Attributes(v.children)) {
          out.kvlist.push_back({std::string(kv.key), Copy(kv.value, batch)});
        }
      }
      break;
  }
  return out;
}

bool OwnedValue::operator==(const OwnedValue& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case model::ValueKind::kEmpty: return true;
    case model::ValueKind::kString:
    case model::ValueKind::kBytes: return str == o.str;
    case model::ValueKind::kBool: return boolean == o.boolean;
    case model::ValueKind::kInt: return integer == o.integer;
    case model::ValueKind::kDouble: return dbl == o.dbl;
    case model::ValueKind::kArray: return array == o.array;
    case model::ValueKind::kKvList: return kvlist == o.kvlist;
  }
  return false;
}

void WriteValueJson(const OwnedValue& v, otlp::JsonWriter* w) {
  w->BeginObject();
  switch (v.kind) {
    case model::ValueKind::kEmpty: break;
    case model::ValueKind::kString: w->Key("stringValue"); w->String(v.str); break;
    case model::ValueKind::kBool: w->Key("boolValue"); w->Bool(v.boolean); break;
    case model::ValueKind::kInt: w->Key("intValue"); w->QuotedInt(v.integer); break;
    case model::ValueKind::kDouble: w->Key("doubleValue"); w->Double(v.dbl); break;
    case model::ValueKind::kBytes: w->Key("bytesValue"); w->Base64(v.str); break;
    case model::ValueKind::kArray:
      w->Key("arrayValue");
      w->BeginObject();
      if (!v.array.empty()) {
        w->Key("values");
        w->BeginArray();
        for (const OwnedValue& c : v.array) WriteValueJson(c, w);
        w->EndArray();
      }
      w->EndObject();
      break;
    case model::ValueKind::kKvList:
      w->Key("kvlistValue");
      w->BeginObject();
      if (!v.kvlist.empty()) {
        w->Key("values");
        WriteKeyValuesJson(v.kvlist, w);
      }
      w->EndObject();
      break;
  }
  w->EndObject();
}

void WriteKeyValuesJson(const std::vector<OwnedKeyValue>& kvs, otlp::JsonWriter* w) {
  w->BeginArray();
  for (const OwnedKeyValue& kv : kvs) {
    w->BeginObject();
    w->Key("key");
    w->String(kv.key);
    if (kv.value.kind != model::ValueKind::kEmpty) {
      w->Key("value");
      WriteValueJson(kv.value, w);
    }
    w->EndObject();
  }
  w->EndArray();
}

}  // namespace rubato::query::search
