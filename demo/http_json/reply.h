// What a demo handler answers: a status and a JSON body, shaped as FastAPI
// answers (errors as {"detail": ...}), so the services behave like the seed's.
#pragma once

#include <string>
#include <string_view>

namespace rubato::demo {

struct Reply {
  unsigned status = 200;
  std::string json;  // the body; always a JSON document
};

// FastAPI's HTTPException body: {"detail": "<detail>"}.
Reply DetailReply(unsigned status, std::string_view detail);

// What the seed raises as HTTPException(status_code, detail).
struct HttpError {
  unsigned status = 500;
  std::string detail;
  Reply ToReply() const { return DetailReply(status, detail); }
};

// Appends `s` as a quoted, escaped JSON string (invalid UTF-8 replaced).
void AppendJsonString(std::string* out, std::string_view s);

// Builds a flat JSON object, e.g. {"order_id": "...", "status": "created"}.
class JsonObject {
 public:
  JsonObject& Add(std::string_view key, std::string_view value);
  JsonObject& Add(std::string_view key, const char* value) { return Add(key, std::string_view(value)); }
  JsonObject& Add(std::string_view key, int64_t value);
  JsonObject& Add(std::string_view key, double value);  // shortest round-trip form; non-finite: null
  std::string Take();

 private:
  void Key(std::string_view key);
  std::string out_ = "{";
};

}  // namespace rubato::demo
