// OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_TRACES_HEADERS: a list of
// "key=value" separated by commas, in the format of W3C Baggage without
// properties, values percent-encoded: "api-key=secret,tenant=a%20b".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "status/status.h"

namespace rubato::sdk {

// Parses the list. Whitespace around members, keys and values is dropped and
// empty members are skipped; a key must be an HTTP token; values are
// percent-decoded. A member without '=', with an empty or invalid key, with
// properties (';'), a bad %-escape, or a value that decodes to a control
// character (a header could be forged with CR LF) is an error naming it.
Result<std::vector<std::pair<std::string, std::string>>> ParseOtlpHeaders(std::string_view list);

}  // namespace rubato::sdk
