// The attribute keys and values a set of spans holds, by scope, with the
// intrinsics Tempo offers for autocomplete (span name, status, kind, …).
// Built once per block (blocks are immutable; catalog_cache.h), per request
// for the head, and merged per request. Bounded: a key keeps at most
// `max_values_per_key` values and `max_bytes_per_key` bytes of them, a scope
// at most `max_keys_per_scope` keys; past a bound the key (or scope) is
// marked truncated and the rest is dropped.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "model/batch.h"

namespace rubato::query::search {

enum class TagScope : uint8_t { kSpan, kResource, kEvent, kLink, kInstrumentation, kIntrinsic };
inline constexpr size_t kTagScopeCount = 6;
const char* Name(TagScope s);  // "span", "resource", "event", "link", "instrumentation", "intrinsic"

// Types as Tempo's tag values v2 names them. Status and kind values are
// TraceQL keywords ("error", "server"), hence "keyword".
enum class TagValueType : uint8_t { kString, kInt, kFloat, kBool, kKeyword };
const char* Name(TagValueType t);  // "string", "int", "float", "bool", "keyword"

struct TagValue {
  TagValueType type = TagValueType::kString;
  std::string text;  // ints in decimal, floats in shortest round-trip form, bools "true"/"false"
  auto operator<=>(const TagValue& o) const {
    if (auto c = text <=> o.text; c != 0) return c;
    return type <=> o.type;
  }
  bool operator==(const TagValue&) const = default;
};

// Looks a value up without copying it (std::set<TagValue, std::less<>>).
struct TagValueView {
  TagValueType type;
  std::string_view text;
};
inline bool operator<(const TagValue& a, const TagValueView& b) {
  return a.text != b.text ? std::string_view(a.text) < b.text : a.type < b.type;
}
inline bool operator<(const TagValueView& a, const TagValue& b) {
  return a.text != b.text ? a.text < std::string_view(b.text) : a.type < b.type;
}

// Names of the intrinsics a catalog stores values for (TagScope::kIntrinsic keys).
inline constexpr std::string_view kIntrinsicName = "name";
inline constexpr std::string_view kIntrinsicStatus = "status";
inline constexpr std::string_view kIntrinsicKind = "kind";
inline constexpr std::string_view kIntrinsicStatusMessage = "statusMessage";
inline constexpr std::string_view kIntrinsicRootService = "rootServiceName";
inline constexpr std::string_view kIntrinsicRootName = "rootName";
inline constexpr std::string_view kIntrinsicEventName = "event:name";
inline constexpr std::string_view kIntrinsicScopeName = "instrumentation:name";
inline constexpr std::string_view kIntrinsicScopeVersion = "instrumentation:version";

struct CatalogLimits {
  uint32_t max_values_per_key = 1000;
  uint64_t max_bytes_per_key = 64 << 10;
  uint32_t max_keys_per_scope = 10000;
  uint64_t max_total_bytes = 16 << 20;  // the whole catalog
};

class TagCatalog {
 public:
  struct Values {
    std::set<TagValue, std::less<>> values;
    uint64_t bytes = 0;
    bool truncated = false;  // more values were seen than kept
  };
  using KeyMap = std::map<std::string, Values, std::less<>>;

  explicit TagCatalog(CatalogLimits limits = {}) : limits_(limits) {}

  // Adds one value; false if a bound dropped it.
  bool Add(TagScope scope, std::string_view key, TagValueView value);
  // The same in two steps, so that a caller adding many values of one key
  // finds the key once: its values (null when a bound refused the key), then
  // a value added to them.
  Values* KeySlot(TagScope scope, std::string_view key) { return Slot(scope, key); }
  bool AddTo(Values* v, TagValueView value);
  // Adds a key with no value (a tag-names-only catalog, or a value of a kind not listed).
  void AddKey(TagScope scope, std::string_view key);
  // Says that some keys of `scope` were dropped (a catalog read back from its file).
  void MarkKeysTruncated(TagScope scope) { keys_truncated_[static_cast<size_t>(scope)] = true; }
  void Merge(const TagCatalog& other);
  void MergeKeys(const TagCatalog& other);  // keys only, for tag-name lookups
  // Keys with more values than kept (IDs and the like) keep only their first
  // `keep` values: a cached catalog then costs little for them, and a lookup
  // still gets a sample from every block (and says it is partial).
  void TrimTruncated(uint32_t keep);
  void MergeKey(TagScope scope, std::string_view key, const Values& values);

  const KeyMap& scope(TagScope s) const { return scopes_[static_cast<size_t>(s)]; }
  const Values* Find(TagScope s, std::string_view key) const;
  bool keys_truncated(TagScope s) const { return keys_truncated_[static_cast<size_t>(s)]; }
  uint64_t memory_bytes() const { return bytes_; }

 private:
  Values* Slot(TagScope scope, std::string_view key);
  CatalogLimits limits_;
  std::array<KeyMap, kTagScopeCount> scopes_;
  std::array<bool, kTagScopeCount> keys_truncated_{};
  uint64_t bytes_ = 0;
};

// What a CatalogBuilder collects: everything, or one key (of one scope, or
// of span and resource for an unscoped name), or keys only.
struct CatalogFilter {
  std::optional<TagScope> scope;        // unset: every scope
  bool span_or_resource = false;        // with `key`: both the span and the resource scope
  std::optional<std::string> key;       // unset: every key
  bool keys_only = false;               // collect key names, no values
};

// Feeds spans into a catalog: their attributes, their resource's and
// scope's (once per batch), their events' and links', and the intrinsics.
// It remembers batches by address: use one builder only while every batch
// it was given is alive.
class CatalogBuilder {
 public:
  CatalogBuilder(TagCatalog* out, CatalogFilter filter = {});
  void AddSpan(const model::Batch& batch, uint32_t span);
  void AddBatch(const model::Batch& batch);  // every span
  // Values found another way (a block's columns, catalog_cache.cc): one
  // attribute value of `scope` (arrays: their elements, from `batch`), and
  // one intrinsic value. `batch` must outlive the builder, as above.
  void AddAttributeValue(TagScope scope, std::string_view key, const model::Batch& batch, const model::AnyValue& v) {
    if (scope_wanted_[static_cast<size_t>(scope)]) AddValue(scope, key, batch, v);
  }
  void AddIntrinsicValue(std::string_view name, std::string_view value, TagValueType type) {
    if (scope_wanted_[static_cast<size_t>(TagScope::kIntrinsic)]) AddString(TagScope::kIntrinsic, name, value, type);
  }

 private:
  bool Wants(TagScope scope, std::string_view key) const;
  void AddAttributes(TagScope scope, const model::Batch& b, model::Range attrs);
  void AddIntrinsics(const model::Batch& b, const model::Span& s);
  void AddValue(TagScope scope, std::string_view key, const model::Batch& b, const model::AnyValue& v);
  void AddString(TagScope scope, std::string_view key, std::string_view v, TagValueType type);
  // Adds a value unless this builder added the same one lately, or its key
  // keeps no more values: spans repeat their neighbours' values, and a
  // 64-bit compare is far cheaper than the catalog's ordered lookups (a
  // collision could only hide a value from autocomplete, at odds of about
  // 2^-64 per pair).
  void Put(TagScope scope, std::string_view key, TagValueView value);

  TagCatalog* out_;
  CatalogFilter filter_;
  std::array<bool, kTagScopeCount> scope_wanted_{};  // from the filter: sections of a span worth reading
  // keys_only: keys already added, as views into the batches (alive while the
  // builder is used), so a repeated key costs a hash lookup, not a map search.
  std::array<std::unordered_set<std::string_view>, kTagScopeCount> seen_keys_;
  const model::Batch* memo_batch_ = nullptr;     // resources and scopes already added, for this batch
  std::vector<bool> resource_done_, scope_done_;
  static constexpr size_t kRecent = 1024, kKeys = 256;
  std::vector<uint64_t> recent_;  // hashes of values added lately; allocated by the first Put
  struct KeySlot {
    uint64_t hash = 0;
    TagCatalog::Values* values = nullptr;
  };
  std::vector<KeySlot> keys_;  // keys' slots in the catalog by hash: most spans name the same few keys
};

// The TraceQL keyword of an OTLP status code or span kind; "" if it has none.
std::string_view StatusKeyword(model::StatusCode c);
std::string_view KindKeyword(model::SpanKind k);

}  // namespace rubato::query::search
