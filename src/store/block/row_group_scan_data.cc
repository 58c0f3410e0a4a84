// The row group as the prefilter sees it: chunks decompressed, the
// dictionary, per-row code columns and the resource and scope tables parsed,
// each once and only when a predicate asks (row_group_scan_internal.h).
#include <algorithm>
#include <cstring>

#include "store/block/row_group_internal.h"
#include "store/block/row_group_scan_internal.h"

namespace rubato::store::block::scan {

RowGroupData::RowGroupData(const BlockReader& reader, uint32_t row_group, const IndexPage& page,
                           StoredChunks chunks, ScanStats* stats)
    : reader_(reader), row_group_(row_group), page_(page), chunks_(std::move(chunks)), stats_(stats) {}

Status RowGroupData::Corrupt(const Status& s) const {
  return Status::Internal(reader_.name() + ", row group " + std::to_string(row_group_) + ": " + s.message());
}
Status RowGroupData::Corrupt(block::Column c, const std::string& what) const {
  return Corrupt(Status::Internal(std::string("column ") + ColumnName(c) + ": " + what));
}

Result<std::string_view> RowGroupData::Column(block::Column c) {
  int slot = ColumnSlot(c);
  if (slot < 0) return std::string_view();
  if (!raw_[slot]) {
    auto raw = chunks_.Decode(c);
    if (!raw.ok()) return Corrupt(raw.status());
    if (stats_ != nullptr && !chunks_.chunks[slot].empty()) {
      ++stats_->chunks_read;
      stats_->bytes_decoded += raw->size();
    }
    raw_[slot] = std::move(raw).value();
  }
  return std::string_view(*raw_[slot]);
}

Result<rg::DictView*> RowGroupData::Dict() {
  if (!dict_parsed_) {
    auto col = Column(kDict);
    if (!col.ok()) return col.status();
    if (!dict_.Parse(*col)) return Corrupt(kDict, "malformed");
    dict_parsed_ = true;
  }
  return &dict_;
}

std::string_view RowGroupData::DictEntry(uint32_t code) { return dict_.Get(code, &scratch_); }

Result<int64_t> RowGroupData::FindString(std::string_view s) {
  auto dict = Dict();
  if (!dict.ok()) return dict.status();
  if (s.empty()) return 0;
  // Codes 1..size-1 are the entries in byte order.
  uint32_t lo = 1, hi = dict_.size();
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (DictEntry(mid) < s) lo = mid + 1;
    else hi = mid;
  }
  return lo < dict_.size() && DictEntry(lo) == s ? int64_t{lo} : int64_t{-1};
}

Result<const std::vector<uint32_t>*> RowGroupData::Codes(block::Column c) {
  int slot = ColumnSlot(c);
  if (!codes_[slot]) {
    auto col = Column(c);
    if (!col.ok()) return col.status();
    auto codes = std::make_unique<std::vector<uint32_t>>(rows());
    // Most codes are one byte: eight of them at a time when no byte of a word
    // continues a varint, else one by one.
    const auto* p = reinterpret_cast<const uint8_t*>(col->data());
    const auto* end = p + col->size();
    uint32_t* out = codes->data();
    uint32_t* out_end = out + codes->size();
    while (out < out_end) {
      if (end - p >= 8 && out_end - out >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        if ((w & 0x8080808080808080ull) == 0) {
          for (int k = 0; k < 8; ++k) out[k] = static_cast<uint8_t>(w >> (8 * k));
          out += 8;
          p += 8;
          continue;
        }
      }
      if (p < end && *p < 0x80) {
        *out++ = *p++;
        continue;
      }
      ByteReader r(std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(end - p)));
      uint64_t x = r.Uvarint();
      if (!r.ok() || x > UINT32_MAX) return Corrupt(c, "not one value per row");
      *out++ = static_cast<uint32_t>(x);
      p = reinterpret_cast<const uint8_t*>(r.ptr());
    }
    if (p != end) return Corrupt(c, "not one value per row");
    codes_[slot] = std::move(codes);
  }
  return codes_[slot].get();
}

Result<const Times*> RowGroupData::SpanTimes() {
  if (!times_) {
    if (Status s = LoadTimes(); !s.ok()) return s;
  }
  return times_.get();
}

Result<const AttrLayout*> RowGroupData::Attrs() {
  if (!attrs_) {
    if (Status s = LoadAttrs(); !s.ok()) return s;
  }
  return attrs_.get();
}

Result<const std::vector<model::Range>*> RowGroupData::Resources() {
  if (!resources_) {
    auto dict = Dict();
    if (!dict.ok()) return dict.status();
    auto col = Column(kResources);
    if (!col.ok()) return col.status();
    auto table = std::make_unique<std::vector<model::Range>>();
    ByteReader r(*col);
    while (r.ok() && !r.done()) {
      model::Range attrs;
      if (!values_.ReadAttrList(r, &attrs)) break;
      r.Uvarint();  // schema URL
      r.Uvarint();  // dropped attributes
      table->push_back(attrs);
    }
    if (!r.ok()) return Corrupt(kResources, "malformed");
    resources_ = std::move(table);
  }
  return resources_.get();
}

Result<const std::vector<RowGroupData::ScopeEntry>*> RowGroupData::Scopes() {
  if (!scopes_) {
    auto dict = Dict();
    if (!dict.ok()) return dict.status();
    auto col = Column(kScopes);
    if (!col.ok()) return col.status();
    auto table = std::make_unique<std::vector<ScopeEntry>>();
    ByteReader r(*col);
    while (r.ok() && !r.done()) {
      ScopeEntry e;
      uint64_t name = r.Uvarint(), version = r.Uvarint();
      if (!dict_.Valid(name) || !dict_.Valid(version) || !values_.ReadAttrList(r, &e.attributes)) {
        r.Fail();
        break;
      }
      e.name = DictEntry(static_cast<uint32_t>(name));
      e.version = DictEntry(static_cast<uint32_t>(version));
      r.Uvarint();  // schema URL
      r.Uvarint();  // dropped attributes
      table->push_back(e);
    }
    if (!r.ok()) return Corrupt(kScopes, "malformed");
    scopes_ = std::move(table);
  }
  return scopes_.get();
}

}  // namespace rubato::store::block::scan
