// A TraceStore that makes every batch durable in the WAL before it reaches the
// head, so an acknowledged request survives kill -9: ingest → WAL → head.
// Start-up replays the WAL into the head. It lives in ingest/ because the WAL
// payload is the OTLP protobuf encoding of the batch, and store/ knows only
// the model.
//
// Until blocks exist (the rest of issue 4) the head is the in-memory store and
// the WAL keeps about as much as the head does: past `retained_bytes` of
// payload, whole old segments are deleted. A restart therefore brings back the
// same recent window the API was serving, not everything ever received.
#pragma once

#include <deque>
#include <memory>
#include <mutex>

#include "store/trace_store.h"
#include "store/wal/wal.h"

namespace rubato::ingest {

class WalBackedStore : public store::TraceStore {
 public:
  WalBackedStore(std::unique_ptr<store::wal::Wal> wal, store::TraceStore* head, uint64_t retained_bytes)
      : wal_(std::move(wal)), head_(head), retained_bytes_(retained_bytes) {}

  // Replays the WAL into the head. Undecodable records are counted and skipped.
  Status Recover(store::wal::ReplayStats* stats, uint64_t* undecodable);

  // Durable first: Unavailable (nothing acknowledged) when the WAL refuses.
  Status Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch) override;
  void MarkTruncated(std::string_view tenant, const model::TraceId& id) override { head_->MarkTruncated(tenant, id); }
  Result<store::FoundTrace> FindTrace(std::string_view tenant, const model::TraceId& id,
                                     store::TimeRange range) const override {
    return head_->FindTrace(tenant, id, range);
  }
  void ForEachTraceId(std::string_view tenant, const std::function<void(const model::TraceId&)>& fn) const override {
    head_->ForEachTraceId(tenant, fn);
  }
  const store::wal::Wal& wal() const { return *wal_; }

 private:
  void Retain(uint64_t seq, uint64_t bytes);

  std::unique_ptr<store::wal::Wal> wal_;
  store::TraceStore* head_;
  uint64_t retained_bytes_;
  std::mutex mu_;
  std::deque<std::pair<uint64_t, uint64_t>> records_;  // (seq, payload bytes), oldest first
  uint64_t bytes_ = 0;
};

}  // namespace rubato::ingest
