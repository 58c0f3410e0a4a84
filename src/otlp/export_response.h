// Reading what an OTLP server answers to an export, without generated
// protobuf classes: the partial success of an ExportTraceServiceResponse
// (protobuf or JSON), the message of a google.rpc.Status error body, and the
// delay of a google.rpc.RetryInfo carried in gRPC's grpc-status-details-bin
// trailer. Shared by the SDK's exporters and `rubato load`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::otlp {

struct PartialSuccess {
  int64_t rejected_spans = 0;
  std::string error_message;
  // Whether the server filled partial_success (rejections, or a warning).
  bool present() const { return rejected_spans != 0 || !error_message.empty(); }
};

// ExportTraceServiceResponse{partial_success=1: {rejected_spans=1, error_message=2}}
// as protobuf bytes, or {"partialSuccess":{"rejectedSpans":"7","errorMessage":"…"}}
// as OTLP/JSON (int64 as a string or a number; the proto field names
// rejected_spans/error_message are accepted too). An empty body is a full success.
Result<PartialSuccess> ParsePartialSuccess(std::string_view body, bool json);

// The message of a google.rpc.Status (field 2, or "message" in JSON), which
// OTLP/HTTP servers send with 4xx and 5xx; "" when there is none.
std::string RpcStatusMessage(std::string_view body, bool json);

// The retry_delay of the first google.rpc.RetryInfo among the details of a
// google.rpc.Status (protobuf bytes). nullopt when there is none, when the
// bytes do not parse, or when the delay is negative or over a day: the caller
// then treats the error as carrying no RetryInfo.
std::optional<std::chrono::nanoseconds> RetryInfoDelay(std::string_view rpc_status);

}  // namespace rubato::otlp
