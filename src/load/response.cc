#include "load/response.h"

#include <simdjson.h>

#include "otlp/wire_reader.h"

namespace rubato::load {

using otlp::WireReader;
using otlp::WireType;

namespace {

// Calls fn(field, type, reader) for each field of the message in `bytes`;
// fn reads or skips the value. False when the bytes are not a message.
template <typename Fn>
bool ForEachField(std::string_view bytes, Fn fn) {
  WireReader r(bytes.data(), bytes.data() + bytes.size(), bytes.data());
  while (!r.done()) {
    uint32_t field;
    WireType type;
    if (!r.ReadKey(&field, &type)) return false;
    if (!fn(field, type, r)) return false;
  }
  return true;
}

// Reads a length-delimited field's payload, or skips any other field.
bool ReadOrSkip(WireType type, WireReader& r, std::string_view* out) {
  if (type != WireType::kLengthDelimited) return r.Skip(type);
  return r.ReadBytes(out);
}

}  // namespace

Result<PartialSuccess> ParseProtobufResponse(std::string_view body) {
  PartialSuccess ps;
  bool ok = ForEachField(body, [&](uint32_t field, WireType type, WireReader& r) {
    if (field != 1 || type != WireType::kLengthDelimited) return r.Skip(type);
    std::string_view inner;
    if (!r.ReadBytes(&inner)) return false;
    return ForEachField(inner, [&](uint32_t f, WireType t, WireReader& ir) {
      if (f == 1 && t == WireType::kVarint) {
        uint64_t v;
        if (!ir.ReadVarint(&v)) return false;
        ps.rejected_spans = static_cast<int64_t>(v);
        return true;
      }
      if (f == 2 && t == WireType::kLengthDelimited) {
        std::string_view msg;
        if (!ir.ReadBytes(&msg)) return false;
        ps.error_message.assign(msg);
        return true;
      }
      return ir.Skip(t);
    });
  });
  if (!ok) return Status::InvalidArgument("response is not an ExportTraceServiceResponse");
  return ps;
}

Result<PartialSuccess> ParseJsonResponse(std::string_view body) {
  PartialSuccess ps;
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return ps;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object root, partial;
  auto bad = [] { return Status::InvalidArgument("response is not an ExportTraceServiceResponse JSON object"); };
  if (parser.iterate(padded).get(doc) || doc.get_object().get(root)) return bad();
  auto field = root.find_field_unordered("partialSuccess");
  if (field.error() == simdjson::NO_SUCH_FIELD) return ps;
  if (field.get_object().get(partial)) return bad();
  for (auto kv : partial) {
    std::string_view key;
    if (kv.unescaped_key().get(key)) return bad();
    simdjson::ondemand::value v;
    if (kv.value().get(v)) return bad();
    if (key == "rejectedSpans" || key == "rejected_spans") {
      // proto3 JSON writes int64 as a string; accept a bare number too.
      int64_t n = 0;
      if (v.type() == simdjson::ondemand::json_type::string) {
        if (v.get_int64_in_string().get(n)) return bad();
      } else if (v.get_int64().get(n)) {
        return bad();
      }
      ps.rejected_spans = n;
    } else if (key == "errorMessage" || key == "error_message") {
      std::string_view s;
      if (v.get_string().get(s)) return bad();
      ps.error_message.assign(s);
    }
  }
  return ps;
}

std::optional<std::chrono::nanoseconds> ParseRetryInfoDelay(std::string_view status_details) {
  constexpr std::string_view kRetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";
  std::optional<std::chrono::nanoseconds> delay;
  ForEachField(status_details, [&](uint32_t field, WireType type, WireReader& r) {
    std::string_view any;
    if (field != 3) return r.Skip(type);
    if (!ReadOrSkip(type, r, &any)) return false;
    std::string_view type_url, value;
    bool ok = ForEachField(any, [&](uint32_t f, WireType t, WireReader& ar) {
      if (f == 1) return ReadOrSkip(t, ar, &type_url);
      if (f == 2) return ReadOrSkip(t, ar, &value);
      return ar.Skip(t);
    });
    if (!ok || type_url != kRetryInfoType) return true;  // another detail: look on
    std::string_view duration;
    ForEachField(value, [&](uint32_t f, WireType t, WireReader& vr) {
      return f == 1 ? ReadOrSkip(t, vr, &duration) : vr.Skip(t);
    });
    int64_t seconds = 0, nanos = 0;
    bool parsed = ForEachField(duration, [&](uint32_t f, WireType t, WireReader& dr) {
      uint64_t v = 0;
      if (t != WireType::kVarint) return dr.Skip(t);
      if (!dr.ReadVarint(&v)) return false;
      if (f == 1) seconds = static_cast<int64_t>(v);
      if (f == 2) nanos = static_cast<int64_t>(v);
      return true;
    });
    if (parsed && seconds >= 0 && nanos >= 0)
      delay = std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos);
    return true;
  });
  return delay;
}

std::string RpcStatusMessage(std::string_view status_bytes) {
  std::string_view message;
  bool ok = ForEachField(status_bytes, [&](uint32_t field, WireType type, WireReader& r) {
    return field == 2 ? ReadOrSkip(type, r, &message) : r.Skip(type);
  });
  return ok ? std::string(message) : std::string();
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty() || value.size() > 9) return std::nullopt;
  int64_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return std::chrono::seconds(n);
}

}  // namespace rubato::load
