// Span start and end times for the prefilter: rebuilt for every row from
// trace.start, span.parent, span.time_ref and the time byte planes alone
// (block.md, "Span times"), without decoding the spans. A row's end may be
// relative to its parent's end, so durations need the whole reconstruction.
#include <algorithm>
#include <cstring>

#include "store/block/row_group_internal.h"
#include "store/block/row_group_scan_internal.h"

namespace rubato::store::block::scan {
namespace {

// Rows' values from their byte planes (null: all zero): eight rows at a
// time, the 8×8 byte matrix of their planes transposed in registers, so the
// cost does not grow with the number of planes (-O2 does not vectorise the
// plane-by-plane loop).
void Unplane(const uint8_t* const planes[kTimePlanes], uint32_t n, uint64_t* out) {
  uint32_t r = 0;
  auto word = [&](int b) {
    uint64_t w = 0;
    if (planes[b] != nullptr) std::memcpy(&w, planes[b] + r, 8);
    return w;
  };
  // One stage of the transpose: swaps the `bits`-wide blocks of a and b that `mask` selects.
  auto swap = [](uint64_t& a, uint64_t& b, int bits, uint64_t mask) {
    uint64_t t = ((a >> bits) ^ b) & mask;
    b ^= t;
    a ^= t << bits;
  };
  for (; r + 8 <= n; r += 8) {
    // Written out so that the eight words stay in registers.
    uint64_t m0 = word(0), m1 = word(1), m2 = word(2), m3 = word(3);
    uint64_t m4 = word(4), m5 = word(5), m6 = word(6), m7 = word(7);
    constexpr uint64_t k8 = 0x00FF00FF00FF00FFull, k16 = 0x0000FFFF0000FFFFull, k32 = 0x00000000FFFFFFFFull;
    swap(m0, m1, 8, k8), swap(m2, m3, 8, k8), swap(m4, m5, 8, k8), swap(m6, m7, 8, k8);
    swap(m0, m2, 16, k16), swap(m1, m3, 16, k16), swap(m4, m6, 16, k16), swap(m5, m7, 16, k16);
    swap(m0, m4, 32, k32), swap(m1, m5, 32, k32), swap(m2, m6, 32, k32), swap(m3, m7, 32, k32);
    // Word k now holds row r + k.
    out[r] = m0, out[r + 1] = m1, out[r + 2] = m2, out[r + 3] = m3;
    out[r + 4] = m4, out[r + 5] = m5, out[r + 6] = m6, out[r + 7] = m7;
  }
  for (; r < n; ++r) {
    uint64_t v = 0;
    for (int b = 0; b < kTimePlanes; ++b) {
      if (planes[b] != nullptr) v |= uint64_t{planes[b][r]} << (8 * b);
    }
    out[r] = v;
  }
}

}  // namespace

Status RowGroupData::LoadTimes() {
  const uint32_t n = rows();
  auto parents = Codes(kSpanParent);
  if (!parents.ok()) return parents.status();
  auto refs_col = Column(kSpanTimeRef);
  if (!refs_col.ok()) return refs_col.status();
  if (refs_col->size() != n) return Corrupt(kSpanTimeRef, "length is not the row count");
  const auto* refs = reinterpret_cast<const uint8_t*>(refs_col->data());
  // Each row's stored start and end values from their byte planes (a plane
  // is empty when its byte is zero in every row).
  const uint8_t* start_planes[kTimePlanes];
  const uint8_t* end_planes[kTimePlanes];
  for (int b = 0; b < kTimePlanes; ++b) {
    for (auto [col, planes] : {std::pair{SpanStartPlane(b), start_planes}, std::pair{SpanEndPlane(b), end_planes}}) {
      auto p = Column(col);
      if (!p.ok()) return p.status();
      if (!p->empty() && p->size() != n) return Corrupt(col, "length is not the row count");
      planes[b] = p->empty() ? nullptr : reinterpret_cast<const uint8_t*>(p->data());
    }
  }
  std::vector<uint64_t> sv(n), ev(n);
  Unplane(start_planes, n, sv.data());
  Unplane(end_planes, n, ev.data());
  auto trace_starts = Column(kTraceStart);
  if (!trace_starts.ok()) return trace_starts.status();
  ByteReader ts(*trace_starts);

  auto times = std::make_unique<Times>();
  times->start.resize(n);
  times->end.resize(n);
  // Per parent code: the latest end and last start of the earlier siblings,
  // valid when stamp[code] is the current trace's number + 1 (no clearing
  // between traces).
  uint64_t longest = 0;
  for (const IndexEntry& e : page_.traces) longest = std::max<uint64_t>(longest, e.span_count);
  std::vector<uint64_t> sibling_end(longest + 2), sibling_start(longest + 2);
  std::vector<uint32_t> stamp(longest + 2, 0);
  uint64_t* start_of = times->start.data();
  uint64_t* end_of = times->end.data();
  const uint32_t* code_of = (*parents)->data();
  uint64_t tstart = 0;
  for (size_t t = 0; t < page_.traces.size(); ++t) {
    const IndexEntry& e = page_.traces[t];
    tstart = t == 0 ? ts.Fixed<uint64_t>() : tstart + static_cast<uint64_t>(ts.Svarint());
    if (!ts.ok()) return Corrupt(kTraceStart, "fewer entries than traces");
    uint64_t t0 = e.first_row, tn = e.span_count;
    if (t0 + tn > n) return Corrupt(kTraceSpanCount, "span counts exceed the row count");
    const uint32_t now = static_cast<uint32_t>(t) + 1;
    // Written without data-dependent branches (the modes vary row to row);
    // any inconsistency is collected in `bad` and reported per trace.
    bool bad = false;
    for (uint64_t i = 0; i < tn; ++i) {
      const uint64_t row = t0 + i;
      uint64_t code = code_of[row];
      bad |= code > tn + 1;
      code = code > tn + 1 ? 0 : code;
      const bool parent_before = code >= 2 && code - 2 < i;
      const uint64_t parent = parent_before ? t0 + code - 2 : row;  // row: a harmless index
      const uint8_t mode = refs[row];
      const bool has_sibling = stamp[code] == now;
      bad |= mode > (3 | rg::kEndFromParentEnd) || (mode & 3) == 3;
      bad |= (mode & 3) != rg::kStartFromParent && !has_sibling;
      bad |= (mode & rg::kEndFromParentEnd) != 0 && !parent_before;
      const uint64_t from_parent = parent_before ? start_of[parent] : tstart;
      const uint64_t ref = (mode & 3) == rg::kStartFromParent     ? from_parent
                           : (mode & 3) == rg::kStartAfterSiblings ? sibling_end[code]
                                                                   : sibling_start[code];
      const uint64_t start = ref + static_cast<uint64_t>(UnZigZag(sv[row]));
      const uint64_t delta = static_cast<uint64_t>(UnZigZag(ev[row]));
      const uint64_t end = (mode & rg::kEndFromParentEnd) != 0 ? end_of[parent] - delta : start + delta;
      start_of[row] = start;
      end_of[row] = end;
      sibling_end[code] = has_sibling ? std::max(sibling_end[code], end) : end;
      sibling_start[code] = start;
      stamp[code] = now;
    }
    if (bad) return Corrupt(kSpanTimeRef, "span times refer to a missing or later row");
  }
  times_ = std::move(times);
  return Status::Ok();
}

}  // namespace rubato::store::block::scan
