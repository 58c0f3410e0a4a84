// The SDK's names for the reader of OTLP export answers, which lives in
// src/otlp/export_response.h (shared with `rubato load`).
#pragma once

#include "otlp/export_response.h"

namespace rubato::sdk {

using otlp::ParsePartialSuccess;
using otlp::PartialSuccess;
using otlp::RetryInfoDelay;
using otlp::RpcStatusMessage;

}  // namespace rubato::sdk
