#include "load/fresh_trace_ids.h"

#include <cstring>

#include "otlp/wire_reader.h"

namespace rubato::load {
namespace {

using otlp::WireReader;
using otlp::WireType;

// Field numbers of the OTLP trace messages on the path to a trace ID.
constexpr uint32_t kRequestResourceSpans = 1;
constexpr uint32_t kResourceSpansScopeSpans = 2;
constexpr uint32_t kScopeSpansSpans = 2;
constexpr uint32_t kSpanTraceId = 1;
constexpr uint32_t kSpanLinks = 13;
constexpr uint32_t kLinkTraceId = 1;

// Calls on_field(field, bytes) for each length-delimited field of the message
// and skips the others; false when the message is malformed.
template <typename OnField>
bool ForEachBytesField(std::string_view msg, const char* origin, OnField on_field) {
  WireReader r(msg.data(), msg.data() + msg.size(), origin);
  while (!r.done()) {
    uint32_t field;
    WireType type;
    if (!r.ReadKey(&field, &type)) return false;
    if (type != WireType::kLengthDelimited) {
      if (!r.Skip(type)) return false;
      continue;
    }
    std::string_view bytes;
    if (!r.ReadBytes(&bytes) || !on_field(field, bytes)) return false;
  }
  return true;
}

}  // namespace

Result<std::vector<uint32_t>> FindTraceIdOffsets(std::string_view body) {
  std::vector<uint32_t> offsets;
  const char* origin = body.data();
  auto add_id = [&](std::string_view id) {
    if (id.size() != 16) return false;
    offsets.push_back(static_cast<uint32_t>(id.data() - origin));
    return true;
  };
  auto on_link = [&](uint32_t f, std::string_view b) { return f != kLinkTraceId || add_id(b); };
  auto on_span = [&](uint32_t f, std::string_view b) {
    if (f == kSpanTraceId) return add_id(b);
    if (f == kSpanLinks) return ForEachBytesField(b, origin, on_link);
    return true;
  };
  auto on_scope = [&](uint32_t f, std::string_view b) {
    return f != kScopeSpansSpans || ForEachBytesField(b, origin, on_span);
  };
  auto on_resource = [&](uint32_t f, std::string_view b) {
    return f != kResourceSpansScopeSpans || ForEachBytesField(b, origin, on_scope);
  };
  auto on_request = [&](uint32_t f, std::string_view b) {
    return f != kRequestResourceSpans || ForEachBytesField(b, origin, on_resource);
  };
  if (!ForEachBytesField(body, origin, on_request))
    return Status::InvalidArgument("--fresh-trace-ids: a body is not an OTLP protobuf request with 16-byte trace IDs");
  return offsets;
}

namespace {

// What pass `pass` XORs into a trace ID's first 8 bytes. A multiplicative
// mix, so consecutive passes differ in every byte and the store's ID-prefix
// hashing sees well-spread IDs; pass 0 leaves IDs as generated.
uint64_t PassMask(uint64_t pass) { return pass == 0 ? 0 : (pass + 1) * 0x9E3779B97F4A7C15ull; }

void XorTraceIds(std::span<const uint32_t> offsets, uint64_t mask, char* body) {
  if (mask == 0) return;
  for (uint32_t off : offsets) {
    uint64_t v;
    std::memcpy(&v, body + off, 8);
    v ^= mask;
    std::memcpy(body + off, &v, 8);
  }
}

}  // namespace

void RewriteTraceIds(std::string_view body, std::span<const uint32_t> offsets, uint64_t pass,
                     std::string* out) {
  out->assign(body);
  XorTraceIds(offsets, PassMask(pass), out->data());
}

void RepassTraceIds(std::span<const uint32_t> offsets, uint64_t from, uint64_t to, char* body) {
  XorTraceIds(offsets, PassMask(from) ^ PassMask(to), body);
}

FreshBodies::FreshBodies(const std::vector<std::string>& bodies, const std::vector<std::vector<uint32_t>>& offsets)
    : offsets_(offsets) {
  bodies_.reserve(bodies.size());
  for (const std::string& b : bodies) {
    auto body = std::make_unique<Body>();
    body->bytes = b;
    bodies_.push_back(std::move(body));
  }
}

const std::string* FreshBodies::Acquire(size_t batch, uint64_t pass) {
  Body& b = *bodies_[batch];
  if (b.busy.exchange(true, std::memory_order_acquire)) return nullptr;
  RepassTraceIds(offsets_[batch], b.pass, pass, b.bytes.data());
  b.pass = pass;
  return &b.bytes;
}

void FreshBodies::Release(size_t batch) { bodies_[batch]->busy.store(false, std::memory_order_release); }

}  // namespace rubato::load
