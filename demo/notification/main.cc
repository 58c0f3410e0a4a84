// notification-service :8004: POST /notify {order_id, item} → 200
// {"status": "sent"}. The seed shows only its span; sending is a log line.
#include "http_json/request_body.h"
#include "sdk/log/json_log.h"
#include "service_main/service.h"

int main(int argc, char** argv) {
  using namespace rubato::demo;
  return RunService(argc, argv, {"notification-service", 8004},
                    {{"POST", "/notify", [](const rubato::net::HttpRequest& req, const auto&) {
                        RequestBody body(req.body);
                        std::string order_id = body.String("order_id");
                        std::string item = body.String("item");
                        if (!body.ok()) return body.ValidationError();
                        rubato::sdk::log::Info("notification sent", {{"order.id", std::string_view(order_id)},
                                                                     {"order.item", std::string_view(item)}});
                        return Reply{200, JsonObject().Add("order_id", order_id).Add("status", "sent").Take()};
                      }}});
}
