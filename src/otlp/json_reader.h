// Reading OTLP/JSON values from simdjson On-Demand, for the JSON decoder:
// structure (objects, arrays, keys), scalars in every form the proto3 JSON
// mapping allows, and the error bookkeeping. Internal to src/otlp.
//
// Errors: the innermost failure records a message and a byte offset; each
// enclosing frame then prepends its path segment while returning false, as
// the protobuf decoder does, so the path costs nothing until something fails.
#pragma once

#include <simdjson.h>

#include <span>
#include <string>
#include <string_view>

#include "model/batch.h"
#include "status/status.h"

namespace rubato::otlp {

namespace od = simdjson::ondemand;

class JsonReader {
 public:
  JsonReader(std::string_view input, model::Batch* batch)
      : origin_(input.data()), end_(input.data() + input.size()), batch_(batch) {}

  // See DecodeOptions::lenient_span_ids. bad_id() tells whether an ID was
  // replaced by zeros since the last clear_bad_id().
  void set_lenient_ids(bool lenient) { lenient_ids_ = lenient; }
  bool bad_id() const { return bad_id_; }
  void clear_bad_id() { bad_id_ = false; }

  // The document being read, for the location of simdjson's own errors.
  void set_document(od::document* doc) { doc_ = doc; }

  // ---- Errors. Each returns false, so callers can `return Fail(...)`.
  bool Fail(std::string msg, const char* at);
  bool FailJson(simdjson::error_code e);  // simdjson's text, at the iterator's position
  bool Within(std::string_view segment);  // prepends "segment." to the path
  bool WithinIndex(std::string_view name, uint32_t i);
  // "otlp json: <path>: <message> (at byte N)".
  Status Error() const;

  // ---- Structure. A JSON null is an absent field: *present is set to false.
  bool Object(od::value& v, od::object* out, bool* present);
  bool Array(od::value& v, od::array* out, bool* present);
  bool Count(od::array& a, uint32_t* n);
  bool Key(od::field& f, std::string_view* key);
  // Reads and validates a value of an unknown field completely, so that
  // malformed JSON is rejected wherever it is.
  bool Skip(od::value& v, int depth = 0);

  // ---- Scalars. Each leaves *out unchanged when the value is null.
  bool IsNull(od::value& v, bool* is_null);
  bool String(od::value& v, std::string_view* out);  // the view stays valid for the batch's life
  bool Bool(od::value& v, bool* out);
  bool Int64(od::value& v, int64_t* out);    // number or decimal string
  bool Uint64(od::value& v, uint64_t* out);  // number or decimal string
  bool Uint32(od::value& v, uint32_t* out);  // number or decimal string
  bool Double(od::value& v, double* out);    // number, or "NaN", "Infinity", "-Infinity", numeric string
  bool Bytes(od::value& v, std::string_view* out);  // base64, standard or URL-safe
  // Hex of exactly 2 * IdT::kSize digits, either case; "" is the zero id when allowed.
  template <typename IdT>
  bool Id(od::value& v, bool allow_empty, IdT* out);
  // An enum: its number, or its name from `names`.
  bool Enum(od::value& v, std::span<const std::string_view> names, std::string_view type_name,
            int32_t* out);

 protected:
  model::Batch* batch() const { return batch_; }
  const char* end() const { return end_; }
  const char* TokenStart(od::value& v) { return v.raw_json_token().data(); }

 private:
  enum class IntType { kInt64, kUint64, kUint32 };
  bool Type(od::value& v, od::json_type* t);
  bool WrongType(const char* at, std::string_view want, od::json_type got);
  // A string value's characters: a view into the input when it had no
  // escapes (*escaped false), else into simdjson's buffer, valid until the
  // next parse.
  bool Text(od::value& v, std::string_view* out, bool* escaped);
  // The token text of a number, or the characters of a string; false (with
  // an error) for other types. *present is false for null.
  bool NumericText(od::value& v, std::string_view want, std::string_view* text, bool* present);
  bool Integer(od::value& v, IntType type, uint64_t* bits);

  const char* origin_;
  const char* end_;
  model::Batch* batch_;
  od::document* doc_ = nullptr;
  std::string error_;
  const char* error_at_ = nullptr;
  std::string path_;
  bool lenient_ids_ = false;
  bool bad_id_ = false;
};

template <typename IdT>
bool JsonReader::Id(od::value& v, bool allow_empty, IdT* out) {
  const char* at = TokenStart(v);
  od::json_type t;
  if (!Type(v, &t)) return false;
  if (t == od::json_type::null) return true;
  if (t != od::json_type::string) return WrongType(at, "hex string", t);
  std::string_view hex;
  bool escaped;
  if (!Text(v, &hex, &escaped)) return false;
  if (hex.empty() && allow_empty) {
    *out = IdT();
    return true;
  }
  auto id = IdT::FromHex(hex);
  if (!id.ok() && lenient_ids_) {
    *out = IdT();
    bad_id_ = true;
    return true;
  }
  if (!id.ok()) return Fail(id.status().message(), at);
  *out = *id;
  return true;
}

}  // namespace rubato::otlp
