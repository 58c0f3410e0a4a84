// A small JSON writer for the OTLP/JSON and Tempo encoders.
//
// Why not rapidjson's Writer: in OTLP/JSON nearly every number is a quoted
// string (int64, fixed64), ids are hex or base64 strings, and doubles need
// the shortest round-trip form plus "NaN"/"Infinity" strings, which
// rapidjson 1.1's Grisu2 Writer::Double does not give (not always shortest,
// non-finite values rejected or written as invalid JSON). What would be left
// of rapidjson is structure and escaping; this writer does those appending
// straight to a std::string, copying unescaped runs with one append, and
// tracks commas with a single flag instead of a level stack.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rubato::otlp {

// Appends the shortest decimal text that reads back as exactly `d`, laid out
// as JavaScript's Number#toString and Go's encoding/json do: plain digits for
// 1e-6 <= |d| < 1e21, otherwise exponent form ("1e+21", "1.5e-7"). Unlike
// JavaScript, -0 is written "-0" so that it round-trips. NaN and the
// infinities are written as proto3 JSON spells them: NaN, Infinity, -Infinity.
void AppendShortestDouble(double d, std::string* out);

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(*out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  // Writes `"key":`. Keys are the encoders' own ASCII literals: not escaped.
  void Key(std::string_view key) {
    Separate();
    out_.push_back('"');
    out_.append(key);
    out_.append("\":", 2);
    need_comma_ = false;
  }

  // A string value, escaped; invalid UTF-8 is replaced by U+FFFD so that the
  // output is always valid JSON.
  void String(std::string_view s);
  void Bool(bool b) { Raw(b ? "true" : "false"); }
  void Uint(uint64_t v);           // a JSON number
  void Int(int64_t v);             // a JSON number
  void QuotedInt(int64_t v);       // a decimal string, as proto3 JSON writes 64-bit integers
  void QuotedUint(uint64_t v);
  // A JSON number in shortest round-trip form; NaN and infinities as the
  // strings "NaN", "Infinity", "-Infinity" (proto3 JSON).
  void Double(double d);
  // Lowercase hex / padded standard base64 of raw bytes, as a string value.
  void Hex(std::string_view bytes);
  void Base64(std::string_view bytes);

 private:
  void Separate() {
    if (need_comma_) out_.push_back(',');
  }
  void Open(char c) {
    Separate();
    out_.push_back(c);
    need_comma_ = false;
  }
  void Close(char c) {
    out_.push_back(c);
    need_comma_ = true;
  }
  void Raw(std::string_view text) {
    Separate();
    out_.append(text);
    need_comma_ = true;
  }
  void AppendEscaped(std::string_view s);

  std::string& out_;
  bool need_comma_ = false;  // a value was just completed at the current level
};

}  // namespace rubato::otlp
