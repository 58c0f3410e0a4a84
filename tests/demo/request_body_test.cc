#include "http_json/request_body.h"

#include <gtest/gtest.h>

namespace rubato::demo {
namespace {

struct Order {
  std::string item;
  int64_t quantity;
  double price;
};

// Reads an order body as order-service does; the reply when it is refused.
Reply ReadOrder(std::string_view json, Order* out) {
  RequestBody body(json);
  *out = {body.String("item"), body.Int("quantity"), body.Number("price")};
  return body.ok() ? Reply{0, ""} : body.ValidationError();
}

TEST(RequestBody, TheSeedsOrders) {
  Order o;
  EXPECT_EQ(ReadOrder(R"({"item":"book","quantity":2,"price":9.99})", &o).status, 0u);
  EXPECT_EQ(o.item, "book");
  EXPECT_EQ(o.quantity, 2);
  EXPECT_EQ(o.price, 9.99);
  // Like pydantic: an integral float is an int, an int is a float, extra fields are ignored.
  EXPECT_EQ(ReadOrder(R"({"item":"book","quantity":8.0,"price":10,"note":"x"})", &o).status, 0u);
  EXPECT_EQ(o.quantity, 8);
  EXPECT_EQ(o.price, 10.0);
  // Zero and negative values are the handler's business (400), not the model's.
  EXPECT_EQ(ReadOrder(R"({"item":"","quantity":0,"price":-1})", &o).status, 0u);
}

TEST(RequestBody, BadBodiesGet422WithEveryProblem) {
  struct Case {
    const char* body;
    const char* reply;
  } cases[] = {
      {R"({"item":"book","price":9.99})",
       R"({"detail":[{"type":"missing","loc":["body","quantity"],"msg":"Field required"}]})"},
      {R"({})",
       R"({"detail":[{"type":"missing","loc":["body","item"],"msg":"Field required"},)"
       R"({"type":"missing","loc":["body","quantity"],"msg":"Field required"},)"
       R"({"type":"missing","loc":["body","price"],"msg":"Field required"}]})"},
      {R"({"item":7,"quantity":"2","price":"9.99"})",
       R"({"detail":[{"type":"string_type","loc":["body","item"],"msg":"Input should be a valid string"},)"
       R"({"type":"int_type","loc":["body","quantity"],"msg":"Input should be a valid integer"},)"
       R"({"type":"float_type","loc":["body","price"],"msg":"Input should be a valid number"}]})"},
      {R"({"item":"book","quantity":2.5,"price":true})",
       R"({"detail":[{"type":"int_from_float","loc":["body","quantity"],)"
       R"("msg":"Input should be a valid integer, got a number with a fractional part"},)"
       R"({"type":"float_type","loc":["body","price"],"msg":"Input should be a valid number"}]})"},
      {R"({"item":"book","quantity":18446744073709551615,"price":1})",
       R"({"detail":[{"type":"int_parsing_size","loc":["body","quantity"],)"
       R"("msg":"Input should be an integer between -2^63 and 2^63-1"}]})"},
      {R"({"item":"book","quantity":1e30,"price":1})",
       R"({"detail":[{"type":"int_parsing_size","loc":["body","quantity"],)"
       R"("msg":"Input should be an integer between -2^63 and 2^63-1"}]})"},
      {R"({"item":null,"quantity":1,"price":1})",
       R"({"detail":[{"type":"missing","loc":["body","item"],"msg":"Field required"}]})"},
      {R"([1,2])",
       R"({"detail":[{"type":"model_attributes_type","loc":["body"],)"
       R"("msg":"Input should be a valid dictionary or object to extract fields from"}]})"},
      {"  \n", R"({"detail":[{"type":"missing","loc":["body"],"msg":"Field required"}]})"},
  };
  for (const auto& c : cases) {
    Order o;
    Reply r = ReadOrder(c.body, &o);
    EXPECT_EQ(r.status, 422u) << c.body;
    EXPECT_EQ(r.json, c.reply) << c.body;
  }
}

TEST(RequestBody, MalformedJsonNamesTheProblem) {
  for (const char* body : {R"({"item":"book",)", "{item: 1}", "\xff\xfe", R"({"item":"b\ud800"})"}) {
    Order o;
    Reply r = ReadOrder(body, &o);
    EXPECT_EQ(r.status, 422u) << body;
    EXPECT_EQ(r.json.rfind(R"({"detail":[{"type":"json_invalid","loc":["body"],"msg":"JSON decode error: )", 0), 0u)
        << r.json;
  }
}

TEST(Reply, FastApiShapes) {
  EXPECT_EQ(DetailReply(409, "Insufficient stock").json, R"({"detail":"Insufficient stock"})");
  EXPECT_EQ(HttpError({400, "Quantity \"must\" be positive"}).ToReply().json,
            R"({"detail":"Quantity \"must\" be positive"})");
  EXPECT_EQ(JsonObject().Add("item", "book").Add("amount", 9.99 * 2).Add("reserved", int64_t{8}).Take(),
            R"({"item":"book","amount":19.98,"reserved":8})");
  EXPECT_EQ(JsonObject().Add("amount", 1e308 * 10).Take(), R"({"amount":null})");
  EXPECT_EQ(JsonObject().Take(), "{}");
}

}  // namespace
}  // namespace rubato::demo
