// JSON text building for log lines: escaping (with invalid UTF-8 replaced,
// so every line stays valid JSON) and attribute values of every kind.
#pragma once

#include <string>
#include <string_view>

#include "sdk/trace/attribute.h"

namespace rubato::sdk::log {

// Appends `s` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view s);
// Appends the value as JSON: string, number, true/false, array; NaN and infinities as null.
void AppendJsonValue(std::string& out, const AttributeValue& value);

}  // namespace rubato::sdk::log
