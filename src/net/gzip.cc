#include "net/gzip.h"

#include <zlib.h>

namespace rubato::net {

Status Gunzip(std::string_view compressed, size_t max_output, std::string* out) {
  out->clear();
  z_stream zs{};
  // 15 + 32: accept both gzip and zlib headers, detected automatically.
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Status::Internal("gzip: inflateInit failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  size_t chunk = std::min<size_t>(std::max<size_t>(compressed.size() * 4, 4096), max_output + 1);
  while (rc != Z_STREAM_END) {
    size_t used = out->size();
    if (used > max_output) break;
    size_t grow = std::min(chunk, max_output + 1 - used);
    if (grow == 0) grow = 1;
    out->resize(used + grow);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + used);
    zs.avail_out = static_cast<uInt>(grow);
    rc = inflate(&zs, Z_NO_FLUSH);
    out->resize(used + grow - zs.avail_out);
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      inflateEnd(&zs);
      return Status::InvalidArgument("gzip: truncated compressed body");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string why = zs.msg ? zs.msg : "corrupt data";
      inflateEnd(&zs);
      return Status::InvalidArgument("gzip: " + why);
    }
    chunk *= 2;
  }
  inflateEnd(&zs);
  if (out->size() > max_output) {
    out->clear();
    return Status::ResourceExhausted("gzip: decompressed body exceeds the limit of " + std::to_string(max_output) +
                                     " bytes");
  }
  return Status::Ok();
}

std::string Gzip(std::string_view plain, int level) {
  z_stream zs{};
  deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, plain.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  zs.avail_in = static_cast<uInt>(plain.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace rubato::net
