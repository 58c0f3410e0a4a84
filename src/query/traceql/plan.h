// A query ready to run: the validated tree, its regexes compiled (RE2, fully
// anchored), and what evaluation needs to read. Built once per request and
// shared read-only by every thread scanning blocks.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "query/traceql/ast.h"
#include "status/status.h"

namespace re2 {
class RE2;
}

namespace rubato::query::traceql {

class Plan {
 public:
  // Parse + Validate + compile regexes. InvalidArgument "line:col: …" on any error
  // (an invalid regex too: `1:20: invalid regex "(": missing )`).
  static Result<std::unique_ptr<Plan>> Compile(std::string_view text);
  ~Plan();

  const Query& query() const { return query_; }
  const std::string& text() const { return text_; }
  // The compiled regex of a kRegex / kNotRegex node (its rhs literal); null for other nodes.
  const re2::RE2* regex(const FieldExpr* node) const;
  // Attributes the query reads (filters, by, select, aggregates): the span
  // attributes a search result shows for each matched span.
  const std::vector<Attribute>& referenced_attributes() const { return referenced_; }
  // Attributes named in select(): always shown, even if only selected.
  const std::vector<Attribute>& selected_attributes() const { return selected_; }
  // Hints: with(most_recent=true) is our default anyway (see docs/traceql.md).
  bool hint_most_recent() const { return most_recent_; }

 private:
  Plan() = default;
  std::string text_;
  Query query_;
  std::unordered_map<const FieldExpr*, std::unique_ptr<re2::RE2>> regexes_;
  std::vector<Attribute> referenced_, selected_;
  bool most_recent_ = true;
};

}  // namespace rubato::query::traceql
