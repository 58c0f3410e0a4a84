// The row-group codec (src/store/block/row_group*.cc): every span decodes
// back exactly, one trace at a time and as a whole row group, through the
// real chunk compression; and corrupt columns give errors, never crashes.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <cstring>
#include <set>

#include "model/batch_compare.h"
#include "model/span_copy.h"
#include "store/block/chunk.h"
#include "store/block/row_group.h"
#include "tests/block/hand_batch.h"
#include "workload/generator.h"

namespace rubato::store::block {
namespace {

using model::AnyValue;
using model::Batch;
using model::KeyValue;

bool SpanLess(const SpanRef& a, const SpanRef& b) {
  const model::Span& x = a.span();
  const model::Span& y = b.span();
  if (x.trace_id != y.trace_id) return x.trace_id < y.trace_id;
  if (x.start_time_unix_nano != y.start_time_unix_nano) return x.start_time_unix_nano < y.start_time_unix_nano;
  return x.span_id < y.span_id;
}

std::vector<SpanRef> SortedRefs(const std::vector<const Batch*>& batches) {
  std::vector<SpanRef> refs;
  for (const Batch* b : batches) {
    for (uint32_t i = 0; i < b->spans.size(); ++i) refs.push_back({b, i});
  }
  std::stable_sort(refs.begin(), refs.end(), SpanLess);
  return refs;
}

// Each span copied on its own (own resource and scope), so two batches compare
// equal whatever resources and scopes their spans shared.
void AppendCanonical(std::span<const SpanRef> refs, Batch* out) {
  for (const SpanRef& r : refs) {
    uint32_t i = r.index;
    model::CopySpans(*r.batch, std::span<const uint32_t>(&i, 1), out);
  }
}
Batch Canonical(const Batch& b) {
  Batch out;
  for (uint32_t i = 0; i < b.spans.size(); ++i) model::CopySpans(b, std::span<const uint32_t>(&i, 1), &out);
  return out;
}

// DescribeDifference compares doubles with ==; the codec must keep their
// bits (-0.0, NaN payloads). Canonical copies lay pools out the same way.
std::string DoubleBitsDiffer(const Batch& a, const Batch& b) {
  auto same = [](const AnyValue& x, const AnyValue& y) {
    return x.kind != model::ValueKind::kDouble || std::memcmp(&x.dbl, &y.dbl, 8) == 0;
  };
  if (a.attributes.size() != b.attributes.size() || a.values.size() != b.values.size()) return "pool sizes differ";
  for (size_t i = 0; i < a.attributes.size(); ++i) {
    if (!same(a.attributes[i].value, b.attributes[i].value)) {
      return "double bits differ in attribute " + std::to_string(i);
    }
  }
  for (size_t i = 0; i < a.values.size(); ++i) {
    if (!same(a.values[i], b.values[i])) return "double bits differ in value " + std::to_string(i);
  }
  return "";
}

// Encodes, stores every column as a chunk (zstd 9) and reads it back.
RawColumns EncodeAndStore(std::span<const SpanRef> spans, EncodedRowGroup* rg) {
  EncodeRowGroup(spans, rg);
  RawColumns raw;
  for (int c = 0; c < kColumnCount; ++c) {
    std::string chunk;
    AppendChunk(kAllColumns[c], rg->columns[c], 9, &chunk);
    auto decoded = DecodeChunk(kAllColumns[c], chunk);
    EXPECT_TRUE(decoded.ok()) << decoded.status().message();
    raw.columns[c] = std::move(decoded).value();
  }
  return raw;
}

// Every trace alone, a run of rows starting mid-trace, and the whole group
// decode to exactly the input spans, in row order.
void ExpectRoundTrip(std::span<const SpanRef> spans) {
  EncodedRowGroup rg;
  RawColumns raw = EncodeAndStore(spans, &rg);
  uint32_t rows = 0;
  for (const TraceEntry& t : rg.traces) {
    ASSERT_EQ(t.first_row, rows);
    rows += t.span_count;
    Batch want, got;
    AppendCanonical(spans.subspan(t.first_row, t.span_count), &want);
    Status s = DecodeRows(raw, t.id, t.first_row, t.span_count, &got);
    ASSERT_TRUE(s.ok()) << s.message();
    for (const model::Span& sp : got.spans) ASSERT_EQ(sp.trace_id, t.id);
    Batch canon = Canonical(got);
    ASSERT_EQ(model::DescribeDifference(want, canon), "") << "trace " << t.id.ToHex();
    ASSERT_EQ(DoubleBitsDiffer(want, canon), "") << "trace " << t.id.ToHex();
  }
  ASSERT_EQ(rows, spans.size());
  Batch want, got;
  AppendCanonical(spans, &want);
  Status s = DecodeRowGroup(raw, rg.traces, &got);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(model::DescribeDifference(want, Canonical(got)), "") << "whole row group";
  if (rows > 3) {  // rows that begin and end mid-trace
    uint32_t first = rows / 3, count = rows / 3;
    Batch part_want, part;
    AppendCanonical(spans.subspan(first, count), &part_want);
    s = DecodeRows(raw, spans[first].span().trace_id, first, count, &part);
    ASSERT_TRUE(s.ok()) << s.message();
    for (model::Span& sp : part.spans) sp.trace_id = {};  // DecodeRows gives every row the one ID
    Batch canon = Canonical(part);
    for (uint32_t i = 0; i < count; ++i) canon.spans[i].trace_id = spans[first + i].span().trace_id;
    ASSERT_EQ(model::DescribeDifference(part_want, canon), "") << "rows " << first << "+" << count;
  }
}

TEST(RowGroup, StandardWorkloadRoundTrips) {
  workload::Generator gen(workload::Options{});
  std::vector<std::unique_ptr<Batch>> batches;
  std::vector<const Batch*> ptrs;
  for (int i = 0; i < 8; ++i) {  // two row groups of 4,096 spans
    batches.push_back(std::make_unique<Batch>());
    gen.Next(batches.back().get());
    ptrs.push_back(batches.back().get());
  }
  std::vector<SpanRef> refs = SortedRefs(ptrs);
  ExpectRoundTrip(std::span(refs).subspan(0, refs.size() / 2));
  ExpectRoundTrip(std::span(refs).subspan(refs.size() / 2));
}

TEST(RowGroup, HandBatchRoundTrips) {
  Batch b = testing_support::HandBatch();
  std::vector<SpanRef> refs = SortedRefs({&b});
  ExpectRoundTrip(refs);
}

TEST(RowGroup, EdgeCasesRoundTrip) {
  Batch b = testing_support::EdgeCaseBatch();
  std::vector<SpanRef> refs = SortedRefs({&b});
  ExpectRoundTrip(refs);
  // Together with the workload, in one row group.
  Batch hand = testing_support::HandBatch();
  workload::Generator gen(workload::Options{});
  Batch w;
  gen.Next(&w);
  refs = SortedRefs({&b, &hand, &w});
  ExpectRoundTrip(refs);
}

// Which attributes went to dedicated columns: a key's typed run does when its
// layout is the column's; values of another type stay in attr.generic.
TEST(RowGroup, DedicatedColumns) {
  workload::Generator gen(workload::Options{});
  Batch w;
  gen.Next(&w);
  std::vector<SpanRef> refs = SortedRefs({&w});
  EncodedRowGroup rg;
  EncodeRowGroup(refs, &rg);
  std::set<std::string> got(rg.dedicated_columns.begin(), rg.dedicated_columns.end());
  std::set<std::string> want = {"http.request.method", "http.route", "url.path", "http.response.status_code",
                                "server.address", "server.port", "db.system", "db.statement"};
  EXPECT_EQ(got, want);
  EXPECT_FALSE(rg.columns[ColumnSlot(kAttrHttpRoute)].empty());
  EXPECT_TRUE(rg.columns[ColumnSlot(kAttrRpcMethod)].empty());

  Batch edge = testing_support::EdgeCaseBatch();
  refs = SortedRefs({&edge});
  EncodeRowGroup(refs, &rg);
  got = std::set<std::string>(rg.dedicated_columns.begin(), rg.dedicated_columns.end());
  // http.route is an int there (its column holds strings); server.port is
  // mostly int; http.request.method mostly string; the status code's only
  // typed values are one string and one int (the string's layout wins the tie).
  EXPECT_EQ(got, (std::set<std::string>{"server.port", "http.request.method"}));
  EXPECT_TRUE(rg.columns[ColumnSlot(kAttrHttpRoute)].empty());
}

// ---- Random spans: every field drawn across its whole range ----

class RandomSpans {
 public:
  explicit RandomSpans(uint64_t seed) : rng_(seed) {}

  void Fill(Batch* b, int traces) {
    b_ = b;
    for (uint64_t r = 0; r < 1 + Pick(2); ++r) {
      b->AddResource(Attrs(0), b->Own(Text()), static_cast<uint32_t>(Pick(3)));
      for (uint64_t sc = 0; sc < 1 + Pick(2); ++sc) {
        b->AddScope(b->Own(Text()), b->Own(Text()), Attrs(0), b->Own(Text()), static_cast<uint32_t>(Pick(2)));
        for (int t = 0; t < traces; ++t) AddTrace();
      }
    }
  }

 private:
  uint64_t Pick(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  uint64_t Any() {  // small, medium or any 64-bit value
    switch (Pick(3)) {
      case 0: return Pick(300);
      case 1: return Pick(100'000'000);
      default: return rng_();
    }
  }
  std::string Uuid(bool upper) {
    const char* d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 32; ++i) {
      if (i == 8 || i == 12 || i == 16 || i == 20) s += '-';
      s += d[Pick(16)];
    }
    return s;
  }
  std::string Text() {
    switch (Pick(6)) {
      case 0: return "";
      case 1: return Uuid(false);
      case 2: return Uuid(true);
      case 3: return std::string(1 + Pick(40), static_cast<char>('a' + Pick(26)));
      default: return "s" + std::to_string(Pick(50));
    }
  }
  AnyValue Value(int depth) {
    switch (Pick(depth < 3 ? 9 : 7)) {
      case 0: return AnyValue();
      case 1:
      case 2: return AnyValue::String(b_->Own(Text()));
      case 3: return AnyValue::Bool(Pick(2));
      case 4: return AnyValue::Int(static_cast<int64_t>(Any()) * (Pick(2) ? 1 : -1));
      case 5: {
        uint64_t bits = rng_();
        double d;
        std::memcpy(&d, &bits, 8);
        return AnyValue::Double(Pick(2) ? d : static_cast<double>(Pick(1000)) / 8);
      }
      case 6: return AnyValue::Bytes(b_->Own(Text()));
      case 7: {
        std::vector<AnyValue> items;
        for (uint64_t i = Pick(4); i > 0; --i) items.push_back(Value(depth + 1));
        return AnyValue::Array(b_->AppendValues(items));
      }
      default: return AnyValue::KvList(Attrs(depth + 1));
    }
  }
  model::Range Attrs(int depth) {
    static const char* const kKeys[] = {"http.route", "http.response.status_code", "server.port", "db.system",
                                        "url.full", "a", "b", "c", "", "app.id"};
    std::vector<KeyValue> kvs;
    for (uint64_t i = Pick(depth == 0 ? 12 : 4); i > 0; --i) kvs.push_back({kKeys[Pick(10)], Value(depth)});
    return b_->AppendAttributes(kvs);
  }
  model::Span NewSpan(const model::TraceId& trace) {
    model::Span s;
    s.trace_id = trace;
    for (auto& x : s.span_id.bytes) x = static_cast<uint8_t>(Pick(4));  // collisions happen
    s.name = b_->Own(Pick(4) ? "op" + std::to_string(Pick(5)) : Text());
    s.start_time_unix_nano = Pick(4) ? base_ + Pick(1'000'000) : Any();
    s.end_time_unix_nano = Pick(4) ? s.start_time_unix_nano + Pick(50'000'000) : Any();
    s.kind = static_cast<model::SpanKind>(static_cast<int32_t>(Pick(3) ? Pick(6) : rng_()));
    s.status_code = static_cast<model::StatusCode>(static_cast<int32_t>(Pick(3) ? Pick(3) : rng_()));
    s.status_message = Pick(3) ? std::string_view() : b_->Own(Text());
    s.trace_state = Pick(3) ? std::string_view() : b_->Own(Text());
    s.flags = static_cast<uint32_t>(Pick(2) ? 0x101 : rng_());
    s.dropped_attributes_count = static_cast<uint32_t>(Pick(5) ? 0 : rng_());
    s.dropped_events_count = static_cast<uint32_t>(Pick(5) ? 0 : rng_());
    s.dropped_links_count = static_cast<uint32_t>(Pick(5) ? 0 : rng_());
    s.attributes = Attrs(0);
    std::vector<model::Event> events;
    for (uint64_t i = Pick(4) ? 0 : Pick(3); i > 0; --i) {
      events.push_back({Pick(2) ? s.start_time_unix_nano + Pick(1000) : rng_(), b_->Own(Text()), Attrs(1),
                        static_cast<uint32_t>(Pick(3))});
    }
    s.events = b_->AppendEvents(events);
    std::vector<model::Link> links;
    for (uint64_t i = Pick(5) ? 0 : Pick(3); i > 0; --i) {
      model::Link l;
      for (auto& x : l.trace_id.bytes) x = static_cast<uint8_t>(rng_());
      for (auto& x : l.span_id.bytes) x = static_cast<uint8_t>(rng_());
      l.trace_state = b_->Own(Text());
      l.flags = static_cast<uint32_t>(rng_());
      l.attributes = Attrs(1);
      l.dropped_attributes_count = static_cast<uint32_t>(Pick(3));
      links.push_back(l);
    }
    s.links = b_->AppendLinks(links);
    return s;
  }
  void AddTrace() {
    model::TraceId trace;
    for (auto& x : trace.bytes) x = static_cast<uint8_t>(rng_());
    base_ = Any();
    std::vector<model::SpanId> ids;
    for (uint64_t i = 1 + Pick(Pick(8) ? 12 : 200); i > 0; --i) {
      model::Span s = NewSpan(trace);
      switch (Pick(5)) {
        case 0: break;  // a root
        case 1: for (auto& x : s.parent_span_id.bytes) x = static_cast<uint8_t>(rng_()); break;  // elsewhere
        default: if (!ids.empty()) s.parent_span_id = ids[Pick(ids.size())];  // usually an earlier span
      }
      ids.push_back(s.span_id);
      if (Pick(10) == 0 && !ids.empty()) s.parent_span_id = ids[Pick(ids.size())];  // maybe itself
      b_->AddSpan(s);
    }
  }

  std::mt19937_64 rng_;
  Batch* b_ = nullptr;
  uint64_t base_ = 0;
};

TEST(RowGroup, RandomSpansRoundTrip) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Batch b;
    RandomSpans(seed).Fill(&b, 4);
    std::vector<SpanRef> refs = SortedRefs({&b});
    SCOPED_TRACE("seed " + std::to_string(seed));
    ExpectRoundTrip(refs);
    if (HasFatalFailure()) return;
  }
}

// A fuzzer in miniature (the test runs under ASan and UBSan in `make test`):
// each column in turn gets bytes flipped, cut off, appended or zeroed, and
// decoding one trace or the whole group must return an error or a batch,
// never crash, hang or allocate without bound.
TEST(RowGroup, CorruptColumnsGiveErrorsNotCrashes) {
  Batch edge = testing_support::EdgeCaseBatch();
  Batch hand = testing_support::HandBatch();
  Batch w;
  workload::Generator(workload::Options{}).Next(&w);
  std::vector<SpanRef> refs = SortedRefs({&edge, &hand, &w});
  EncodedRowGroup rg;
  RawColumns raw = EncodeAndStore(refs, &rg);
  std::mt19937_64 rng(7);
  auto mutate = [&](std::string* col, int how) {
    switch (how) {
      case 0:  // flip a few bytes
        for (int n = 1 + static_cast<int>(rng() % 3); n > 0 && !col->empty(); --n) {
          (*col)[rng() % col->size()] ^= static_cast<char>(1 + rng() % 255);
        }
        break;
      case 1: col->resize(col->empty() ? 0 : rng() % col->size()); break;
      case 2:
        for (int n = 1 + static_cast<int>(rng() % 16); n > 0; --n) col->push_back(static_cast<char>(rng()));
        break;
      case 3:  // a byte set to a value varints and tags care about
        if (!col->empty()) (*col)[rng() % col->size()] = "\x00\x01\x7f\x80\xff\x08\x09"[rng() % 7];
        break;
      default: std::fill(col->begin(), col->end(), '\0'); break;
    }
  };
  int errors = 0, decoded = 0;
  auto decode_some = [&](const RawColumns& r) {
    std::vector<const TraceEntry*> picks = {&rg.traces.front(), &rg.traces.back(),
                                            &rg.traces[rng() % rg.traces.size()]};
    for (const TraceEntry* t : picks) {
      Batch out;
      (DecodeRows(r, t->id, t->first_row, t->span_count, &out).ok() ? decoded : errors)++;
    }
    Batch all;
    (DecodeRowGroup(r, rg.traces, &all).ok() ? decoded : errors)++;
  };
  for (int c = 0; c < kColumnCount; ++c) {
    const std::string clean = raw.columns[c];
    for (int trial = 0; trial < 15; ++trial) {
      mutate(&raw.columns[c], trial % 5);
      decode_some(raw);
      raw.columns[c] = clean;
    }
  }
  for (int trial = 0; trial < 120; ++trial) {  // several columns at once
    RawColumns copy = raw;
    for (int n = 0; n < 3; ++n) mutate(&copy.columns[rng() % kColumnCount], static_cast<int>(rng() % 5));
    decode_some(copy);
  }
  EXPECT_GT(errors, 500);
  std::printf("corrupt columns: %d decodes failed cleanly, %d still decoded\n", errors, decoded);
}

}  // namespace
}  // namespace rubato::store::block
