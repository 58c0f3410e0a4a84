#include "service_main/manual_span.h"

#include <string>

namespace rubato::demo {

ManualSpan::ManualSpan(const sdk::Tracer& tracer, std::string_view name)
    : span_(tracer.StartSpan(name)), scope_(span_.MakeCurrent()) {}

HttpError ManualSpan::Raise(HttpError error) {
  std::string message = std::to_string(error.status) + ": " + error.detail;  // starlette's str(HTTPException)
  span_.RecordException("HTTPException", message);
  span_.SetStatus(sdk::StatusCode::kError, "HTTPException: " + message);
  return error;
}

}  // namespace rubato::demo
