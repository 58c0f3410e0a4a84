#include "store/block/chunk.h"

#include <zstd.h>

#include "store/block/encoding.h"
#include "store/block/format.h"
#include "store/wal/crc32c.h"

namespace rubato::store::block {

ZSTD_DCtx* ThreadDCtx() {
  // ZSTD_decompress makes and frees a context (≈ 100 KiB) per call, which
  // cost more than the decompression itself for a row group's 55 small chunks.
  struct Holder {
    ZSTD_DCtx* ctx = ZSTD_createDCtx();
    ~Holder() { ZSTD_freeDCtx(ctx); }
  };
  thread_local Holder h;
  return h.ctx;
}

ZSTD_CCtx* ThreadCCtx() {
  struct Holder {
    ZSTD_CCtx* ctx = ZSTD_createCCtx();
    ~Holder() { ZSTD_freeCCtx(ctx); }
  };
  thread_local Holder h;
  return h.ctx;
}

void AppendChunk(uint16_t column, std::string_view raw, int zstd_level, std::string* out) {
  size_t begin = out->size();
  PutFixed<uint16_t>(out, column);
  out->push_back(static_cast<char>(kEncodingPlain));
  // Tiny chunks do not pay for a zstd frame header.
  bool compress = raw.size() >= 64;
  out->push_back(static_cast<char>(compress ? kCodecZstd : kCodecNone));
  PutUvarint(out, raw.size());
  if (compress) {
    size_t at = out->size();
    out->resize(at + ZSTD_compressBound(raw.size()));
    size_t n = ZSTD_compressCCtx(ThreadCCtx(), out->data() + at, out->size() - at, raw.data(), raw.size(), zstd_level);
    if (ZSTD_isError(n)) {  // cannot happen with a compressBound-sized buffer; store raw then
      out->resize(begin + 3);
      out->push_back(static_cast<char>(kCodecNone));
      PutUvarint(out, raw.size());
      out->append(raw);
    } else {
      out->resize(at + n);
    }
  } else {
    out->append(raw);
  }
  PutFixed<uint32_t>(out, wal::Crc32c(0, out->data() + begin, out->size() - begin));
}

Result<std::string> DecodeChunk(uint16_t expected_column, std::string_view stored) {
  std::string name = std::string("column ") + ColumnName(expected_column);
  if (stored.size() < 9) return Status::Internal(name + ": chunk truncated");
  uint32_t crc;
  std::memcpy(&crc, stored.data() + stored.size() - 4, 4);
  std::string_view covered = stored.substr(0, stored.size() - 4);
  if (wal::Crc32c(0, covered) != crc) return Status::Internal(name + ": checksum mismatch (corrupt chunk)");
  ByteReader r(covered);
  uint16_t column = r.Fixed<uint16_t>();
  uint8_t encoding = r.Fixed<uint8_t>();
  uint8_t codec = r.Fixed<uint8_t>();
  uint64_t raw_len = r.Uvarint();
  if (!r.ok() || column != expected_column || encoding != kEncodingPlain || raw_len > (1ull << 32)) {
    return Status::Internal(name + ": bad chunk header");
  }
  std::string_view body = r.Bytes(r.remaining());
  if (codec == kCodecNone) {
    if (body.size() != raw_len) return Status::Internal(name + ": length mismatch");
    return std::string(body);
  }
  if (codec != kCodecZstd) return Status::Internal(name + ": unknown codec " + std::to_string(codec));
  // The frame must agree with the header before raw_len bytes are allocated.
  if (ZSTD_getFrameContentSize(body.data(), body.size()) != raw_len) {
    return Status::Internal(name + ": zstd frame size differs from the chunk header");
  }
  std::string raw(raw_len, '\0');
  size_t n = ZSTD_decompressDCtx(ThreadDCtx(), raw.data(), raw.size(), body.data(), body.size());
  if (ZSTD_isError(n) || n != raw_len) return Status::Internal(name + ": zstd decode failed");
  return raw;
}

}  // namespace rubato::store::block
