// The pieces of the batch processor's staging: SpanChunk (copies common
// spans, holds the others, fills by count or bytes) and ChunkQueue (bounded
// by spans, splits chunks across batches, reuses the chunk freed longest ago).
#include <gtest/gtest.h>

#include <string>

#include "sdk/trace/chunk_queue.h"
#include "sdk/trace/span_chunk.h"
#include "sdk/trace/span_pool.h"

namespace rubato::sdk {
namespace {

// A record as a span would leave it: the name, then `attributes` "kN"=N.
// `room`: string capacity, as a record that once served a big span keeps.
SpanRecord* Recorded(SpanPool& pool, std::string_view name, int attributes, size_t room = 0) {
  SpanRecord* r = pool.Acquire();
  r->strings.reserve(room);
  r->span_id.bytes[0] = 7;
  r->start_time_unix_nano = 100;
  r->end_time_unix_nano = 250;
  r->status_code = model::StatusCode::kError;
  r->InitName(name);
  SpanLimits limits;
  for (int i = 0; i < attributes; ++i) r->SetAttribute(limits, "k" + std::to_string(i), int64_t{i});
  r->references.store(1);
  return r;
}

TEST(SpanChunkTest, ACommonSpanIsCopiedAndItsRecordCanBeReusedAtOnce) {
  SpanPool pool;
  SpanRecord* r = Recorded(pool, "op", 3);
  SpanChunk chunk;
  ASSERT_EQ(chunk.Append(r), SpanChunk::Added::kCopied);
  ReleaseRecord(*r);
  EXPECT_EQ(pool.Acquire(), r);  // back in this thread's cache, first out
  uint32_t next = 0;
  SpanView v = chunk.At(0, &next);
  EXPECT_EQ(next, chunk.used());
  EXPECT_EQ(v.record, nullptr);
  EXPECT_EQ(v.head->span_id.bytes[0], 7);
  EXPECT_EQ(v.head->start_time_unix_nano, 100u);
  EXPECT_EQ(v.head->end_time_unix_nano, 250u);
  EXPECT_EQ(v.head->status_code, model::StatusCode::kError);
  EXPECT_EQ(std::string_view(v.strings + v.head->name_begin, v.head->name_size), "op");
  ASSERT_EQ(v.attribute_count, 3u);
  EXPECT_EQ(std::string_view(v.strings + v.attributes[2].key_begin, v.attributes[2].key_size), "k2");
  EXPECT_EQ(v.attributes[2].value.integer, 2);
  EXPECT_EQ(v.string_bytes, 2u + 3 * 2);
}

TEST(SpanChunkTest, AnUncommonSpanWithNothingMoreIsCopied) {
  SpanPool pool;
  SpanRecord* r = Recorded(pool, "op", 2);  // keys "k0", "k1": equal lengths take the slow path
  r->SetAttribute(SpanLimits{}, "k0", "nine");  // replaced
  ASSERT_TRUE(r->uncommon);
  SpanChunk chunk;
  ASSERT_EQ(chunk.Append(r), SpanChunk::Added::kCopied);
  ReleaseRecord(*r);
  uint32_t next = 0;
  SpanView v = chunk.At(0, &next);
  ASSERT_EQ(v.attribute_count, 2u);
  const StoredValue& replaced = v.attributes[0].value;
  ASSERT_EQ(replaced.kind, AttributeValue::Kind::kString);
  EXPECT_EQ(std::string_view(v.strings + replaced.ref.begin, replaced.ref.size), "nine");
  EXPECT_EQ(v.attributes[1].value.integer, 1);
}

TEST(SpanChunkTest, ASpanWithMoreIsHeldAsItsRecord) {
  SpanPool pool;
  SpanRecord* r = Recorded(pool, "with-event", 1);
  r->AddEvent(SpanLimits{}, "e", 5, {});
  SpanChunk chunk;
  ASSERT_EQ(chunk.Append(r), SpanChunk::Added::kHeld);
  uint32_t next = 0;
  EXPECT_EQ(chunk.At(0, &next).record, r);
  std::vector<SpanRecord*> held;
  chunk.HeldRecords(0, chunk.used(), &held);
  EXPECT_EQ(held, std::vector<SpanRecord*>{r});
  ReleaseRecord(*r);
}

TEST(SpanChunkTest, FullAtMaxSpansOrWhenTheNextSpanDoesNotFit) {
  SpanPool pool;
  SpanChunk by_count;
  for (uint32_t i = 0; i < SpanChunk::kMaxSpans; ++i) {
    SpanRecord* r = Recorded(pool, "op", 0);
    ASSERT_EQ(by_count.Append(r), SpanChunk::Added::kCopied);
    ReleaseRecord(*r);
  }
  SpanRecord* r = Recorded(pool, "op", 0);
  EXPECT_EQ(by_count.Append(r), SpanChunk::Added::kFull);
  EXPECT_EQ(by_count.spans(), SpanChunk::kMaxSpans);

  // 16 + 80 + 3000 bytes a span: five fit in 16 KiB, not six.
  const std::string name(3000, 'n');
  SpanChunk by_bytes;
  for (int i = 0; i < 5; ++i) {
    SpanRecord* big = Recorded(pool, name, 0, 4096);
    ASSERT_EQ(by_bytes.Append(big), SpanChunk::Added::kCopied);
    ReleaseRecord(*big);
  }
  SpanRecord* big = Recorded(pool, name, 0, 4096);
  EXPECT_EQ(by_bytes.Append(big), SpanChunk::Added::kFull);
  EXPECT_EQ(by_bytes.spans(), 5u);
  EXPECT_EQ(by_bytes.used(), 5u * (16 + 80 + 3000));
  ReleaseRecord(*big);
  ReleaseRecord(*r);
}

TEST(SpanChunkTest, SpansTooLargeToCopyAreHeld) {
  SpanPool pool;
  SpanChunk chunk;
  // Nothing but a head, attributes and strings, but too large to copy.
  SpanRecord* long_name = Recorded(pool, std::string(SpanChunk::kMaxCopiedStringBytes + 1, 'x'), 0, 8192);
  ASSERT_TRUE(long_name->OnlyHeadAttributesAndStrings());
  EXPECT_EQ(chunk.Append(long_name), SpanChunk::Added::kHeld);
  SpanLimits many;
  many.attribute_count = 1000;
  SpanRecord* wide = Recorded(pool, "wide", 0, 8192);
  for (uint32_t i = 0; i <= SpanChunk::kMaxCopiedAttributes; ++i) {
    wide->SetAttribute(many, "a" + std::to_string(i), true);
  }
  ASSERT_TRUE(wide->OnlyHeadAttributesAndStrings());
  EXPECT_EQ(chunk.Append(wide), SpanChunk::Added::kHeld);
  ReleaseRecord(*long_name);
  ReleaseRecord(*wide);
}

// A chunk of `n` copied spans.
std::unique_ptr<SpanChunk> ChunkOf(SpanPool& pool, int n) {
  auto chunk = std::make_unique<SpanChunk>();
  for (int i = 0; i < n; ++i) {
    SpanRecord* r = Recorded(pool, "s" + std::to_string(i), 0);
    EXPECT_EQ(chunk->Append(r), SpanChunk::Added::kCopied);
    ReleaseRecord(*r);
  }
  return chunk;
}

std::string NameOf(const SpanView& v) { return std::string(v.strings + v.head->name_begin, v.head->name_size); }

TEST(ChunkQueueTest, RefusesAChunkThatWouldOverflowItAndCountsSpans) {
  SpanPool pool;
  ChunkQueue queue(100, 0);
  size_t queued = 0;
  auto a = ChunkOf(pool, 60);
  ASSERT_NE(nullptr, queue.Push(a, 0, 60, &queued));
  EXPECT_EQ(queued, 60u);
  auto b = ChunkOf(pool, 41);
  EXPECT_EQ(queue.Push(b, 0, 41, &queued), nullptr);
  ASSERT_NE(b, nullptr);  // still the caller's
  EXPECT_EQ(queued, 60u);
  auto c = ChunkOf(pool, 40);
  ASSERT_NE(nullptr, queue.Push(c, 0, 40, &queued));
  EXPECT_EQ(queued, 100u);
  EXPECT_EQ(queue.spans(), 100u);
  queue.Retire(std::move(b));
}

TEST(ChunkQueueTest, TakeSplitsChunksAcrossBatchesInOrder) {
  SpanPool pool;
  ChunkQueue queue(1000, 0);
  size_t queued = 0;
  auto a = ChunkOf(pool, 5);
  uint32_t second = 0;
  (void)a->At(0, &second);  // the first span was taken while staged: push from the second
  ASSERT_NE(nullptr, queue.Push(a, second, 4, &queued));
  auto b = ChunkOf(pool, 5);
  ASSERT_NE(nullptr, queue.Push(b, 0, 5, &queued));

  std::vector<SpanView> views;
  EXPECT_EQ(queue.Take(&views, 6), 6u);
  EXPECT_EQ(queue.spans(), 3u);
  EXPECT_EQ(queue.Take(&views, 6), 3u);
  std::vector<std::string> names;
  for (const SpanView& v : views) names.push_back(NameOf(v));
  EXPECT_EQ(names, (std::vector<std::string>{"s1", "s2", "s3", "s4", "s0", "s1", "s2", "s3", "s4"}));
  EXPECT_EQ(queue.spans(), 0u);
  EXPECT_EQ(queue.Take(&views, 6), 0u);
}

TEST(ChunkQueueTest, EmptyReusesTheChunkFreedLongestAgoOnceEnoughAreFree) {
  SpanPool pool;
  ChunkQueue queue(1000, 2);
  std::vector<SpanChunk*> pushed;
  size_t queued = 0;
  for (int i = 0; i < 3; ++i) {
    auto chunk = ChunkOf(pool, 1);
    pushed.push_back(chunk.get());
    ASSERT_NE(nullptr, queue.Push(chunk, 0, 1, &queued));
  }
  std::vector<SpanView> views;
  ASSERT_EQ(queue.Take(&views, 1), 1u);
  queue.Recycle();  // one free: fewer than 2, so a new chunk
  std::unique_ptr<SpanChunk> fresh = queue.Empty();
  EXPECT_NE(fresh.get(), pushed[0]);
  ASSERT_EQ(queue.Take(&views, 2), 2u);
  queue.Recycle();  // three free
  std::unique_ptr<SpanChunk> first = queue.Empty();
  std::unique_ptr<SpanChunk> second = queue.Empty();
  EXPECT_EQ(first.get(), pushed[0]);
  EXPECT_EQ(second.get(), pushed[1]);
  EXPECT_EQ(first->used(), 0u);  // emptied
  EXPECT_NE(queue.Empty().get(), pushed[2]);  // one left: a new one again
}

TEST(ChunkQueueTest, ClearHandsBackTheRecordsQueuedChunksHold) {
  SpanPool pool;
  ChunkQueue queue(1000, 0);
  auto chunk = std::make_unique<SpanChunk>();
  SpanRecord* held = Recorded(pool, "e", 0);
  held->AddEvent(SpanLimits{}, "e", 1, {});
  ASSERT_EQ(chunk->Append(held), SpanChunk::Added::kHeld);
  SpanRecord* copied = Recorded(pool, "c", 0);
  ASSERT_EQ(chunk->Append(copied), SpanChunk::Added::kCopied);
  ReleaseRecord(*copied);
  size_t queued = 0;
  ASSERT_NE(nullptr, queue.Push(chunk, 0, 2, &queued));
  std::vector<SpanRecord*> records;
  queue.Clear(&records);
  EXPECT_EQ(records, std::vector<SpanRecord*>{held});
  EXPECT_EQ(queue.spans(), 0u);
  ReleaseRecord(*held);
}

}  // namespace
}  // namespace rubato::sdk
