// Tempo's search without TraceQL: `tags` in logfmt (`service.name=api
// http.method="GET"`) becomes a TraceQL query, each pair a spanset that must
// exist in the trace, with Tempo's legacy names: `name` (span name),
// `status.code` (unset|ok|error), `error=true` (status error), `root.name`,
// `root.service.name`, `service.name` (the resource's).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "status/status.h"

namespace rubato::query::search {

// Splits logfmt into pairs; InvalidArgument naming the bad token.
Result<std::vector<std::pair<std::string, std::string>>> ParseLogfmt(std::string_view text);

// The TraceQL for a legacy `tags` value; "{ }" (every trace) when empty.
Result<std::string> LegacyTagsToTraceQL(std::string_view tags);

// A TraceQL string literal: quoted, with `"` and `\` escaped.
std::string QuoteTraceQL(std::string_view s);

}  // namespace rubato::query::search
