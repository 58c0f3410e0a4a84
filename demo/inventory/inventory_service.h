// inventory-service's two routes, as the seed's: the stock level of an item,
// and a reservation whose slow_lookup span holds the planted latency (270 ms
// for more than 5 units, 20 ms otherwise, plus up to 30 ms of jitter).
#pragma once

#include <string_view>

#include "http_json/reply.h"
#include "inventory/stock_table.h"
#include "net/http_server.h"

namespace rubato::demo {

class InventoryService {
 public:
  explicit InventoryService(StockTable* stock) : stock_(stock) {}
  // GET /stock/{item} → {"item", "available"}.
  Reply GetStock(std::string_view item) const;
  // POST /stock/{item}/reserve {quantity} → {"item", "reserved"}; spans reserve_stock → slow_lookup.
  Reply Reserve(std::string_view item, const net::HttpRequest& request) const;

 private:
  StockTable* stock_;
};

}  // namespace rubato::demo
