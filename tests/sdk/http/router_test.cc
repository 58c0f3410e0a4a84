// Router: template matching, percent-decoding, specificity and 405s, as a table.
#include "sdk/http/router.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace rubato::sdk::http {
namespace {

RouteHandler Noop() {
  return [](net::HttpRequest&, const PathParams&, net::HttpResponse&) {};
}

Router DemoRouter() {
  Router router;
  router.Handle("GET", "/stock/{item}", Noop());
  router.Handle("POST", "/stock/{item}/reserve", Noop());
  router.Handle("GET", "/stock/summary", Noop());  // registered after the param route on purpose
  router.Handle("POST", "/orders", Noop());
  router.Handle("GET", "/", Noop());
  router.Handle("GET", "/a/{x}/b/{y}", Noop());
  return router;
}

struct Case {
  std::string method;
  std::string path;
  std::string route;                          // "" = no handler
  std::map<std::string, std::string> params;  // exact set expected
  bool mismatch = false;
  std::vector<std::string> allowed = {};
};

TEST(RouterTest, Table) {
  const Case cases[] = {
      {"GET", "/stock/book", "/stock/{item}", {{"item", "book"}}},
      {"GET", "/stock/summary", "/stock/summary", {}},
      {"GET", "/stock/a%20b", "/stock/{item}", {{"item", "a b"}}},
      {"GET", "/stock/a+b", "/stock/{item}", {{"item", "a+b"}}},        // '+' is literal in a path
      {"GET", "/stock/a%2Fb", "/stock/{item}", {{"item", "a/b"}}},      // encoded slash stays in the segment
      {"GET", "/stock/%E2%82%AC", "/stock/{item}", {{"item", "\xE2\x82\xAC"}}},
      {"GET", "/stock/100%", "/stock/{item}", {{"item", "100%"}}},      // malformed escape kept verbatim
      {"GET", "/stock/%zz", "/stock/{item}", {{"item", "%zz"}}},
      {"POST", "/stock/book/reserve", "/stock/{item}/reserve", {{"item", "book"}}},
      {"GET", "/a/1/b/2", "/a/{x}/b/{y}", {{"x", "1"}, {"y", "2"}}},
      {"GET", "/", "/", {}},
      {"POST", "/orders", "/orders", {}},
      // No match at all: 404.
      {"GET", "/stock", "", {}},
      {"GET", "/stock/", "", {}},           // an empty segment is no parameter value
      {"GET", "/stock/book/", "", {}},      // trailing slash is another path
      {"GET", "/stock/book/reserve/x", "", {}},
      {"GET", "/orders/1", "", {}},
      {"GET", "", "", {}},
      {"GET", "*", "", {}},
      {"GET", "/Stock/book", "", {}},       // literals are case-sensitive
      // Path known, method not: 405 with the allowed methods.
      {"DELETE", "/stock/book", "", {}, true, {"GET"}},
      {"GET", "/orders", "", {}, true, {"POST"}},
      {"GET", "/stock/book/reserve", "", {}, true, {"POST"}},
      {"get", "/stock/book", "", {}, true, {"GET"}},  // methods are case-sensitive (RFC 9110)
  };
  Router router = DemoRouter();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    Router::Match m = router.Find(c.method, c.path);
    if (c.route.empty()) {
      EXPECT_EQ(m.handler, nullptr);
      EXPECT_EQ(m.route_template, nullptr);
      EXPECT_EQ(m.method_mismatch, c.mismatch);
      EXPECT_EQ(m.allowed_methods, c.allowed);
      continue;
    }
    ASSERT_NE(m.handler, nullptr);
    ASSERT_NE(m.route_template, nullptr);
    EXPECT_EQ(*m.route_template, c.route);
    EXPECT_FALSE(m.method_mismatch);
    EXPECT_TRUE(m.allowed_methods.empty());
    for (const auto& [name, value] : c.params) EXPECT_EQ(m.params.Get(name), value) << name;
    EXPECT_EQ(m.params.Get("nope"), "");
  }
}

TEST(RouterTest, AllowListsEveryMethodOnceInRegistrationOrder) {
  Router router;
  router.Handle("GET", "/x/{id}", Noop());
  router.Handle("PUT", "/x/{id}", Noop());
  router.Handle("DELETE", "/x/{id}", Noop());
  router.Handle("PUT", "/x/literal", Noop());
  Router::Match m = router.Find("POST", "/x/literal");
  EXPECT_TRUE(m.method_mismatch);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "PUT", "DELETE"}));
}

TEST(RouterTest, HandlerIsTheRegisteredOne) {
  Router router;
  std::string called;
  router.Handle("GET", "/one/{n}", [&](net::HttpRequest&, const PathParams& p, net::HttpResponse&) {
    called = "one:" + std::string(p.Get("n"));
  });
  router.Handle("GET", "/two/{n}", [&](net::HttpRequest&, const PathParams& p, net::HttpResponse&) {
    called = "two:" + std::string(p.Get("n"));
  });
  net::HttpRequest req;
  net::HttpResponse resp;
  Router::Match m = router.Find("GET", "/two/7");
  ASSERT_NE(m.handler, nullptr);
  (*m.handler)(req, m.params, resp);
  EXPECT_EQ(called, "two:7");
}

TEST(RouterTest, TemplateWithoutLeadingSlashIsNormalized) {
  Router router;
  router.Handle("GET", "health", Noop());
  Router::Match m = router.Find("GET", "/health");
  ASSERT_NE(m.route_template, nullptr);
  EXPECT_EQ(*m.route_template, "/health");
}

}  // namespace
}  // namespace rubato::sdk::http
