// Fuzzes how the SDK's exporters and `rubato load` read a server's answer
// (src/otlp/export_response.h, src/sdk/export/retry_after.h): the partial
// success of an ExportTraceServiceResponse (protobuf, JSON), the message of a
// google.rpc.Status body (protobuf, JSON), the RetryInfo delay in
// grpc-status-details-bin, and HTTP's Retry-After. The first byte picks
// which. Properties checked: whatever parses re-encodes to bytes that parse
// to the same value; delays are never negative and stay within their limits.
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>

#include "otlp/export_response.h"
#include "sdk/export/retry_after.h"

namespace {

using namespace rubato::otlp;
using rubato::sdk::ParseRetryAfter;
using std::chrono::nanoseconds;
using std::chrono::seconds;

void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "otlp_response_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Protobuf wire encoding, just enough for the messages read here.
void Varint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
void VarintField(uint32_t field, uint64_t v, std::string* out) {
  Varint(field << 3 | 0, out);
  Varint(v, out);
}
void BytesField(uint32_t field, std::string_view v, std::string* out) {
  Varint(field << 3 | 2, out);
  Varint(v.size(), out);
  out->append(v);
}

// A JSON string literal; `s` must be valid UTF-8.
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

bool IsUtf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

// `js` must parse to `ps`.
void ExpectFromJson(const std::string& js, const PartialSuccess& ps, const char* failure) {
  auto parsed = ParsePartialSuccess(js, true);
  if (!parsed.ok() || parsed.value().rejected_spans != ps.rejected_spans ||
      parsed.value().error_message != ps.error_message) {
    Fail(failure, js);
  }
}

void CheckPartialSuccess(std::string_view body, bool json) {
  auto parsed = ParsePartialSuccess(body, json);
  if (!parsed.ok()) {
    if (parsed.status().message().find("ExportTraceServiceResponse") == std::string::npos) {
      Fail("error does not say what was expected", parsed.status().message());
    }
    return;
  }
  const PartialSuccess& ps = parsed.value();
  if (body.empty() && ps.present()) Fail("an empty body is not a full success", "");
  std::string inner;
  if (ps.rejected_spans != 0) VarintField(1, static_cast<uint64_t>(ps.rejected_spans), &inner);
  if (!ps.error_message.empty()) BytesField(2, ps.error_message, &inner);
  std::string pb;
  if (ps.present()) BytesField(1, inner, &pb);
  auto again = ParsePartialSuccess(pb, false);
  if (!again.ok() || again.value().rejected_spans != ps.rejected_spans ||
      again.value().error_message != ps.error_message) {
    Fail("partial success does not survive protobuf re-encoding", ps.error_message);
  }
  if (!IsUtf8(ps.error_message)) return;  // JSON cannot carry it
  std::string js = "{\"partialSuccess\":{\"rejectedSpans\":\"" + std::to_string(ps.rejected_spans) +
                   "\",\"errorMessage\":" + JsonString(ps.error_message) + "}}";
  ExpectFromJson(js, ps, "partial success does not survive JSON re-encoding");
  // The proto field names read the same as the JSON names.
  std::string snake = "{\"partialSuccess\":{\"rejected_spans\":" + std::to_string(ps.rejected_spans) +
                      ",\"error_message\":" + JsonString(ps.error_message) + "}}";
  ExpectFromJson(snake, ps, "partial success does not survive JSON with proto field names");
}

void CheckStatusMessage(std::string_view body, bool json) {
  std::string message = RpcStatusMessage(body, json);
  if (message.empty()) return;
  std::string pb;
  VarintField(1, 3, &pb);  // code, to be skipped
  BytesField(2, message, &pb);
  if (RpcStatusMessage(pb, false) != message) Fail("status message does not survive protobuf", message);
  if (IsUtf8(message) && RpcStatusMessage("{\"code\":3,\"message\":" + JsonString(message) + "}", true) != message) {
    Fail("status message does not survive JSON", message);
  }
}

void CheckRetryInfo(std::string_view bytes) {
  std::optional<nanoseconds> delay = RetryInfoDelay(bytes);
  if (!delay) return;
  if (*delay < nanoseconds(0) || *delay >= seconds(86401)) Fail("RetryInfo delay out of bounds", "");
  std::string duration, retry_info, any, status;
  VarintField(1, static_cast<uint64_t>(delay->count() / 1000000000), &duration);
  VarintField(2, static_cast<uint64_t>(delay->count() % 1000000000), &duration);
  BytesField(1, duration, &retry_info);
  BytesField(1, "type.googleapis.com/google.rpc.RetryInfo", &any);
  BytesField(2, retry_info, &any);
  VarintField(1, 14, &status);
  BytesField(3, any, &status);
  std::optional<nanoseconds> again = RetryInfoDelay(status);
  if (again != delay) Fail("RetryInfo delay does not survive re-encoding", "");
}

void CheckRetryAfter(std::string_view value) {
  // A fixed "now" (2024-01-01) keeps the fuzzer deterministic.
  const auto now = std::chrono::system_clock::time_point(seconds(1704067200));
  std::optional<nanoseconds> delay = ParseRetryAfter(value, now);
  if (!delay) return;
  if (*delay < nanoseconds(0)) Fail("negative Retry-After", value);
  size_t digits = value.find_first_not_of(" \t");
  bool delay_seconds = digits != std::string_view::npos && value[digits] >= '0' && value[digits] <= '9';
  if (delay_seconds && *delay > seconds(999999999)) Fail("delay-seconds over 9 digits accepted", value);
  if (*delay == nanoseconds(0)) return;
  // The same instant as an IMF-fixdate must ask for the same wait.
  std::time_t at = static_cast<std::time_t>(1704067200 + std::chrono::duration_cast<seconds>(*delay).count());
  std::tm tm{};
  if (!gmtime_r(&at, &tm)) return;
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (tm.tm_year + 1900 > 9999) return;
  std::optional<nanoseconds> again = ParseRetryAfter(buf, now);
  if (again != std::chrono::duration_cast<seconds>(*delay)) Fail("Retry-After does not survive as a date", buf);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: CheckPartialSuccess(rest, false); break;
    case 1: CheckPartialSuccess(rest, true); break;
    case 2: CheckStatusMessage(rest, false); break;
    case 3: CheckStatusMessage(rest, true); break;
    case 4: CheckRetryInfo(rest); break;
    default: CheckRetryAfter(rest);
  }
  return 0;
}
