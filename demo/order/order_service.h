// order-service's POST /orders, exactly as the seed's create_order: validate,
// check and reserve stock in inventory-service, charge payment-service, then
// notify notification-service without letting its failure fail the order.
#pragma once

#include <string>

#include "http_json/reply.h"
#include "net/http_server.h"

namespace rubato::demo {

struct Downstreams {
  std::string inventory_url;     // INVENTORY_SERVICE_URL
  std::string payment_url;       // PAYMENT_SERVICE_URL
  std::string notification_url;  // NOTIFICATION_SERVICE_URL
  // The seed's defaults are docker-compose host names; a bare process talks to localhost.
  static Downstreams FromEnvironment();
};

class OrderService {
 public:
  explicit OrderService(Downstreams downstreams) : downstreams_(std::move(downstreams)) {}
  // {item, quantity, price} → 201 {"order_id", "status": "created"}, or
  // 400/409/422/502 with FastAPI's {"detail": ...}.
  Reply CreateOrder(const net::HttpRequest& request) const;

 private:
  Downstreams downstreams_;
};

}  // namespace rubato::demo
