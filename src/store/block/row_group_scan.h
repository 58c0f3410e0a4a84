// Search's prefilter over one row group: which traces could match a query,
// found from a few column chunks without decoding spans (issue 5, "Engine").
// A string test runs once per dictionary entry (or is a binary search of the
// sorted dictionary), then the scan compares integer codes; only the chunks
// the filter needs are read and decompressed. The answer may hold traces
// that do not match (the caller evaluates them), never miss one that does:
// whatever the scanner cannot read cheaply counts as "maybe".
//
// The filter is a tree over sets of spans of one trace. Each node yields, per
// trace, a superset of the spans the query part it stands for would yield;
// a trace is a candidate when the root yields a span in it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "status/status.h"
#include "store/block/block_reader.h"
#include "store/block/index.h"

namespace rubato::store::block {

// What a predicate reads of a span.
enum class SpanField : uint8_t {
  kName,              // span name
  kKind,              // OTLP code (0 unspecified … 5 consumer), as an integer
  kStatus,            // OTLP code (0 unset, 1 ok, 2 error), as an integer
  kStatusMessage,     // a string ("" when none)
  kDuration,          // end − start in ns, as an integer (0 when the span ends before it starts)
  kScopeName,         // instrumentation scope name
  kScopeVersion,      // instrumentation scope version
  kResourceAttribute, // resource attribute `key`
  kSpanAttribute,     // span attribute `key` (dedicated column or generic run)
  kAttribute,         // unscoped `.key`: the span's attribute when it has the key, else its resource's
  // Per trace (every span of the trace sees the same value). They see only the
  // rows of this row group: when a trace may be split over blocks, do not use them.
  kTraceRootName,     // name of a root span (zero parent) of the trace
  kTraceRootService,  // service.name of a root span's resource
  kTraceDuration,     // latest end − earliest start of the trace's spans, ns
};

// Which values pass. A value whose type has no test passes when
// `other_types` is set, else fails; values the scanner does not compare
// (bytes, arrays, kvlists) always pass.
struct ValueTest {
  // Strings (UUID-shaped ones as their text). Called at most once per
  // distinct dictionary entry of a row group.
  std::function<bool(std::string_view)> string;
  // When set, strings pass exactly when equal to it (`string` is then not
  // called): a binary search of the dictionary instead of a call per entry.
  std::optional<std::string> string_equals;
  std::function<bool(int64_t)> integer;  // ints; kind, status and durations too
  // When set, ints pass exactly when lo ≤ v ≤ hi (`integer` is then not
  // called): a duration or status-code range costs two compares per span.
  std::optional<std::pair<int64_t, int64_t>> integer_between;
  std::function<bool(double)> real;
  std::function<bool(bool)> boolean;
  bool other_types = false;
  bool missing = false;  // whether a span without the attribute passes

  bool has_string() const { return string_equals.has_value() || static_cast<bool>(string); }
  // Whether a value of each type passes (values the scanner does not compare aside).
  bool PassesString(std::string_view s) const {
    if (string_equals) return s == *string_equals;
    return string ? string(s) : other_types;
  }
  bool PassesInt(int64_t v) const {
    if (integer_between) return v >= integer_between->first && v <= integer_between->second;
    return integer ? integer(v) : other_types;
  }
  bool PassesReal(double v) const { return real ? real(v) : other_types; }
  bool PassesBool(bool v) const { return boolean ? boolean(v) : other_types; }
};

struct SpanPredicate {
  SpanField field = SpanField::kName;
  std::string key;  // attribute fields only
  ValueTest test;
};

// A node of the filter tree; see each kind for the spans (of one trace) it yields.
struct SpansetFilter {
  enum class Kind : uint8_t {
    kSpans,      // spans for which every predicate holds (no predicates: every span)
    kIntersect,  // spans every child yields (`&&` inside `{ }`, pipeline stages)
    kUnion,      // spans any child yields (`||`)
    kAnd,        // when every child yields a span in the trace, their union; else none
    // Relations, children = {lhs, rhs}: rhs spans related to some lhs span,
    // and with `with_lhs` (the union forms &>, &<, …) also the lhs spans
    // related to some rhs span. Parents are rows of the same trace.
    kChild,       // `lhs > rhs`: rhs spans whose parent is an lhs span
    kParent,      // `lhs < rhs`: rhs spans that are the parent of an lhs span
    kDescendant,  // `lhs >> rhs`: rhs spans with an lhs ancestor
    kAncestor,    // `lhs << rhs`: rhs spans with an lhs descendant
    kSibling,     // `lhs ~ rhs`: rhs spans with an lhs span under the same parent (not themselves)
    kMinCount,    // the child's spans, in traces where it yields at least `count`
  };
  Kind kind = Kind::kSpans;
  std::vector<SpanPredicate> predicates;   // kSpans
  std::vector<SpansetFilter> children;     // all other kinds
  bool with_lhs = false;                   // relations
  uint32_t count = 0;                      // kMinCount

  // Shorthands for building trees.
  static SpansetFilter Spans(std::vector<SpanPredicate> predicates);
  static SpansetFilter Node(Kind kind, std::vector<SpansetFilter> children);
  // Whether the node yields every span whatever the data (no condition at all).
  bool MatchesEverything() const;
};

struct TraceFilter {
  SpansetFilter spans;
  // Only traces whose time range, as the index knows it (whole ms, covering
  // the true range), overlaps [start, end] in ns since the epoch.
  uint64_t start_unix_nano = 0;
  uint64_t end_unix_nano = UINT64_MAX;
};

// Work done by a scan, for the search response's metrics and the benchmarks.
struct ScanStats {
  uint64_t chunks_read = 0;      // column chunks decompressed
  uint64_t bytes_read = 0;       // stored bytes fetched from `data`
  uint64_t bytes_decoded = 0;    // raw bytes of the decompressed chunks
};

// Whether `f` may yield a span, when each predicate holds on some span
// exactly where `may` says it might, in traces of at most `most_spans` spans.
// The building block of the pruning below and of search's by tag catalogs.
bool FilterMayYield(const SpansetFilter& f, const std::function<bool(const SpanPredicate&)>& may,
                    uint32_t most_spans = UINT32_MAX);

// False when no trace of a row group can match, judged from what its index
// page said (BlockReader::CachedSummary): trace ranges and sizes. Lets search
// skip a row group without reading anything; true means maybe.
bool MayMatchRowGroup(const TraceFilter& filter, const RowGroupSummary& summary);

// Indices, within `page.traces` (the row group's traces in ID order), of the
// traces that may match, in increasing order. Internal (naming block, row
// group and column) when the data is corrupt.
Result<std::vector<uint32_t>> ScanRowGroup(const BlockReader& reader, uint32_t row_group, const TraceFilter& filter,
                                           ScanStats* stats = nullptr);
// The same with the row group's index page already read (ReadIndexPage), so
// that a caller that goes on to ReadTraces reads it once.
Result<std::vector<uint32_t>> ScanRowGroup(const BlockReader& reader, uint32_t row_group, const IndexPage& page,
                                           const TraceFilter& filter, ScanStats* stats = nullptr);

}  // namespace rubato::store::block
