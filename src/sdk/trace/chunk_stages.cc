#include "sdk/trace/chunk_stages.h"

#include <algorithm>

namespace rubato::sdk {

namespace {
std::atomic<uint64_t> next_stages_id{1};
}  // namespace

// This thread's stages (one per ChunkStages it has appended to). At thread
// exit each hands its chunk to its sink, unless that is closed: the sink
// exports what was not taken yet, and recycles the chunk only once its
// consumer is done with any view of it.
struct ChunkStages::ThreadStages {
  struct Entry {
    uint64_t id;
    std::shared_ptr<Stage> stage;
  };
  std::vector<Entry> entries;

  ~ThreadStages() {
    for (Entry& e : entries) {
      std::lock_guard lock(e.stage->mu);
      if (!e.stage->closed) {
        e.stage->owner->PushLocked(e.stage.get());
        e.stage->chunk.reset();  // the empty one it got back: no one fills it now
      }
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

ChunkStages::ChunkStages(StageSink* sink) : id_(next_stages_id.fetch_add(1, std::memory_order_relaxed)), sink_(sink) {}

ChunkStages::~ChunkStages() {
  std::vector<SpanRecord*> ignored;
  Close(&ignored);
}

ChunkStages::Stage* ChunkStages::ThisThreadSlow() {
  ThreadStages& mine = ThreadStages::Get();
  Stage* found = nullptr;
  // Forget the stages of closed ChunkStages (a thread may see many
  // providers come and go), and look for this one's.
  auto dead = std::remove_if(mine.entries.begin(), mine.entries.end(), [&](const ThreadStages::Entry& e) {
    std::lock_guard lock(e.stage->mu);
    if (e.id == id_ && !e.stage->closed) found = e.stage.get();
    return e.stage->closed;
  });
  mine.entries.erase(dead, mine.entries.end());
  if (found == nullptr) {
    auto stage = std::make_shared<Stage>();
    stage->owner = this;
    {
      std::lock_guard lock(mu_);
      if (closed_) {
        stage->closed = true;
        stage->chunk = std::make_unique<SpanChunk>();  // filled and emptied, never looked at
      } else {
        stage->chunk = sink_->EmptyChunk();
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

void ChunkStages::HandOver(Stage* stage) {
  std::lock_guard lock(stage->mu);
  if (stage->closed) {
    // Appended after Close (spans that ended while the processor shut
    // down): no one will look at these.
    if (stage->chunk->held() > 0) {
      stage->chunk->ForEachHeld(stage->taken, stage->chunk->used(), [](SpanRecord* r) { ReleaseRecord(*r); });
    }
    stage->chunk->Reset();
  } else {
    PushLocked(stage);
  }
  stage->taken = stage->taken_spans = 0;
  stage->published.store(0, std::memory_order_relaxed);
}

void ChunkStages::PushLocked(Stage* stage) {
  if (!stage->chunk) return;
  const uint32_t begin = stage->taken;
  const uint32_t spans = stage->chunk->spans() - stage->taken_spans;
  stage->chunk = sink_->PushChunk(std::move(stage->chunk), begin, spans);
}

size_t ChunkStages::Take(std::vector<SpanView>* out, size_t max) {
  size_t moved = 0;
  std::lock_guard lock(mu_);
  auto drained = std::remove_if(stages_.begin(), stages_.end(), [&](const std::shared_ptr<Stage>& s) {
    std::lock_guard stage_lock(s->mu);
    if (!s->chunk) return s->orphaned;  // an exited thread's: its chunk went to the sink
    const uint32_t published = s->published.load(std::memory_order_acquire);
    while (s->taken < published && moved < max) {
      out->push_back(s->chunk->At(s->taken, &s->taken));
      ++s->taken_spans;
      ++moved;
    }
    return false;
  });
  stages_.erase(drained, stages_.end());
  return moved;
}

void ChunkStages::Close(std::vector<SpanRecord*>* held) {
  std::lock_guard lock(mu_);
  closed_ = true;
  for (const std::shared_ptr<Stage>& s : stages_) {
    std::lock_guard stage_lock(s->mu);
    if (s->chunk) {
      const uint32_t published = s->published.load(std::memory_order_acquire);
      s->chunk->HeldRecords(s->taken, published, held);
      s->taken = published;
    }
    s->closed = true;
  }
  stages_.clear();
}

}  // namespace rubato::sdk
