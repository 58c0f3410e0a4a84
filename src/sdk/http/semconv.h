// The OpenTelemetry HTTP semantic-convention names the instrumentation
// emits (stable HTTP conventions), kept in one place so server, client and
// tests agree on every spelling.
#pragma once

#include <string>
#include <string_view>

namespace rubato::sdk::http::semconv {

inline constexpr std::string_view kHttpRequestMethod = "http.request.method";
inline constexpr std::string_view kHttpRequestMethodOriginal = "http.request.method_original";
inline constexpr std::string_view kHttpResponseStatusCode = "http.response.status_code";
inline constexpr std::string_view kHttpRoute = "http.route";
inline constexpr std::string_view kUrlFull = "url.full";
inline constexpr std::string_view kUrlPath = "url.path";
inline constexpr std::string_view kUrlQuery = "url.query";
inline constexpr std::string_view kUrlScheme = "url.scheme";
inline constexpr std::string_view kServerAddress = "server.address";
inline constexpr std::string_view kServerPort = "server.port";
inline constexpr std::string_view kClientAddress = "client.address";
inline constexpr std::string_view kUserAgentOriginal = "user_agent.original";
inline constexpr std::string_view kNetworkProtocolVersion = "network.protocol.version";
inline constexpr std::string_view kErrorType = "error.type";

// The method as http.request.method wants it: one of the RFC 9110 methods
// plus PATCH, else "_OTHER" (the original then goes in method_original).
std::string_view NormalizedMethod(std::string_view method);

// "{method} {route}", "{method}" without a route, and "HTTP" in place of an
// unknown method, so span names stay low-cardinality.
std::string SpanName(std::string_view method, std::string_view route);

}  // namespace rubato::sdk::http::semconv
