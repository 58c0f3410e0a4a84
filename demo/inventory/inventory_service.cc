#include "inventory/inventory_service.h"

#include <chrono>
#include <random>
#include <thread>

#include "http_json/request_body.h"
#include "sdk/trace/tracer_provider.h"
#include "service_main/manual_span.h"

namespace rubato::demo {
namespace {

// The seed's time.sleep(latency + random.uniform(0, 0.03)).
void SlowLookup(int64_t quantity) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  double latency = quantity > 5 ? 0.27 : 0.02;
  double jitter = std::uniform_real_distribution<double>(0, 0.03)(rng);
  std::this_thread::sleep_for(std::chrono::duration<double>(latency + jitter));
}

}  // namespace

Reply InventoryService::GetStock(std::string_view item) const {
  return {200, JsonObject().Add("item", item).Add("available", stock_->Available(item)).Take()};
}

Reply InventoryService::Reserve(std::string_view item, const net::HttpRequest& request) const {
  RequestBody body(request.body);
  int64_t quantity = body.Int("quantity");
  if (!body.ok()) return body.ValidationError();
  // Not in the seed (which would reserve -3 units): a reservation takes something.
  if (quantity <= 0) return DetailReply(400, "Quantity must be positive");

  sdk::Tracer tracer = sdk::GetTracer("inventory-service");
  ManualSpan reserve(tracer, "reserve_stock");
  reserve.span().SetAttribute("inventory.item", item).SetAttribute("inventory.quantity", quantity);
  {
    ManualSpan lookup(tracer, "slow_lookup");
    lookup.span().SetAttribute("inventory.demand", quantity > 5 ? "high" : "normal");
    SlowLookup(quantity);
  }
  switch (stock_->Reserve(item, quantity)) {
    case StockTable::Reserved::kOk:
      break;
    case StockTable::Reserved::kInsufficient:
      return reserve.Raise({409, "Insufficient stock"}).ToReply();
    case StockTable::Reserved::kTooManyItems:
      return reserve.Raise({503, "Too many distinct items"}).ToReply();
  }
  return {200, JsonObject().Add("item", item).Add("reserved", quantity).Take()};
}

}  // namespace rubato::demo
