// The User-Agent both OTLP exporters send, as the OTLP exporter specification
// asks: exporter, language and version. Internal: not installed.
#pragma once

#ifndef RUBATO_SDK_VERSION
#define RUBATO_SDK_VERSION "0.0.0"
#endif

namespace rubato::sdk {

inline constexpr const char* kOtlpUserAgent = "Rubato-OTLP-Exporter-Cpp/" RUBATO_SDK_VERSION;

}  // namespace rubato::sdk
