// payment-service :8003: POST /charges {item, amount} → 200. The seed shows
// only its span; the answer here, {"charge_id", "item", "amount", "status":
// "charged"}, is the least a caller could want (docs/demo.md).
#include <chrono>
#include <cstdio>
#include <random>

#include "http_json/request_body.h"
#include "service_main/service.h"

namespace {

// A charge's id: "ch_" and 16 hex digits.
std::string ChargeId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  char buf[24];
  std::snprintf(buf, sizeof buf, "ch_%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rubato::demo;
  return RunService(argc, argv, {"payment-service", 8003},
                    {{"POST", "/charges", [](const rubato::net::HttpRequest& req, const auto&) {
                        RequestBody body(req.body);
                        std::string item = body.String("item");
                        double amount = body.Number("amount");
                        if (!body.ok()) return body.ValidationError();
                        return Reply{200, JsonObject()
                                              .Add("charge_id", ChargeId())
                                              .Add("item", item)
                                              .Add("amount", amount)
                                              .Add("status", "charged")
                                              .Take()};
                      }}});
}
