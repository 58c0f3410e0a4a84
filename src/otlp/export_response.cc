#include "otlp/export_response.h"

#include <simdjson.h>

#include "otlp/wire_reader.h"

namespace rubato::otlp {

namespace {

constexpr std::string_view kRetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";

// Calls fn(field, type, reader) for each field of the message in `bytes`;
// fn reads or skips the value. False when the bytes are not a message.
template <typename Fn>
bool ForEachField(std::string_view bytes, Fn fn) {
  WireReader r(bytes.data(), bytes.data() + bytes.size(), bytes.data());
  while (!r.done()) {
    uint32_t field;
    WireType type;
    if (!r.ReadKey(&field, &type) || !fn(field, type, r)) return false;
  }
  return true;
}

// Reads a length-delimited field's payload; skips a field of any other type.
bool ReadOrSkip(WireType type, WireReader& r, std::string_view* out) {
  return type == WireType::kLengthDelimited ? r.ReadBytes(out) : r.Skip(type);
}

bool ReadVarintOrSkip(WireType type, WireReader& r, uint64_t* out) {
  return type == WireType::kVarint ? r.ReadVarint(out) : r.Skip(type);
}

Result<PartialSuccess> ParseProtobuf(std::string_view body) {
  PartialSuccess ps;
  bool ok = ForEachField(body, [&](uint32_t field, WireType type, WireReader& r) {
    std::string_view inner;
    if (field != 1) return r.Skip(type);
    if (!ReadOrSkip(type, r, &inner)) return false;
    return ForEachField(inner, [&](uint32_t f, WireType t, WireReader& ir) {
      if (f == 1) {
        uint64_t v = 0;
        if (!ReadVarintOrSkip(t, ir, &v)) return false;
        ps.rejected_spans = static_cast<int64_t>(v);
        return true;
      }
      if (f == 2) {
        std::string_view msg;
        if (!ReadOrSkip(t, ir, &msg)) return false;
        ps.error_message.assign(msg);
        return true;
      }
      return ir.Skip(t);
    });
  });
  if (!ok) return Status::InvalidArgument("the answer is not an ExportTraceServiceResponse");
  return ps;
}

Result<PartialSuccess> ParseJson(std::string_view body) {
  PartialSuccess ps;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return ps;
  auto bad = [] { return Status::InvalidArgument("the answer is not an ExportTraceServiceResponse JSON object"); };
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object root, partial;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(root)) return bad();
  auto field = root.find_field_unordered("partialSuccess");
  if (field.error() == simdjson::NO_SUCH_FIELD) return ps;
  if (field.get_object().get(partial)) return bad();
  for (auto kv : partial) {
    std::string_view key;
    simdjson::ondemand::value v;
    if (kv.unescaped_key().get(key) || kv.value().get(v)) return bad();
    if (key == "rejectedSpans" || key == "rejected_spans") {
      int64_t n = 0;
      simdjson::ondemand::json_type type;
      if (v.type().get(type)) return bad();
      bool quoted = type == simdjson::ondemand::json_type::string;
      if (quoted ? v.get_int64_in_string().get(n) : v.get_int64().get(n)) return bad();
      ps.rejected_spans = n;
    } else if (key == "errorMessage" || key == "error_message") {
      std::string_view s;
      if (v.get_string().get(s)) return bad();
      ps.error_message.assign(s);
    }
  }
  return ps;
}

std::string JsonStatusMessage(std::string_view body) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  simdjson::ondemand::document doc;
  std::string_view message;
  if (parser.iterate(padded).get(doc)) return {};
  if (doc["message"].get_string().get(message)) return {};
  return std::string(message);
}

}  // namespace

Result<PartialSuccess> ParsePartialSuccess(std::string_view body, bool json) {
  return json ? ParseJson(body) : ParseProtobuf(body);
}

std::string RpcStatusMessage(std::string_view body, bool json) {
  if (json) return JsonStatusMessage(body);
  std::string_view message;
  bool ok = ForEachField(body, [&](uint32_t field, WireType type, WireReader& r) {
    return field == 2 ? ReadOrSkip(type, r, &message) : r.Skip(type);
  });
  return ok ? std::string(message) : std::string();
}

std::optional<std::chrono::nanoseconds> RetryInfoDelay(std::string_view rpc_status) {
  std::optional<std::chrono::nanoseconds> delay;
  // Status.details=3 are Any{type_url=1, value=2}; RetryInfo.retry_delay=1 is
  // a Duration{seconds=1, nanos=2}.
  ForEachField(rpc_status, [&](uint32_t field, WireType type, WireReader& r) {
    std::string_view any, type_url, value, duration;
    if (field != 3 || delay) return r.Skip(type);
    if (!ReadOrSkip(type, r, &any)) return false;
    bool ok = ForEachField(any, [&](uint32_t f, WireType t, WireReader& ar) {
      if (f == 1) return ReadOrSkip(t, ar, &type_url);
      if (f == 2) return ReadOrSkip(t, ar, &value);
      return ar.Skip(t);
    });
    if (!ok || type_url != kRetryInfoType) return true;  // another kind of detail: look on
    ok = ForEachField(value, [&](uint32_t f, WireType t, WireReader& vr) {
      return f == 1 ? ReadOrSkip(t, vr, &duration) : vr.Skip(t);
    });
    uint64_t seconds = 0, nanos = 0;
    ok = ok && ForEachField(duration, [&](uint32_t f, WireType t, WireReader& dr) {
      if (f == 1) return ReadVarintOrSkip(t, dr, &seconds);
      if (f == 2) return ReadVarintOrSkip(t, dr, &nanos);
      return dr.Skip(t);
    });
    // Negative or absurd durations (over a day) are not a delay to honour.
    if (ok && seconds <= 86400 && nanos < 1'000'000'000)
      delay = std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos);
    return true;
  });
  return delay;
}

}  // namespace rubato::otlp
