#include "sdk/trace/record_stages.h"

#include <algorithm>

namespace rubato::sdk {

namespace {
std::atomic<uint64_t> next_stages_id{1};
}  // namespace

// This thread's stages (one per RecordStages it has appended to). At thread
// exit each hands what it holds to its sink, unless that is closed.
struct RecordStages::ThreadStages {
  struct Entry {
    uint64_t id;
    std::shared_ptr<Stage> stage;
  };
  std::vector<Entry> entries;

  ~ThreadStages() {
    for (Entry& e : entries) {
      std::lock_guard lock(e.stage->mu);
      if (!e.stage->closed) e.stage->owner->FlushLocked(e.stage.get());
      e.stage->orphaned = true;
    }
    tls_last_id = 0;
    tls_last_stage = nullptr;
  }

  static ThreadStages& Get() {
    thread_local ThreadStages stages;
    return stages;
  }
};

RecordStages::RecordStages(StageSink* sink)
    : id_(next_stages_id.fetch_add(1, std::memory_order_relaxed)), sink_(sink) {}

RecordStages::~RecordStages() {
  std::vector<SpanRecord*> ignored;
  Close(&ignored);
}

RecordStages::Stage* RecordStages::ThisThreadSlow() {
  ThreadStages& mine = ThreadStages::Get();
  Stage* found = nullptr;
  // Forget the stages of closed RecordStages (a thread may see many
  // providers come and go), and look for this one's.
  auto dead = std::remove_if(mine.entries.begin(), mine.entries.end(), [&](const ThreadStages::Entry& e) {
    std::lock_guard lock(e.stage->mu);
    if (e.id == id_ && !e.stage->closed) found = e.stage.get();
    return e.stage->closed && e.stage->count.load(std::memory_order_relaxed) == e.stage->taken;
  });
  mine.entries.erase(dead, mine.entries.end());
  if (found == nullptr) {
    auto stage = std::make_shared<Stage>();
    stage->owner = this;
    {
      std::lock_guard lock(mu_);
      if (closed_) {
        stage->closed = true;
      } else {
        stages_.push_back(stage);
      }
    }
    found = stage.get();
    mine.entries.push_back({id_, std::move(stage)});
  }
  tls_last_id = id_;
  tls_last_stage = found;
  return found;
}

void RecordStages::PushFull(Stage* stage) {
  std::lock_guard lock(stage->mu);
  if (stage->closed) {
    // Appended after Close (a span that ended while the processor shut
    // down): no one will look at these.
    uint32_t n = stage->count.load(std::memory_order_relaxed);
    for (uint32_t i = stage->taken; i < n; ++i) ReleaseRecord(*stage->records[i]);
    stage->taken = 0;
    stage->count.store(0, std::memory_order_relaxed);
    return;
  }
  FlushLocked(stage);
}

void RecordStages::FlushLocked(Stage* stage) {
  uint32_t n = stage->count.load(std::memory_order_relaxed);
  if (n > stage->taken) sink_->PushChunk(stage->records + stage->taken, n - stage->taken);
  stage->taken = 0;
  stage->count.store(0, std::memory_order_relaxed);
}

size_t RecordStages::Take(std::vector<SpanRecord*>* out, size_t max) {
  size_t moved = 0;
  std::lock_guard lock(mu_);
  auto drained = std::remove_if(stages_.begin(), stages_.end(), [&](const std::shared_ptr<Stage>& s) {
    std::lock_guard stage_lock(s->mu);
    uint32_t n = s->count.load(std::memory_order_acquire);
    while (s->taken < n && moved < max) {
      out->push_back(s->records[s->taken++]);
      ++moved;
    }
    // An exited thread's stage never fills again: drop it once empty.
    return s->orphaned && s->taken == n;
  });
  stages_.erase(drained, stages_.end());
  return moved;
}

void RecordStages::Close(std::vector<SpanRecord*>* out) {
  std::lock_guard lock(mu_);
  closed_ = true;
  for (const std::shared_ptr<Stage>& s : stages_) {
    std::lock_guard stage_lock(s->mu);
    uint32_t n = s->count.load(std::memory_order_acquire);
    while (s->taken < n) out->push_back(s->records[s->taken++]);
    s->closed = true;
  }
  stages_.clear();
}

}  // namespace rubato::sdk
