// Reading what an OTLP server answers, without generated protobuf classes:
// partial success from ExportTraceServiceResponse (protobuf or JSON), the
// retry delay from gRPC's RetryInfo, and HTTP's Retry-After.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::load {

struct PartialSuccess {
  int64_t rejected_spans = 0;
  std::string error_message;
};

// ExportTraceServiceResponse{partial_success=1: {rejected_spans=1 (int64), error_message=2}}.
// An empty body is a full success.
Result<PartialSuccess> ParseProtobufResponse(std::string_view body);
// {"partialSuccess":{"rejectedSpans":"7","errorMessage":"..."}}; the count may
// be a string (proto3 JSON's int64) or a number. Empty body or {} is success.
Result<PartialSuccess> ParseJsonResponse(std::string_view body);

// The delay of a google.rpc.RetryInfo inside a google.rpc.Status (the bytes
// of gRPC's grpc-status-details-bin trailer): Status.details=3 holds Any
// {type_url=1, value=2}; RetryInfo.retry_delay=1 is a Duration{seconds=1, nanos=2}.
// nullopt when there is none or the bytes do not parse.
std::optional<std::chrono::nanoseconds> ParseRetryInfoDelay(std::string_view status_details);

// The message (field 2) of a google.rpc.Status, or "" (error bodies of OTLP/HTTP).
std::string RpcStatusMessage(std::string_view status_bytes);

// Retry-After as delta-seconds. An HTTP-date (or anything else) gives nullopt.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value);

}  // namespace rubato::load
