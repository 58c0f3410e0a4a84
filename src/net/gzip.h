// gzip (and zlib/deflate) bodies for HTTP and gRPC, with a hard cap on the
// decompressed size so a small bomb cannot take unbounded memory.
#pragma once

#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::net {

// Inflates gzip or zlib data. More than max_output bytes of output is
// ResourceExhausted; corrupt input is InvalidArgument naming zlib's reason.
Status Gunzip(std::string_view compressed, size_t max_output, std::string* out);

// Compresses as gzip (level 1: cheap, for tests and clients).
std::string Gzip(std::string_view plain, int level = 1);

}  // namespace rubato::net
