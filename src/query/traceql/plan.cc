// Plan::Compile: parse, validate, compile every regex once (RE2, anchored at
// both ends, as Tempo's regexes are), and list the attributes the query reads.
#include "query/traceql/plan.h"

#include <re2/re2.h>

#include "query/traceql/lexer.h"
#include "query/traceql/parse.h"

namespace rubato::query::traceql {
namespace {

bool SameAttribute(const Attribute& a, const Attribute& b) {
  return a.scope == b.scope && a.parent == b.parent && a.name == b.name;
}

void AddUnique(std::vector<Attribute>* list, const Attribute& a) {
  for (const Attribute& x : *list) {
    if (SameAttribute(x, a)) return;
  }
  list->push_back(a);
}

// RE2's error codes in words of our own, so messages do not depend on the RE2 version.
std::string RegexProblem(const re2::RE2& re) {
  switch (re.error_code()) {
    case re2::RE2::ErrorBadEscape: return "invalid escape";
    case re2::RE2::ErrorBadCharClass: return "invalid character class";
    case re2::RE2::ErrorBadCharRange: return "invalid character class range";
    case re2::RE2::ErrorMissingBracket: return "missing ]";
    case re2::RE2::ErrorMissingParen: return "missing )";
    case re2::RE2::ErrorUnexpectedParen: return "unexpected )";
    case re2::RE2::ErrorTrailingBackslash: return "trailing \\";
    case re2::RE2::ErrorRepeatArgument: return "nothing to repeat";
    case re2::RE2::ErrorRepeatSize: return "invalid repeat count";
    case re2::RE2::ErrorRepeatOp: return "invalid repetition operator";
    case re2::RE2::ErrorBadPerlOp: return "invalid (? syntax";
    case re2::RE2::ErrorBadUTF8: return "invalid UTF-8";
    case re2::RE2::ErrorBadNamedCapture: return "invalid named capture group";
    case re2::RE2::ErrorPatternTooLarge: return "pattern too large";
    default: return re.error();
  }
}

// Walks the tree in text order, compiling regexes and collecting attributes.
class Collector {
 public:
  Collector(std::unordered_map<const FieldExpr*, std::unique_ptr<re2::RE2>>* regexes,
            std::vector<Attribute>* referenced, std::vector<Attribute>* selected)
      : regexes_(regexes), referenced_(referenced), selected_(selected) {}

  Status Pipeline(const traceql::Pipeline& p) {
    for (const Stage& s : p.stages) {
      Status st = StageOf(s);
      if (!st.ok()) return st;
    }
    return Status::Ok();
  }

 private:
  Status StageOf(const Stage& s) {
    switch (s.kind) {
      case Stage::Kind::kSpanset: return Spanset(*s.spanset);
      case Stage::Kind::kScalarFilter: {
        Status st = Scalar(*s.lhs);
        return st.ok() ? Scalar(*s.rhs) : st;
      }
      case Stage::Kind::kCoalesce: return Status::Ok();
      case Stage::Kind::kBy:
      case Stage::Kind::kSelect:
        for (const auto& f : s.fields) {
          if (s.kind == Stage::Kind::kSelect && f->kind == FieldExpr::Kind::kAttribute)
            AddUnique(selected_, f->attribute);
          Status st = Field(*f);
          if (!st.ok()) return st;
        }
        return Status::Ok();
    }
    return Status::Ok();
  }

  Status Spanset(const SpansetExpr& e) {
    switch (e.kind) {
      case SpansetExpr::Kind::kFilter: return e.filter ? Field(*e.filter) : Status::Ok();
      case SpansetExpr::Kind::kBinary: {
        Status s = Spanset(*e.lhs);
        return s.ok() ? Spanset(*e.rhs) : s;
      }
      case SpansetExpr::Kind::kPipeline: return Pipeline(*e.pipeline);
    }
    return Status::Ok();
  }

  Status Scalar(const ScalarExpr& e) {
    if (e.kind == ScalarExpr::Kind::kAggregate) return e.argument ? Field(*e.argument) : Status::Ok();
    if (e.kind == ScalarExpr::Kind::kBinary) {
      Status s = Scalar(*e.lhs);
      return s.ok() ? Scalar(*e.rhs) : s;
    }
    return Status::Ok();
  }

  Status Field(const FieldExpr& e) {
    if (e.kind == FieldExpr::Kind::kAttribute) AddUnique(referenced_, e.attribute);
    if (e.lhs) {
      Status s = Field(*e.lhs);
      if (!s.ok()) return s;
    }
    if (e.rhs) {
      Status s = Field(*e.rhs);
      if (!s.ok()) return s;
    }
    if (e.kind == FieldExpr::Kind::kBinary && (e.binary == BinaryOp::kRegex || e.binary == BinaryOp::kNotRegex))
      return Regex(e);
    return Status::Ok();
  }

  Status Regex(const FieldExpr& e) {
    const std::string& pattern = e.rhs->value.str;
    re2::RE2::Options options;
    options.set_log_errors(false);
    // Checked alone first: wrapped in (?:…), a stray ")" could close the group.
    re2::RE2 alone(pattern, options);
    if (!alone.ok()) {
      return Status::InvalidArgument(Where(e.rhs->pos) + "invalid regex " + ToString(e.rhs->value) + ": " +
                                     RegexProblem(alone));
    }
    auto anchored = std::make_unique<re2::RE2>("^(?:" + pattern + ")$", options);
    if (!anchored->ok()) {
      return Status::InvalidArgument(Where(e.rhs->pos) + "invalid regex " + ToString(e.rhs->value) + ": " +
                                     RegexProblem(*anchored));
    }
    (*regexes_)[&e] = std::move(anchored);
    return Status::Ok();
  }

  std::unordered_map<const FieldExpr*, std::unique_ptr<re2::RE2>>* regexes_;
  std::vector<Attribute>* referenced_;
  std::vector<Attribute>* selected_;
};

}  // namespace

Plan::~Plan() = default;

Result<std::unique_ptr<Plan>> Plan::Compile(std::string_view text) {
  auto parsed = Parse(text);
  if (!parsed.ok()) return parsed.status();
  std::unique_ptr<Plan> plan(new Plan());
  plan->text_ = std::string(text);
  plan->query_ = std::move(parsed).value();
  Status s = Validate(&plan->query_);
  if (!s.ok()) return s;
  Collector c(&plan->regexes_, &plan->referenced_, &plan->selected_);
  s = c.Pipeline(*plan->query_.pipeline);
  if (!s.ok()) return s;
  for (const Hint& h : plan->query_.hints) {
    if (h.name == "most_recent") plan->most_recent_ = h.value.boolean;
  }
  return plan;
}

const re2::RE2* Plan::regex(const FieldExpr* node) const {
  auto it = regexes_.find(node);
  return it == regexes_.end() ? nullptr : it->second.get();
}

}  // namespace rubato::query::traceql
