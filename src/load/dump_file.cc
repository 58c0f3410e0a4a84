#include "load/dump_file.h"

#include <cstring>
#include <fstream>
#include <iterator>

namespace rubato::load {
namespace {

// Fixed-width little-endian integers, written byte by byte so the file is the
// same on any host.
template <typename T>
void PutLe(std::string* out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) out->push_back(static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff));
}

template <typename T>
T GetLe(const char* p) {
  uint64_t v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return static_cast<T>(v);
}

Status Bad(size_t offset, const std::string& why) {
  return Status::InvalidArgument("load dump: " + why + " (at byte " + std::to_string(offset) + ")");
}

constexpr uint8_t kFlagGzip = 1;

}  // namespace

std::string SerializeDump(const BatchSet& set) {
  std::string out;
  out.reserve(kDumpHeaderBytes + set.TotalBytes() + kDumpRecordHeaderBytes * set.bodies.size());
  out.append(kDumpMagic);
  PutLe<uint16_t>(&out, kDumpVersion);
  PutLe<uint8_t>(&out, static_cast<uint8_t>(set.encoding));
  PutLe<uint8_t>(&out, set.gzip ? kFlagGzip : 0);
  PutLe<uint32_t>(&out, static_cast<uint32_t>(set.bodies.size()));
  PutLe<uint64_t>(&out, set.seed);
  PutLe<uint64_t>(&out, set.base_time_unix_nano);
  PutLe<uint32_t>(&out, set.spans_per_batch);
  PutLe<uint32_t>(&out, 0);  // reserved
  for (size_t i = 0; i < set.bodies.size(); ++i) {
    PutLe<uint32_t>(&out, static_cast<uint32_t>(set.bodies[i].size()));
    PutLe<uint32_t>(&out, set.span_counts[i]);
    out.append(set.bodies[i]);
  }
  return out;
}

Result<BatchSet> ParseDump(std::string_view bytes) {
  if (bytes.size() < kDumpHeaderBytes) return Bad(0, "shorter than the 40-byte header");
  const char* p = bytes.data();
  if (std::memcmp(p, kDumpMagic.data(), kDumpMagic.size()) != 0) return Bad(0, "not a rubato load dump (bad magic)");
  if (uint16_t v = GetLe<uint16_t>(p + 8); v != kDumpVersion)
    return Bad(8, "unsupported version " + std::to_string(v));
  BatchSet set;
  uint8_t encoding = GetLe<uint8_t>(p + 10);
  if (encoding != static_cast<uint8_t>(BodyEncoding::kProtobuf) && encoding != static_cast<uint8_t>(BodyEncoding::kJson))
    return Bad(10, "unknown body encoding " + std::to_string(encoding));
  set.encoding = static_cast<BodyEncoding>(encoding);
  uint8_t flags = GetLe<uint8_t>(p + 11);
  if ((flags & ~kFlagGzip) != 0) return Bad(11, "unknown flags " + std::to_string(flags));
  set.gzip = (flags & kFlagGzip) != 0;
  uint32_t count = GetLe<uint32_t>(p + 12);
  set.seed = GetLe<uint64_t>(p + 16);
  set.base_time_unix_nano = GetLe<uint64_t>(p + 24);
  set.spans_per_batch = GetLe<uint32_t>(p + 32);
  size_t at = kDumpHeaderBytes;
  // No reserve(count): a corrupt count must not allocate gigabytes.
  for (uint32_t i = 0; i < count; ++i) {
    if (bytes.size() - at < kDumpRecordHeaderBytes)
      return Bad(at, "record " + std::to_string(i) + " of " + std::to_string(count) + " is truncated");
    uint32_t len = GetLe<uint32_t>(p + at);
    uint32_t spans = GetLe<uint32_t>(p + at + 4);
    at += kDumpRecordHeaderBytes;
    if (bytes.size() - at < len)
      return Bad(at, "record " + std::to_string(i) + " wants " + std::to_string(len) + " bytes, " +
                         std::to_string(bytes.size() - at) + " left");
    set.bodies.emplace_back(p + at, len);
    set.span_counts.push_back(spans);
    at += len;
  }
  if (at != bytes.size()) return Bad(at, std::to_string(bytes.size() - at) + " bytes after the last record");
  if (set.bodies.empty()) return Bad(12, "no records");
  return set;
}

Status WriteDumpFile(const BatchSet& set, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Status::Unavailable("cannot create " + path);
  std::string bytes = SerializeDump(set);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) return Status::Unavailable("write to " + path + " failed");
  return Status::Ok();
}

Result<BatchSet> ReadDumpFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("cannot open " + path);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) return Status::Unavailable("read of " + path + " failed");
  Result<BatchSet> set = ParseDump(bytes);
  if (!set.ok()) return Status(set.status()).Prepend(path);
  return set;
}

}  // namespace rubato::load
