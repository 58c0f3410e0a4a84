// Pieces of the row-group prefilter (row_group_scan*.cc): the row group as
// the scan sees it (each chunk decompressed and each column parsed at most
// once, on first use), value tests, and the per-field predicate evaluators.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/batch.h"
#include "status/status.h"
#include "store/block/block_reader.h"
#include "store/block/row_group_decoder.h"
#include "store/block/row_group_scan.h"

namespace rubato::store::block::scan {

// One predicate's outcome for one row (or resource, scope, trace).
enum State : uint8_t { kFail = 0, kPass = 1, kMissing = 2 };

// One byte per row (or trace): 1 while it may still match.
using Mask = std::vector<uint8_t>;

// Drops the live traces (and their rows) in which `f` can yield no span
// given what the index page alone says (time ranges, span counts), so that a
// row group none of whose traces can match is never read.
void NarrowByIndex(const SpansetFilter& f, const IndexPage& page, Mask* live_traces, Mask* live_rows);

// Span start and end of every row, rebuilt from the time columns.
struct Times {
  std::vector<uint64_t> start, end;
};

// The span-attribute layout of the row group: the run directory of
// attr.generic and the key lists of attr.keylists (block.md, "The generic
// attribute stream"). Payloads of runs kept in a dedicated column are found
// through RowGroupData::Column when needed.
struct AttrLayout {
  struct Run {
    uint32_t key = 0;  // dictionary code
    uint32_t count = 0;
    uint8_t layout = 0;  // rg::Layout, without the repeat flag
    bool repeats = false;
    uint32_t width = 0;
    uint16_t column = 0;   // kAttrGeneric, or the dedicated column holding the payload
    uint64_t length = 0;   // payload bytes
    uint64_t offset = 0;   // in attr.generic, when column is kAttrGeneric
  };
  std::vector<Run> runs;
  std::vector<uint32_t> positions, list_begin;  // list i: positions[list_begin[i] .. list_begin[i + 1])
  std::vector<std::pair<uint32_t, uint32_t>> name_lists;  // per name code: first list, list count
};

// One row group being scanned.
class RowGroupData {
 public:
  RowGroupData(const BlockReader& reader, uint32_t row_group, const IndexPage& page, StoredChunks chunks,
               ScanStats* stats);

  uint32_t rows() const { return page_.rows; }
  const IndexPage& page() const { return page_; }

  // A column's raw bytes, decompressed on first use ("" when absent).
  Result<std::string_view> Column(Column c);
  // The dictionary (entries are views valid for the life of this object).
  Result<rg::DictView*> Dict();
  std::string_view DictEntry(uint32_t code);  // code must be valid
  uint32_t DictSize() const { return dict_.size(); }  // once Dict() succeeded
  // Dictionary code of `s`, or -1 (binary search: entries are sorted).
  Result<int64_t> FindString(std::string_view s);
  // A per-row uvarint column (span.name, span.kind, …, attr.keys) as numbers.
  Result<const std::vector<uint32_t>*> Codes(block::Column c);
  Result<const Times*> SpanTimes();
  Result<const AttrLayout*> Attrs();
  // Resource and scope tables decoded into scratch(): per entry, its attributes
  // (resources) or name, version and attributes (scopes).
  struct ScopeEntry {
    std::string_view name, version;
    model::Range attributes;
  };
  Result<const std::vector<model::Range>*> Resources();
  Result<const std::vector<ScopeEntry>*> Scopes();
  const model::Batch& scratch() const { return scratch_; }
  rg::ValueReader& values() { return values_; }

  // An Internal error naming the block, the row group and what is wrong.
  Status Corrupt(const Status& s) const;
  Status Corrupt(block::Column c, const std::string& what) const;

 private:
  Status LoadTimes();
  Status LoadAttrs();

  const BlockReader& reader_;
  uint32_t row_group_;
  const IndexPage& page_;
  StoredChunks chunks_;
  ScanStats* stats_;
  std::array<std::optional<std::string>, kColumnCount> raw_;
  std::array<std::unique_ptr<std::vector<uint32_t>>, kColumnCount> codes_;
  bool dict_parsed_ = false;
  rg::DictView dict_;
  model::Batch scratch_;  // owns the dictionary copy and decoded tables
  rg::ValueReader values_{dict_, &scratch_};
  std::unique_ptr<Times> times_;
  std::unique_ptr<AttrLayout> attrs_;
  std::unique_ptr<std::vector<model::Range>> resources_;
  std::unique_ptr<std::vector<ScopeEntry>> scopes_;
};

// A string test over dictionary codes: an equality is one code compared,
// anything else is the test's function called once per code seen.
class CodeTest {
 public:
  // Fails when the dictionary cannot be read.
  Status Init(RowGroupData& data, const ValueTest& test);
  bool Pass(uint32_t code) {
    if (equals_) return static_cast<int64_t>(code) == code_;
    int8_t& m = memo_[code];
    if (m < 0) m = (*fn_)(data_->DictEntry(code)) ? 1 : 0;
    return m == 1;
  }
  // Whether no code at all can pass (an equality with a string not in the dictionary).
  bool None() const { return equals_ && code_ < 0; }

 private:
  RowGroupData* data_ = nullptr;
  bool equals_ = false;
  int64_t code_ = -1;
  const std::function<bool(std::string_view)>* fn_ = nullptr;
  std::vector<int8_t> memo_;
};

// The state of one value under a test (block.md's values as decoded into a Batch).
State TestValue(const ValueTest& test, const model::AnyValue& v);
State TestString(const ValueTest& test, std::string_view s);
State TestInt(const ValueTest& test, int64_t v);
State TestDouble(const ValueTest& test, double v);
State TestBool(const ValueTest& test, bool v);

// A run's payload (its repeat bitmap, if any, then its values), checked
// against its layout; *stored_values (if set): how many values it stores
// (entries less repeats; tagged runs: its entry count).
Result<std::string_view> RunPayload(RowGroupData& data, const AttrLayout::Run& run, uint64_t* stored_values = nullptr);
// Whether no value of span attribute `key` in the row group passes `test`
// (or no span has the key): a test of its runs' values alone, without
// finding which rows own them.
Result<bool> NoValuePasses(RowGroupData& data, const std::string& key, const ValueTest& test);
// Per-row states of a span attribute (kMissing where the span lacks the key),
// tested only for the rows set in `rows` (the others' states mean nothing).
Status SpanAttributeStates(RowGroupData& data, const std::string& key, const ValueTest& test,
                           const std::vector<uint8_t>& rows, std::vector<uint8_t>* states);
// Whether the dictionary alone rules `p` out for every row: it passes only
// one string, which the row group does not hold. Every string of a row group
// is in its dictionary (names, resource values, array elements) except
// UUID-shaped ones, kept as 16 bytes; a value of another type fails a test
// that has no test for its type, and so does a span without the key. Cheap
// (a binary search), so it runs before any predicate reads a column.
Result<bool> NoRowCanPass(RowGroupData& data, const SpanPredicate& p);
// Per-row pass (1) or fail (0) of one predicate, ANDed into *mask.
Status ApplyPredicate(RowGroupData& data, const SpanPredicate& p, std::vector<uint8_t>* mask);
// The columns evaluating `p` may read.
void ColumnsFor(const SpanPredicate& p, std::vector<block::Column>* out);
// Rough cost rank of a predicate (cheap ones first: they may rule a row group out).
int CostOf(const SpanPredicate& p);

}  // namespace rubato::store::block::scan
