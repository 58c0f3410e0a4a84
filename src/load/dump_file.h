// The dump file of `rubato load --dump` / `--replay`: a 40-byte header, then
// one [u32 length][u32 span count][body] record per request body, every
// integer little-endian. docs/format/load-dump.md draws the byte layout.
#pragma once

#include <string>
#include <string_view>

#include "load/batch_set.h"
#include "status/status.h"

namespace rubato::load {

inline constexpr std::string_view kDumpMagic{"RUBLOAD\0", 8};
inline constexpr uint16_t kDumpVersion = 1;
inline constexpr size_t kDumpHeaderBytes = 40;
inline constexpr size_t kDumpRecordHeaderBytes = 8;

// The file's bytes for a batch set.
std::string SerializeDump(const BatchSet& set);
// Parses a whole file. Errors (InvalidArgument) name the byte offset.
Result<BatchSet> ParseDump(std::string_view bytes);

Status WriteDumpFile(const BatchSet& set, const std::string& path);
Result<BatchSet> ReadDumpFile(const std::string& path);

}  // namespace rubato::load
