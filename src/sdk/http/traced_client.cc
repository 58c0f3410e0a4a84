#include "sdk/http/traced_client.h"

#include <string>

#include <boost/beast/http/verb.hpp>

#include "net/http_client.h"
#include "sdk/http/header_carrier.h"
#include "sdk/http/semconv.h"
#include "sdk/http/url.h"
#include "sdk/propagation/text_map.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk::http {
namespace {

// A low-cardinality error.type for a failed call. net::HttpCall reports every
// transport failure as Unavailable with a message, so the class is read from
// the message's fixed prefixes (see net/http_client.cc) and Asio's wording.
std::string_view TransportErrorType(const Status& status) {
  const std::string& msg = status.message();
  if (msg.find("timeout") != std::string::npos || msg.find("timed out") != std::string::npos) return "timeout";
  if (msg.starts_with("cannot resolve")) return "name_resolution_error";
  if (msg.find("refused") != std::string::npos) return "connection_refused";
  if (msg.starts_with("cannot connect")) return "connection_error";
  return "transport_error";
}

// The checks net::HttpCall leaves to Beast, which would throw on them.
Status CheckRequest(std::string_view method, const ClientCallOptions& options) {
  if (boost::beast::http::string_to_verb({method.data(), method.size()}) == boost::beast::http::verb::unknown) {
    return Status::InvalidArgument("unsupported HTTP method \"" + std::string(method) + "\"");
  }
  for (const auto& [name, value] : options.headers) {
    bool bad_name = name.empty() || name.find_first_of(" :\r\n\t", 0) != std::string::npos;
    if (bad_name || value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return Status::InvalidArgument("bad header \"" + name + "\": names are tokens, values have no CR, LF or NUL");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<net::HttpResponse> TracedCall(std::string_view method, std::string_view url, std::string body,
                                     const ClientCallOptions& options) {
  if (Status checked = CheckRequest(method, options); !checked.ok()) return checked;
  Result<HttpUrl> parsed = ParseHttpUrl(url);
  if (!parsed.ok()) return parsed.status();
  const HttpUrl& target = *parsed;
  std::string method_text(method);
  std::string_view normalized = semconv::NormalizedMethod(method);

  Tracer tracer = GetTracer("rubato.http.client");
  // One full expression, so the attribute list outlives StartSpan.
  Span span = tracer.StartSpan(semconv::SpanName(method, {}),
                               StartSpanOptions{.kind = SpanKind::kClient,
                                                .attributes = {{semconv::kHttpRequestMethod, normalized},
                                                               {semconv::kUrlFull, url},
                                                               {semconv::kServerAddress, target.authority.host},
                                                               {semconv::kServerPort, int64_t{target.authority.port}}}});
  if (span.IsRecording() && normalized != method) span.SetAttribute(semconv::kHttpRequestMethodOriginal, method);

  net::HttpCallOptions call_options{options.headers, options.timeout};
  {
    // Injected with the CLIENT span current, so the callee's parent-id is this
    // span: a fresh parent-id on every call. A no-op span keeps the caller's context.
    HeaderCarrier carrier(call_options.headers);
    if (span.context().IsValid()) {
      ContextScope scope(Context::Current().WithSpanContext(span.context()));
      GlobalPropagator().Inject(Context::Current(), carrier);
    } else {
      GlobalPropagator().Inject(Context::Current(), carrier);
    }
  }

  Result<net::HttpResponse> response = net::HttpCall(target.authority.host, target.authority.port, method_text,
                                                     target.target, std::move(body), call_options);
  if (!response.ok()) {
    span.SetAttribute(semconv::kErrorType, TransportErrorType(response.status()));
    span.SetStatus(StatusCode::kError, response.status().message());
    span.End();
    return Status::Unavailable(method_text + " " + std::string(url) + ": " + response.status().message());
  }
  span.SetAttribute(semconv::kHttpResponseStatusCode, int64_t{response->status});
  if (response->status >= 400) {
    span.SetAttribute(semconv::kErrorType, std::to_string(response->status));
    span.SetStatus(StatusCode::kError);
  }
  span.End();
  return response;
}

}  // namespace rubato::sdk::http
