#include "order/order_service.h"

#include <simdjson.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <variant>

#include "http_json/request_body.h"
#include "sdk/http/traced_client.h"
#include "sdk/trace/tracer_provider.h"
#include "service_main/manual_span.h"
#include "service_main/service.h"

namespace rubato::demo {
namespace {

struct Order {
  std::string item;
  int64_t quantity = 0;
  double price = 0;
};


// uuid4, as the seed's str(uuid.uuid4()).
std::string Uuid4() {
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

sdk::http::ClientCallOptions JsonCall(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
  sdk::http::ClientCallOptions o;
  o.headers.emplace_back("Content-Type", "application/json");
  o.timeout = timeout;
  return o;
}

// inventory-service's {"available": N}; nullopt when the body says something else.
std::optional<int64_t> Available(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  int64_t n = 0;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS || doc["available"].get_int64().get(n) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return n;
}

using Outcome = std::variant<std::string, HttpError>;  // the order id, or why not

class OrderFlow {
 public:
  OrderFlow(const Downstreams& d, const Order& o) : d_(d), o_(o), tracer_(sdk::GetTracer("order-service")) {}

  // The body of `with tracer.start_as_current_span("process_order")`.
  Outcome Process(ManualSpan& process) {
    {
      ManualSpan span(tracer_, "validate_order");
      if (o_.quantity <= 0) return span.Raise({400, "Quantity must be positive"});
      if (o_.price < 0) return span.Raise({400, "Price must be non-negative"});
    }
    {
      ManualSpan span(tracer_, "check_inventory");
      auto resp = sdk::http::TracedCall("GET", d_.inventory_url + "/stock/" + net::UrlEncode(o_.item), {}, JsonCall());
      if (!resp.ok() || resp->status != 200) return span.Raise({502, "Inventory check failed"});
      auto available = Available(resp->body);
      if (!available) return span.Raise({502, "Inventory check failed"});
      if (*available < o_.quantity) return span.Raise({409, "Insufficient stock"});
    }
    {
      ManualSpan span(tracer_, "reserve_inventory");
      auto resp = sdk::http::TracedCall("POST", d_.inventory_url + "/stock/" + net::UrlEncode(o_.item) + "/reserve",
                                        JsonObject().Add("quantity", o_.quantity).Take(), JsonCall());
      if (!resp.ok() || resp->status != 200) return span.Raise({502, "Inventory reserve failed"});
    }
    {
      ManualSpan span(tracer_, "charge_payment");
      double amount = o_.price * static_cast<double>(o_.quantity);
      auto resp = sdk::http::TracedCall("POST", d_.payment_url + "/charges",
                                        JsonObject().Add("item", o_.item).Add("amount", amount).Take(), JsonCall());
      if (!resp.ok() || resp->status != 200) return span.Raise({502, "Payment failed"});
    }
    std::string order_id = Uuid4();
    process.span().SetAttribute("order.id", order_id);
    {
      // Fire-and-forget: a failure or the 0.5 s timeout does not fail the order.
      ManualSpan span(tracer_, "send_notification");
      (void)sdk::http::TracedCall("POST", d_.notification_url + "/notify",
                                  JsonObject().Add("order_id", order_id).Add("item", o_.item).Take(),
                                  JsonCall(std::chrono::milliseconds(500)));
    }
    return order_id;
  }

  const sdk::Tracer& tracer() const { return tracer_; }

 private:
  const Downstreams& d_;
  const Order& o_;
  sdk::Tracer tracer_;
};

}  // namespace

Downstreams Downstreams::FromEnvironment() {
  auto url = [](const char* name, const char* fallback) {
    std::string u = EnvOr(name, fallback);
    while (!u.empty() && u.back() == '/') u.pop_back();  // "http://x:8002/" + "/stock/..." would double the slash
    return u;
  };
  return {url("INVENTORY_SERVICE_URL", "http://127.0.0.1:8002"), url("PAYMENT_SERVICE_URL", "http://127.0.0.1:8003"),
          url("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:8004")};
}

Reply OrderService::CreateOrder(const net::HttpRequest& request) const {
  // FastAPI validates the OrderRequest model before the handler runs: no manual span yet.
  RequestBody body(request.body);
  Order order{body.String("item"), body.Int("quantity"), body.Number("price")};
  if (!body.ok()) return body.ValidationError();

  OrderFlow flow(downstreams_, order);
  ManualSpan process(flow.tracer(), "process_order");
  process.span().SetAttribute("order.item", order.item).SetAttribute("order.quantity", order.quantity);
  Outcome outcome = flow.Process(process);
  if (auto* error = std::get_if<HttpError>(&outcome)) return process.Raise(*error).ToReply();
  return {201, JsonObject().Add("order_id", std::get<std::string>(outcome)).Add("status", "created").Take()};
}

}  // namespace rubato::demo
