// A search's answer, in Tempo's terms (tempopb.SearchResponse): one entry per
// matching trace with its matched spansets, and the work it took.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/ids.h"
#include "query/search/owned_value.h"

namespace rubato::query::search {

struct SpanOut {
  model::SpanId id;
  std::string name;
  uint64_t start_unix_nano = 0;
  uint64_t duration_nanos = 0;
  std::vector<OwnedKeyValue> attributes;  // what the query read or selected (traceql::ResultAttributes)
};

struct SpansetOut {
  std::vector<SpanOut> spans;             // the earliest `spss` spans of the spanset
  uint32_t matched = 0;                   // spans in the spanset (all of them, not only those shown)
  std::vector<OwnedKeyValue> attributes;  // by(), count() … of the spanset
  std::vector<model::SpanId> span_ids;    // every matched span, sorted: merging pieces dedupes by it
};

struct ServiceStats {
  uint32_t span_count = 0;
  uint32_t error_count = 0;
  bool operator==(const ServiceStats&) const = default;
};

// One matching trace. Pieces of a trace found in several places (head and
// blocks, or blocks not yet compacted together) are merged into one.
struct TraceResult {
  model::TraceId id;
  uint64_t start_unix_nano = 0;  // earliest span start of the pieces seen
  uint64_t end_unix_nano = 0;    // latest span end
  bool has_root = false;
  std::string root_service;      // of the root span's resource; empty when no root
  std::string root_name;
  std::vector<SpansetOut> spansets;
  std::map<std::string, ServiceStats> service_stats;  // every span of the pieces seen, by service.name

  // Every span seen, sorted by ID, with its service and error flag: merging
  // pieces that share spans (a cut in progress) must not count them twice.
  struct SpanMark {
    model::SpanId id;
    uint32_t service;  // index in services
    bool error;
    bool operator<(const SpanMark& o) const { return id < o.id; }
  };
  std::vector<SpanMark> spans_seen;
  std::vector<std::string> services;
  // Where its pieces were read (0: the head, 1 + index among the scanned
  // blocks), sorted: the other places that may hold a piece are looked up
  // once the scan is over (search.cc, CompletePieces).
  std::vector<uint32_t> sources;

  uint64_t duration_ms() const { return end_unix_nano > start_unix_nano ? (end_unix_nano - start_unix_nano) / 1000000 : 0; }
};

// Tempo's SearchMetrics, plus what docs/search.md reports about pruning.
struct SearchMetrics {
  uint64_t inspected_traces = 0;  // trace pieces evaluated
  uint64_t inspected_spans = 0;   // spans decoded or read from the head
  uint64_t inspected_bytes = 0;   // stored bytes of the row groups decoded (estimated), head bytes read
  uint32_t total_blocks = 0;      // blocks overlapping the time range
  uint32_t total_jobs = 0;        // units of work: row groups of those blocks, slices of the head
  uint32_t completed_jobs = 0;    // units scanned (fewer when the search stopped early)
  uint64_t total_block_bytes = 0; // stored bytes of the blocks in range
  // Not in Tempo's answer:
  uint32_t blocks_pruned_by_time = 0;   // outside the time range: never opened
  uint32_t blocks_pruned_by_values = 0; // their tag catalogs rule the query out: never read, not inspected
  uint32_t blocks_inspected = 0;        // at least one row group decoded
  uint32_t row_groups_pruned = 0;       // ruled out by the column prefilter, not decoded
  uint32_t traces_skipped = 0;         // in range but unable to displace the results held: not evaluated
  uint32_t corrupt_row_groups = 0;      // failed their checksum: skipped
  uint32_t pieces_completed = 0;        // pieces of results' traces looked up after the scan
  bool stopped_early = false;           // `limit` results were certain before every unit was scanned
};

struct SearchResponse {
  std::vector<TraceResult> traces;  // most recent first (start time descending, then trace ID)
  SearchMetrics metrics;
};

}  // namespace rubato::query::search
