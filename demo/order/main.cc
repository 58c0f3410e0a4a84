// order-service :8001, the seed's entry point: POST /orders fans out to the other three.
#include "order/order_service.h"
#include "service_main/service.h"

int main(int argc, char** argv) {
  using namespace rubato::demo;
  OrderService orders(Downstreams::FromEnvironment());
  return RunService(argc, argv, {"order-service", 8001},
                    {{"POST", "/orders", [&orders](const rubato::net::HttpRequest& req, const auto&) {
                        return orders.CreateOrder(req);
                      }}});
}
