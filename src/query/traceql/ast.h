// The TraceQL syntax tree: what the parser builds, the validator types and
// the evaluator runs. Nodes own their children (unique_ptr); every node keeps
// where it started in the query text, so errors can say line:column.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rubato::query::traceql {

struct Pos {
  uint32_t line = 1, column = 1;  // 1-based; column counts bytes
};

// The type of a value, known statically (literals, intrinsics) or only when
// evaluated (attributes: kAttribute until a value is read).
enum class ValueType : uint8_t {
  kNil,
  kString,
  kInt,
  kFloat,
  kBool,
  kDuration,  // nanoseconds, int64
  kStatus,    // error, ok, unset
  kKind,      // unspecified, internal, server, client, producer, consumer
  kAttribute, // unknown until evaluated (any of the above)
  kSpanset,   // only for validation messages
};

enum class StatusValue : uint8_t { kUnset = 0, kOk = 1, kError = 2 };  // OTLP codes
enum class KindValue : uint8_t {
  kUnspecified = 0, kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5,  // OTLP codes
};

// A literal.
struct Static {
  ValueType type = ValueType::kNil;
  std::string str;       // kString
  int64_t integer = 0;   // kInt, kDuration (ns), kStatus and kKind (their OTLP code)
  double dbl = 0;        // kFloat
  bool boolean = false;  // kBool
};

// Where an attribute is looked up. kUnscoped (`.name`) means span first,
// then resource (Tempo's rule); events and links are looked up on each of the
// span's events or links.
enum class AttributeScope : uint8_t { kUnscoped, kSpan, kResource, kEvent, kLink, kInstrumentation };

struct Attribute {
  AttributeScope scope = AttributeScope::kUnscoped;
  bool parent = false;  // `parent.`: looked up on the span's parent
  std::string name;     // unquoted: `span."a b"` has name `a b`
};

enum class Intrinsic : uint8_t {
  // span
  kSpanName, kSpanKind, kSpanStatus, kSpanStatusMessage, kSpanDuration, kSpanId, kSpanParentId, kSpanChildCount,
  // trace
  kTraceDuration, kTraceRootName, kTraceRootService, kTraceId,
  // event, link, instrumentation scope
  kEventName, kEventTimeSinceStart, kLinkTraceId, kLinkSpanId, kScopeName, kScopeVersion,
};

enum class BinaryOp : uint8_t {
  kEq, kNeq, kGt, kGte, kLt, kLte, kRegex, kNotRegex,  // comparisons: bool
  kAdd, kSub, kMul, kDiv, kMod, kPow,                  // arithmetic
  kAnd, kOr,                                           // logic
};
enum class UnaryOp : uint8_t { kNot, kNeg };

// An expression inside `{ … }`, or the argument of by(), select(), avg() and
// the other aggregates.
struct FieldExpr {
  enum class Kind : uint8_t { kStatic, kAttribute, kIntrinsic, kBinary, kUnary };
  Kind kind = Kind::kStatic;
  Pos pos;
  Static value;              // kStatic
  Attribute attribute;       // kAttribute
  Intrinsic intrinsic{};     // kIntrinsic
  BinaryOp binary{};         // kBinary
  UnaryOp unary{};           // kUnary
  std::unique_ptr<FieldExpr> lhs, rhs;  // kBinary: both; kUnary: lhs
  ValueType type = ValueType::kAttribute;  // set by Validate
};

// Operators between two spansets (docs/traceql.md gives the semantics).
enum class SpansetOp : uint8_t {
  kAnd, kOr,                                                     // &&  ||
  kChild, kParent, kDescendant, kAncestor, kSibling,             // >  <  >>  <<  ~
  kNotChild, kNotParent, kNotDescendant, kNotAncestor, kNotSibling,  // !>  !<  !>>  !<<  !~
  kUnionChild, kUnionParent, kUnionDescendant, kUnionAncestor, kUnionSibling,  // &>  &<  &>>  &<<  &~
};

struct Pipeline;

// A spanset expression: a filter `{ … }` (an empty `{ }` has a null filter
// and matches every span), two spanset expressions joined by an operator, or
// a parenthesised pipeline.
struct SpansetExpr {
  enum class Kind : uint8_t { kFilter, kBinary, kPipeline };
  Kind kind = Kind::kFilter;
  Pos pos;
  std::unique_ptr<FieldExpr> filter;           // kFilter (null: `{ }`)
  // kFilter written `!{ x }`: `filter` is then a kUnary kNot around `x` (or
  // null for `!{ }`), and this flag tells the evaluator it is not `{ !x }`.
  bool negated = false;
  SpansetOp op{};                              // kBinary
  std::unique_ptr<SpansetExpr> lhs, rhs;       // kBinary
  std::unique_ptr<Pipeline> pipeline;          // kPipeline
};

enum class AggregateOp : uint8_t { kCount, kAvg, kMin, kMax, kSum };

// A number computed over a spanset: `count()`, `avg(duration)`, a literal,
// or arithmetic on those.
struct ScalarExpr {
  enum class Kind : uint8_t { kAggregate, kStatic, kBinary };
  Kind kind = Kind::kStatic;
  Pos pos;
  AggregateOp aggregate{};                 // kAggregate
  std::unique_ptr<FieldExpr> argument;     // kAggregate (null for count())
  Static value;                            // kStatic
  BinaryOp binary{};                       // kBinary: arithmetic only
  std::unique_ptr<ScalarExpr> lhs, rhs;    // kBinary
  ValueType type = ValueType::kAttribute;  // set by Validate (kInt, kFloat or kDuration)
};

// One stage of a pipeline, after a `|` (or the first one).
struct Stage {
  enum class Kind : uint8_t { kSpanset, kScalarFilter, kBy, kCoalesce, kSelect };
  Kind kind = Kind::kSpanset;
  Pos pos;
  std::unique_ptr<SpansetExpr> spanset;            // kSpanset
  std::unique_ptr<ScalarExpr> lhs, rhs;            // kScalarFilter: `lhs op rhs`
  BinaryOp comparison{};                           // kScalarFilter: kEq … kLte
  std::vector<std::unique_ptr<FieldExpr>> fields;  // kBy (one or more), kSelect (one or more)
};

struct Pipeline {
  Pos pos;
  std::vector<Stage> stages;  // at least one; the first is a spanset expression
};

// `with(name = value, …)` after the query.
struct Hint {
  std::string name;
  Static value;
  Pos pos;
};

struct Query {
  std::unique_ptr<Pipeline> pipeline;
  std::vector<Hint> hints;
};

// The canonical text of a tree, used as the expected AST in the conformance
// files: every binary node in parentheses, names in canonical scoped form
// (`span:duration`, not `duration`), literals normalised (durations in the
// largest exact unit, strings double-quoted with escapes).
std::string ToString(const Query& q);
std::string ToString(const FieldExpr& e);

const char* Name(ValueType t);  // "string", "duration", … (for error messages)
const char* Name(Intrinsic i);  // canonical scoped spelling: "span:duration", "trace:rootService"
const char* Name(BinaryOp op);  // "=", "=~", "&&", …
// The operator with its operands swapped: `x op y` is `y Mirror(op) x` (> ↔ <, >= ↔ <=; others unchanged).
BinaryOp Mirror(BinaryOp op);
const char* Name(SpansetOp op); // "&&", ">>", "!~", "&<<", …
const char* Name(AggregateOp op);  // "count", "avg", …
// The canonical text of a static ("GET" quoted and escaped, 1500ms, 2.5, error, nil).
std::string ToString(const Static& v);

}  // namespace rubato::query::traceql
