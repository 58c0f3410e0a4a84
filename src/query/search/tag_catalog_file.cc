#include "query/search/tag_catalog_file.h"

#include <cstring>

#include "store/block/encoding.h"
#include "store/wal/crc32c.h"

namespace rubato::query::search {
namespace {

constexpr char kMagic[4] = {'R', 'B', 'K', 'C'};
constexpr uint8_t kVersion = 1;
constexpr uint8_t kKeysTruncated = 1, kValuesTruncated = 1;
constexpr uint8_t kLastType = static_cast<uint8_t>(TagValueType::kKeyword);

void PutString(std::string* out, std::string_view s) {
  store::block::PutUvarint(out, s.size());
  out->append(s);
}

}  // namespace

std::string EncodeCatalog(const TagCatalog& catalog) {
  std::string out(kMagic, 4);
  out.push_back(static_cast<char>(kVersion));
  for (size_t s = 0; s < kTagScopeCount; ++s) {
    const auto scope = static_cast<TagScope>(s);
    out.push_back(static_cast<char>(catalog.keys_truncated(scope) ? kKeysTruncated : 0));
    store::block::PutUvarint(&out, catalog.scope(scope).size());
    for (const auto& [key, values] : catalog.scope(scope)) {
      PutString(&out, key);
      out.push_back(static_cast<char>(values.truncated ? kValuesTruncated : 0));
      store::block::PutUvarint(&out, values.values.size());
      for (const TagValue& v : values.values) {
        out.push_back(static_cast<char>(v.type));
        PutString(&out, v.text);
      }
    }
  }
  store::block::PutFixed<uint32_t>(&out, store::wal::Crc32c(0, out));
  return out;
}

Result<TagCatalog> DecodeCatalog(std::string_view bytes, CatalogLimits limits) {
  auto bad = [](const std::string& what) { return Status::Internal("catalog: " + what); };
  if (bytes.size() < 9 || std::memcmp(bytes.data(), kMagic, 4) != 0) return bad("bad magic");
  if (static_cast<uint8_t>(bytes[4]) != kVersion) return bad("unknown version " + std::to_string(uint8_t(bytes[4])));
  uint32_t crc;
  std::memcpy(&crc, bytes.data() + bytes.size() - 4, 4);
  if (store::wal::Crc32c(0, bytes.data(), bytes.size() - 4) != crc) return bad("checksum mismatch");
  store::block::ByteReader r(bytes.substr(5, bytes.size() - 9));
  TagCatalog out(limits);
  for (size_t s = 0; s < kTagScopeCount && r.ok(); ++s) {
    const auto scope = static_cast<TagScope>(s);
    const bool keys_truncated = r.Fixed<uint8_t>() == kKeysTruncated;
    // Counts are checked against what is left: each key or value takes at
    // least two bytes, so a damaged count cannot make the loop run long.
    const uint64_t keys = r.Uvarint();
    if (keys > r.remaining()) return bad("key count past the end");
    for (uint64_t k = 0; k < keys && r.ok(); ++k) {
      std::string_view key = r.Bytes(r.Uvarint());
      const bool values_truncated = r.Fixed<uint8_t>() == kValuesTruncated;
      const uint64_t n = r.Uvarint();
      if (n > r.remaining()) return bad("value count past the end");
      TagCatalog::Values* slot = r.ok() ? out.KeySlot(scope, key) : nullptr;
      for (uint64_t v = 0; v < n && r.ok(); ++v) {
        uint8_t type = r.Fixed<uint8_t>();
        std::string_view text = r.Bytes(r.Uvarint());
        if (type > kLastType) return bad("unknown value type " + std::to_string(type));
        if (slot) out.AddTo(slot, {static_cast<TagValueType>(type), text});
      }
      if (slot && values_truncated) slot->truncated = true;  // after the values: a truncated key takes no more
    }
    if (keys_truncated) out.MarkKeysTruncated(scope);
  }
  if (!r.ok() || !r.done()) return bad("malformed or trailing bytes");
  return out;
}

}  // namespace rubato::query::search
