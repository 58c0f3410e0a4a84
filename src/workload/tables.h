// Static data of the standard workload: the seed's four services, its order
// flow's twelve operations, the attribute keys and their candidate lists, the
// items for sale. Every string here has static storage, so batches can point
// at it without copying.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "model/span.h"

namespace rubato::workload {

enum class Service : uint8_t { kOrder, kInventory, kPayment, kNotification };
inline constexpr int kNumServices = 4;

struct ServiceInfo {
  std::string_view name;
  std::string_view version;
  std::string_view host_name;  // a Kubernetes pod name, as real resources carry
  int64_t port;
  std::string_view db_system;
  std::string_view scope_name;  // the module that holds the tracer (Python __name__)
};

inline constexpr std::array<ServiceInfo, kNumServices> kServices = {{
    {"order-service", "1.8.3", "order-service-6f7c9d8b5-kx2vq", 8001, "postgresql", "order_service.main"},
    {"inventory-service", "2.1.0", "inventory-service-5b9d7f6c8-p4zrm", 8002, "postgresql",
     "inventory_service.main"},
    {"payment-service", "0.9.7", "payment-service-7c8f9b6d4-w7tnj", 8003, "postgresql", "payment_service.main"},
    {"notification-service", "1.2.5", "notification-service-84d6c9f7b-hq2xs", 8004, "redis",
     "notification_service.main"},
}};

// The span attribute keys of shared/bench/workload.md, in its order.
enum AttrKey : uint8_t {
  kMethod,         // string
  kRoute,          // string
  kUrlPath,        // string
  kStatusCode,     // int
  kServerAddress,  // string
  kServerPort,     // int
  kItem,           // string
  kQuantity,       // int
  kAmount,         // double
  kDemand,         // string
  kDbSystem,       // string
  kDbStatement,    // string
  kUserId,         // string, a UUID fixed per trace
  kSessionId,      // string, a UUID fixed per trace
  kOrderId,        // string, a UUID fixed per trace
};

inline constexpr std::array<std::string_view, 15> kAttrKeyNames = {
    "http.request.method", "http.route", "url.path", "http.response.status_code", "server.address",
    "server.port", "order.item", "order.quantity", "payment.amount", "inventory.demand",
    "db.system", "db.statement", "app.user.id", "app.session.id", "app.order.id",
};

// The route an operation serves or calls; url.path follows from it and the item.
enum class Route : uint8_t { kOrders, kStock, kStockReserve, kCharges, kNotify };
inline constexpr std::array<std::string_view, 5> kRouteTemplates = {
    "/orders", "/stock/{item}", "/stock/{item}/reserve", "/charges", "/notify"};

// The twelve operations of the seed's order flow (its validate_order step is
// left out so that there are twelve names and a full one-item order has the
// workload's mean of twelve spans). Calls between services are a CLIENT span
// named after the order-service step, whose child is the callee's SERVER span.
enum class Op : uint8_t {
  kPostOrders,        // order-service SERVER, the root
  kProcessOrder,      // order-service INTERNAL
  kCheckInventory,    // order-service CLIENT → kGetStock
  kGetStock,          // inventory-service SERVER
  kReserveInventory,  // order-service CLIENT → kPostReserve
  kPostReserve,       // inventory-service SERVER
  kReserveStock,      // inventory-service INTERNAL
  kSlowLookup,        // inventory-service INTERNAL: the seed's slow span
  kChargePayment,     // order-service CLIENT → kPostCharges
  kPostCharges,       // payment-service SERVER
  kSendNotification,  // order-service CLIENT → kPostNotify
  kPostNotify,        // notification-service SERVER
};
inline constexpr int kNumOps = 12;

struct OpInfo {
  std::string_view name;
  model::SpanKind kind;
  Service service;  // who records the span
  Service peer;     // server.address/port: the callee for CLIENT spans, else the service itself
  std::string_view method;  // of the HTTP request the span is, calls or serves
  Route route;
  std::string_view db_statement;
  std::string_view error_message;
  // Every span carries the 6 required keys and a random subset of the optional ones.
  std::array<AttrKey, 6> required;
  std::array<AttrKey, 6> optional;
};

using model::SpanKind;
inline constexpr std::array<OpInfo, kNumOps> kOps = {{
    {"POST /orders", SpanKind::kServer, Service::kOrder, Service::kOrder, "POST", Route::kOrders, "",
     "order failed: upstream service unavailable",
     {kMethod, kRoute, kUrlPath, kStatusCode, kServerAddress, kServerPort},
     {kUserId, kSessionId, kOrderId, kItem, kQuantity, kAmount}},
    {"process_order", SpanKind::kInternal, Service::kOrder, Service::kOrder, "POST", Route::kOrders,
     "INSERT INTO orders (id, user_id, item, quantity, amount) VALUES ($1, $2, $3, $4, $5)",
     "order rejected: could not persist order",
     {kItem, kQuantity, kUserId, kSessionId, kOrderId, kAmount},
     {kRoute, kDemand, kDbSystem, kDbStatement, kUrlPath, kMethod}},
    {"check_inventory", SpanKind::kClient, Service::kOrder, Service::kInventory, "GET", Route::kStock, "",
     "inventory check failed: 503 Service Unavailable",
     {kMethod, kUrlPath, kServerAddress, kServerPort, kStatusCode, kItem},
     {kQuantity, kUserId, kSessionId, kOrderId, kRoute, kDemand}},
    {"GET /stock/{item}", SpanKind::kServer, Service::kInventory, Service::kInventory, "GET", Route::kStock,
     "SELECT available, reserved FROM stock WHERE item = $1", "stock lookup failed: connection reset by peer",
     {kMethod, kRoute, kUrlPath, kStatusCode, kServerAddress, kServerPort},
     {kItem, kDbSystem, kDbStatement, kUserId, kSessionId, kOrderId}},
    {"reserve_inventory", SpanKind::kClient, Service::kOrder, Service::kInventory, "POST", Route::kStockReserve,
     "", "inventory reserve failed: 502 Bad Gateway",
     {kMethod, kUrlPath, kServerAddress, kServerPort, kStatusCode, kItem},
     {kQuantity, kOrderId, kUserId, kSessionId, kRoute, kDemand}},
    {"POST /stock/{item}/reserve", SpanKind::kServer, Service::kInventory, Service::kInventory, "POST",
     Route::kStockReserve, "", "reservation failed: lock wait timeout exceeded",
     {kMethod, kRoute, kUrlPath, kStatusCode, kServerAddress, kServerPort},
     {kItem, kQuantity, kDemand, kOrderId, kUserId, kSessionId}},
    {"reserve_stock", SpanKind::kInternal, Service::kInventory, Service::kInventory, "POST", Route::kStockReserve,
     "UPDATE stock SET reserved = reserved + $1 WHERE item = $2 AND available - reserved >= $1",
     "could not reserve stock: serialization failure",
     {kItem, kQuantity, kDemand, kDbSystem, kDbStatement, kOrderId},
     {kUserId, kSessionId, kRoute, kUrlPath, kMethod, kAmount}},
    {"slow_lookup", SpanKind::kInternal, Service::kInventory, Service::kInventory, "POST", Route::kStockReserve,
     "SELECT level, demand FROM stock_forecast WHERE item = $1 FOR UPDATE",
     "forecast lookup timed out",
     {kDemand, kDbSystem, kDbStatement, kItem, kQuantity, kOrderId},
     {kUserId, kSessionId, kRoute, kUrlPath, kMethod, kAmount}},
    {"charge_payment", SpanKind::kClient, Service::kOrder, Service::kPayment, "POST", Route::kCharges, "",
     "payment failed: 504 Gateway Timeout",
     {kMethod, kUrlPath, kServerAddress, kServerPort, kStatusCode, kAmount},
     {kOrderId, kUserId, kSessionId, kItem, kQuantity, kRoute}},
    {"POST /charges", SpanKind::kServer, Service::kPayment, Service::kPayment, "POST", Route::kCharges,
     "INSERT INTO charges (order_id, amount, currency, status) VALUES ($1, $2, 'EUR', 'captured')",
     "charge failed: card processor unavailable",
     {kMethod, kRoute, kUrlPath, kStatusCode, kServerAddress, kServerPort},
     {kAmount, kOrderId, kUserId, kSessionId, kDbSystem, kDbStatement}},
    {"send_notification", SpanKind::kClient, Service::kOrder, Service::kNotification, "POST", Route::kNotify,
     "", "notification failed: read timeout (0.5 s)",
     {kMethod, kUrlPath, kServerAddress, kServerPort, kStatusCode, kOrderId},
     {kUserId, kSessionId, kItem, kAmount, kRoute, kQuantity}},
    {"POST /notify", SpanKind::kServer, Service::kNotification, Service::kNotification, "POST", Route::kNotify,
     "LPUSH notifications:outbox $1", "notification failed: smtp relay refused connection",
     {kMethod, kRoute, kUrlPath, kStatusCode, kServerAddress, kServerPort},
     {kOrderId, kUserId, kSessionId, kItem, kDbSystem, kDbStatement}},
}};

struct Item {
  std::string_view name;
  std::string_view stock_path;    // url.path of GET /stock/{item}
  std::string_view reserve_path;  // url.path of POST /stock/{item}/reserve
  double price;
};

inline constexpr std::array<Item, 12> kItems = {{
    {"book", "/stock/book", "/stock/book/reserve", 9.99},
    {"laptop", "/stock/laptop", "/stock/laptop/reserve", 899.0},
    {"headphones", "/stock/headphones", "/stock/headphones/reserve", 129.5},
    {"coffee-mug", "/stock/coffee-mug", "/stock/coffee-mug/reserve", 12.0},
    {"desk-lamp", "/stock/desk-lamp", "/stock/desk-lamp/reserve", 34.9},
    {"backpack", "/stock/backpack", "/stock/backpack/reserve", 59.95},
    {"notebook", "/stock/notebook", "/stock/notebook/reserve", 4.5},
    {"water-bottle", "/stock/water-bottle", "/stock/water-bottle/reserve", 19.99},
    {"keyboard", "/stock/keyboard", "/stock/keyboard/reserve", 79.0},
    {"monitor", "/stock/monitor", "/stock/monitor/reserve", 249.0},
    {"sneakers", "/stock/sneakers", "/stock/sneakers/reserve", 89.95},
    {"umbrella", "/stock/umbrella", "/stock/umbrella/reserve", 24.5},
}};

// The one event some spans carry: a name and two attributes.
struct EventKind {
  std::string_view name;
  std::string_view key1, value1;  // string attribute
  std::string_view key2;          // int attribute, value drawn per event
};
inline constexpr std::array<EventKind, 3> kEventKinds = {{
    {"exception", "exception.type", "ConnectionError", "code.lineno"},
    {"cache.miss", "cache.key", "stock:level", "cache.ttl_ms"},
    {"retry", "retry.reason", "connection reset by peer", "retry.attempt"},
}};

}  // namespace rubato::workload
