// inventory-service :8002: stock levels and reservations (the planted slow path).
#include <charconv>
#include <iostream>

#include "inventory/inventory_service.h"
#include "service_main/service.h"

int main(int argc, char** argv) {
  using namespace rubato::demo;
  // INITIAL_STOCK: every item's starting level; high by default so a long demo never runs out.
  std::string text = EnvOr("INITIAL_STOCK", "1000000");
  int64_t initial = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), initial);
  if (ec != std::errc() || end != text.data() + text.size() || initial < 0) {
    std::cerr << "inventory-service: INITIAL_STOCK '" << text << "' is not a non-negative integer\n";
    return 1;
  }
  StockTable stock(initial, 100000);
  InventoryService inventory(&stock);
  return RunService(
      argc, argv, {"inventory-service", 8002},
      {{"GET", "/stock/{item}",
        [&inventory](const rubato::net::HttpRequest&, const rubato::sdk::http::PathParams& p) {
          return inventory.GetStock(p.Get("item"));
        }},
       {"POST", "/stock/{item}/reserve",
        [&inventory](const rubato::net::HttpRequest& req, const rubato::sdk::http::PathParams& p) {
          return inventory.Reserve(p.Get("item"), req);
        }}});
}
