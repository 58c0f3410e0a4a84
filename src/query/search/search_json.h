// A SearchResponse as the JSON body of Tempo's GET /api/search
// (tempopb.SearchResponse through jsonpb): lowerCamelCase keys in .proto
// order, uint64 as decimal strings, uint32 as numbers, zero values omitted
// (except "traces", always written so that no client trips on its absence),
// trace IDs in hex without leading zeros and span IDs as 16 hex digits (as
// Tempo's util.TraceIDToHexString / SpanIDToHexString write them).
#pragma once

#include <string>

#include "query/search/search_response.h"

namespace rubato::query::search {

// Tempo's rootServiceName for a trace whose root span has not been stored.
inline constexpr const char* kRootSpanNotYetReceived = "<root span not yet received>";

std::string SearchResponseJson(const SearchResponse& response);

// "00000000000000000000000000000abc" → "abc" (all zeros: "0").
std::string TraceIdText(const model::TraceId& id);

}  // namespace rubato::query::search
