// A libprotobuf ExportTraceServiceRequest that sets every field and every
// AnyValue kind, nested, across two resources and three scopes.
#pragma once

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace rubato::testing {

opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest RichRequest();

}  // namespace rubato::testing
