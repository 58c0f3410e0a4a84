// Column chunks (docs/format/block.md, "column chunk"): header, zstd body and
// a CRC32C over everything before it, so a reader detects any corrupt byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "status/status.h"

struct ZSTD_DCtx_s;
struct ZSTD_CCtx_s;

namespace rubato::store::block {

// Appends one chunk holding `raw` to *out.
void AppendChunk(uint16_t column, std::string_view raw, int zstd_level, std::string* out);

// Checks and decompresses one stored chunk; the error names the column.
Result<std::string> DecodeChunk(uint16_t expected_column, std::string_view stored);

// This thread's zstd contexts, reused across calls (a context per call costs
// more than a small chunk's compression or decompression).
ZSTD_DCtx_s* ThreadDCtx();
ZSTD_CCtx_s* ThreadCCtx();

}  // namespace rubato::store::block
