// Base64 (RFC 4648) for the JSON codecs: OTLP/JSON carries bytesValue, and
// protobuf's canonical JSON (Tempo) carries every bytes field, as base64.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rubato::otlp {

// Appends the standard-alphabet, padded encoding of `in` to `out`.
void Base64Encode(std::string_view in, std::string* out);

// Upper bound of the decoded size of `in` (for sizing the output buffer).
inline size_t Base64DecodedMaxSize(size_t encoded_size) { return (encoded_size + 3) / 4 * 3; }

struct Base64Result {
  bool ok;
  size_t size;          // decoded bytes written, when ok
  size_t error_offset;  // offset in `in` of the offending character, when not ok
};

// Decodes standard or URL-safe base64 (either alphabet, even mixed, as
// protobuf's JSON parsers accept), with or without '=' padding, into `out`,
// which must hold Base64DecodedMaxSize(in.size()) bytes. Rejects other
// characters (whitespace included), misplaced padding and a length of 1 mod 4.
// Unused low bits of the last character are ignored, as most decoders do.
Base64Result Base64Decode(std::string_view in, char* out);

}  // namespace rubato::otlp
