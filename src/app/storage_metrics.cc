#include "app/storage_metrics.h"

namespace rubato::app {
namespace {

using Stats = store::TraceDbStats;

void Counter(metrics::Registry* r, const store::TraceDb* db, const char* name, const char* help,
             uint64_t Stats::*field) {
  r->AddCounterFunc(name, help, {}, [db, field] { return db->stats().*field; });
}

}  // namespace

void RegisterStorageMetrics(metrics::Registry* r, const store::TraceDb* db) {
  r->AddGaugeFunc("rubato_head_bytes", "Memory held by the head (recent spans not yet in a block).", {},
                  [db] { return static_cast<int64_t>(db->head_bytes()); });
  r->AddGaugeFunc("rubato_head_spans", "Spans in the head.", {}, [db] { return static_cast<int64_t>(db->head_spans()); });
  r->AddGaugeFunc("rubato_blocks", "Visible blocks, all tenants.", {},
                  [db] { return static_cast<int64_t>(db->block_totals().blocks); });
  r->AddGaugeFunc("rubato_block_spans", "Spans stored in blocks.", {},
                  [db] { return static_cast<int64_t>(db->block_totals().spans); });
  r->AddGaugeFunc("rubato_block_bytes", "Bytes of blocks on disk (data, index and bloom).", {},
                  [db] { return static_cast<int64_t>(db->block_totals().bytes); });
  r->AddGaugeFunc("rubato_block_reader_bytes",
                  "Memory the open blocks' readers hold (page directories, filter headers; older blocks' bloom filters).",
                  {}, [db] { return static_cast<int64_t>(db->block_totals().memory_bytes); });
  Counter(r, db, "rubato_block_cuts_total", "Head cuts into level-0 blocks (one per tenant).", &Stats::cuts);
  Counter(r, db, "rubato_block_cut_spans_total", "Spans written into level-0 blocks.", &Stats::cut_spans);
  Counter(r, db, "rubato_head_relogged_spans_total",
          "Spans of still-active traces a cut kept in the head (re-logged to the WAL).", &Stats::relogged_spans);
  r->AddCounterFunc("rubato_block_cut_seconds_total", "Time spent cutting the head into blocks.", {},
                    [db] { return db->stats().cut_nanos / 1'000'000'000; });
  Counter(r, db, "rubato_compactions_total", "Compactions run.", &Stats::compactions);
  Counter(r, db, "rubato_compacted_blocks_total", "Blocks merged away by compaction.", &Stats::compacted_input_blocks);
  Counter(r, db, "rubato_compaction_concatenations_total", "Compactions that concatenated their inputs (no re-encoding).",
          &Stats::concatenations);
  Counter(r, db, "rubato_compacted_spans_total", "Input spans read by compaction.", &Stats::compacted_spans);
  r->AddCounterFunc("rubato_compaction_seconds_total", "Time spent compacting.", {},
                    [db] { return db->stats().compaction_nanos / 1'000'000'000; });
  Counter(r, db, "rubato_retention_deleted_blocks_total", "Blocks deleted by compactor.compaction.block_retention.",
          &Stats::retention_deleted_blocks);
  r->AddCounterFunc("rubato_blocks_corrupt_total", "Corrupt blocks found (at start-up or on read) and skipped.", {},
                    [db] {
                      Stats s = db->stats();
                      return s.corrupt_block_reads + s.corrupt_blocks_at_open;
                    });
  Counter(r, db, "rubato_head_full_refusals_total",
          "Appends refused (retryably) because the head was full while blocks were being written.",
          &Stats::refused_head_full);
  Counter(r, db, "rubato_storage_background_errors_total", "Failed cuts, compactions or retention runs (retried).",
          &Stats::background_errors);
  r->AddCounterFunc("rubato_wal_appends_total", "Batches made durable in the WAL.", {},
                    [db] { return db->wal().stats().appends; });
  r->AddCounterFunc("rubato_wal_failed_appends_total",
                    "WAL appends refused by the disk (the request was answered as retryable).", {},
                    [db] { return db->wal().stats().failed_appends; });
  r->AddCounterFunc("rubato_wal_syncs_total", "fdatasync calls of the WAL (group commit shares them).", {},
                    [db] { return db->wal().stats().syncs; });
}

}  // namespace rubato::app
