#include "query/search/catalog_cache.h"

#include <algorithm>
#include <set>

#include "parallel/fork_join.h"
#include "query/search/tag_catalog_file.h"
#include "store/block/row_group_values.h"

namespace rubato::query::search {
namespace {

// A row group's values, read from its columns (store/block/row_group_values.h),
// into a catalog: the same values a CatalogBuilder takes from its decoded spans.
class CatalogSink : public store::block::RowGroupValueSink {
 public:
  explicit CatalogSink(TagCatalog* out) : builder_(out) {}
  void Attribute(Scope scope, std::string_view key, const model::AnyValue& v, const model::Batch& b) override {
    builder_.AddAttributeValue(ScopeOf(scope), key, b, v);
  }
  void Value(Intrinsic which, std::string_view text) override {
    builder_.AddIntrinsicValue(NameOf(which), text, TagValueType::kString);
  }
  void Status(model::StatusCode code) override {
    if (auto k = StatusKeyword(code); !k.empty()) builder_.AddIntrinsicValue(kIntrinsicStatus, k, TagValueType::kKeyword);
  }
  void Kind(model::SpanKind kind) override {
    if (auto k = KindKeyword(kind); !k.empty()) builder_.AddIntrinsicValue(kIntrinsicKind, k, TagValueType::kKeyword);
  }

 private:
  static TagScope ScopeOf(Scope s) {
    switch (s) {
      case Scope::kSpan: return TagScope::kSpan;
      case Scope::kResource: return TagScope::kResource;
      case Scope::kEvent: return TagScope::kEvent;
      case Scope::kLink: return TagScope::kLink;
      case Scope::kInstrumentation: return TagScope::kInstrumentation;
    }
    return TagScope::kSpan;
  }
  static std::string_view NameOf(Intrinsic i) {
    switch (i) {
      case Intrinsic::kName: return kIntrinsicName;
      case Intrinsic::kStatusMessage: return kIntrinsicStatusMessage;
      case Intrinsic::kRootName: return kIntrinsicRootName;
      case Intrinsic::kRootService: return kIntrinsicRootService;
      case Intrinsic::kEventName: return kIntrinsicEventName;
      case Intrinsic::kScopeName: return kIntrinsicScopeName;
      case Intrinsic::kScopeVersion: return kIntrinsicScopeVersion;
    }
    return kIntrinsicName;
  }
  CatalogBuilder builder_;
};

}  // namespace

std::string CatalogCache::ObjectKey(const Key& k) {
  return k.first + "/" + k.second + "/" + std::string(kCatalogObject);
}

std::shared_ptr<const TagCatalog> CatalogCache::Lookup(const Key& k) const {
  std::lock_guard lock(mu_);
  if (auto it = catalogs_.find(k); it != catalogs_.end()) {
    it->second.last_use = ++tick_;
    return it->second.catalog;
  }
  auto it = storing_.find(k);
  return it == storing_.end() ? nullptr : it->second;
}

std::shared_ptr<const TagCatalog> CatalogCache::Fetch(const Key& k) const {
  if (auto c = Lookup(k)) return c;
  if (!backend_) return nullptr;
  {
    std::lock_guard lock(mu_);
    if (!stored_.count(k)) return nullptr;  // never stored: nothing to read (a build is the caller's)
  }
  auto bytes = backend_->Read(ObjectKey(k));
  if (!bytes.ok()) return nullptr;
  auto decoded = DecodeCatalog(*bytes, limits_);
  if (!decoded.ok()) {
    std::lock_guard lock(mu_);
    stored_.erase(k);  // damaged: built again when needed (and stored again)
    return nullptr;
  }
  auto catalog = std::make_shared<const TagCatalog>(std::move(decoded).value());
  {
    std::lock_guard lock(mu_);
    ++stats_.read_back;
  }
  Insert(k, catalog, true);
  return catalog;
}

void CatalogCache::Insert(const Key& k, std::shared_ptr<const TagCatalog> catalog, bool stored) const {
  {
    std::lock_guard lock(mu_);
    Entry& e = catalogs_[k];
    if (e.catalog) bytes_ -= e.catalog->memory_bytes();
    bytes_ += catalog->memory_bytes();
    e.catalog = std::move(catalog);
    e.last_use = ++tick_;
    if (stored) stored_.insert(k);
  }
  Evict();
}

void CatalogCache::Evict() const {
  if (budget_ == 0) return;
  std::lock_guard one_at_a_time(store_mu_);
  std::vector<std::pair<Key, std::shared_ptr<const TagCatalog>>> to_store;
  {
    std::lock_guard lock(mu_);
    while (bytes_ > budget_ && catalogs_.size() > 1) {
      auto victim = catalogs_.begin();
      for (auto it = catalogs_.begin(); it != catalogs_.end(); ++it) {
        if (it->second.last_use < victim->second.last_use) victim = it;
      }
      bytes_ -= victim->second.catalog->memory_bytes();
      if (backend_ && !stored_.count(victim->first)) {
        storing_[victim->first] = victim->second.catalog;
        to_store.emplace_back(victim->first, std::move(victim->second.catalog));
      }
      catalogs_.erase(victim);
    }
  }
  // Written outside mu_: lookups go on meanwhile (and find these in storing_).
  // A block deleted meanwhile gets a folder holding only this object, which
  // readers ignore (no meta.json) and start-up removes.
  for (auto& [k, catalog] : to_store) {
    Status s = backend_->Put(ObjectKey(k), EncodeCatalog(*catalog));
    std::lock_guard lock(mu_);
    storing_.erase(k);
    if (s.ok()) {
      stored_.insert(k);
      ++stats_.stored;
    }
  }
}

void CatalogCache::Warm(std::string_view tenant, const std::vector<std::shared_ptr<const store::block::BlockReader>>& all,
                        const store::block::BlockReader& block) {
  Key k(std::string(tenant), block.meta().block_id);
  {
    std::lock_guard lock(mu_);
    if (catalogs_.count(k) || storing_.count(k) || stored_.count(k)) return;
  }
  // Stored by an earlier run of the server: known from now on, left on disk.
  if (backend_ && backend_->ReadRange(ObjectKey(k), 0, 0).ok()) {
    std::lock_guard lock(mu_);
    stored_.insert(k);
    return;
  }
  Get(tenant, all, {&block});
}

std::vector<std::shared_ptr<TagCatalog>> CatalogCache::Decode(
    const std::vector<const store::block::BlockReader*>& blocks, const std::atomic<bool>* cancel) const {
  struct Job {
    uint32_t block, row_group;
  };
  std::vector<Job> jobs;
  for (uint32_t b = 0; b < blocks.size(); ++b) {
    for (uint32_t g = 0; g < blocks[b]->row_group_count(); ++g) jobs.push_back({b, g});
  }
  const unsigned threads = parallel::ThreadsFor(jobs.size(), threads_);
  // Each worker keeps one partial catalog per block, merged at the end.
  std::vector<std::vector<std::unique_ptr<TagCatalog>>> partial(threads);
  std::atomic<size_t> next{0};
  auto work = [&](unsigned w) {
    partial[w].resize(blocks.size());
    for (size_t j; (j = next.fetch_add(1)) < jobs.size();) {
      if (cancel && cancel->load(std::memory_order_relaxed)) return;
      auto& cat = partial[w][jobs[j].block];
      if (!cat) cat = std::make_unique<TagCatalog>(limits_);
      // From the columns, not decoded spans: a call per distinct value. A
      // corrupt row group adds what was read before the damage (real values
      // all the same: a superset, which pruning by catalog allows).
      CatalogSink sink(cat.get());
      (void)store::block::ReadRowGroupValues(*blocks[jobs[j].block], jobs[j].row_group, &sink);
    }
  };
  parallel::ForkJoin(threads, work);
  std::vector<std::shared_ptr<TagCatalog>> out(blocks.size());
  for (uint32_t b = 0; b < blocks.size(); ++b) {
    out[b] = std::make_shared<TagCatalog>(limits_);
    for (auto& p : partial) {
      if (b < p.size() && p[b]) out[b]->Merge(*p[b]);
    }
    out[b]->TrimTruncated(kKeepWhenTruncated);
  }
  return out;
}

std::vector<std::shared_ptr<const TagCatalog>> CatalogCache::Get(
    std::string_view tenant, const std::vector<std::shared_ptr<const store::block::BlockReader>>& all,
    const std::vector<const store::block::BlockReader*>& wanted, const std::atomic<bool>* cancel) {
  auto key = [&](const store::block::BlockReader* b) { return Key(std::string(tenant), b->meta().block_id); };
  std::vector<std::shared_ptr<const TagCatalog>> out(wanted.size());
  std::vector<size_t> missing;
  for (size_t i = 0; i < wanted.size(); ++i) {
    out[i] = Fetch(key(wanted[i]));
    if (!out[i]) missing.push_back(i);
  }
  if (!missing.empty()) {
    std::lock_guard build(build_mu_);
    std::vector<const store::block::BlockReader*> to_decode;
    std::vector<size_t> decode_slot;
    for (size_t i : missing) {
      if ((out[i] = Fetch(key(wanted[i])))) continue;  // stored, or built by a request we waited for
      // A compaction output: the union of its inputs' catalogs, if they are all known.
      const auto& inputs = wanted[i]->meta().compacted_from;
      std::vector<std::shared_ptr<const TagCatalog>> parts;
      for (const std::string& in : inputs) {
        if (auto c = Fetch(Key(std::string(tenant), in))) parts.push_back(std::move(c));
      }
      if (!inputs.empty() && parts.size() == inputs.size()) {
        auto merged = std::make_shared<TagCatalog>(limits_);
        for (const auto& p : parts) merged->Merge(*p);
        merged->TrimTruncated(kKeepWhenTruncated);
        out[i] = merged;
        {
          std::lock_guard lock(mu_);
          ++stats_.built_by_merging;
        }
        Insert(key(wanted[i]), merged, false);
        continue;
      }
      to_decode.push_back(wanted[i]);
      decode_slot.push_back(i);
    }
    if (!to_decode.empty()) {
      auto built = Decode(to_decode, cancel);
      if (cancel && cancel->load()) return {};
      for (size_t k = 0; k < built.size(); ++k) {
        out[decode_slot[k]] = built[k];
        Insert(key(to_decode[k]), built[k], false);
      }
      std::lock_guard lock(mu_);
      stats_.built_by_decoding += built.size();
    }
  }
  // Forget blocks the tenant no longer has (compacted away, expired).
  // Inputs of a compaction output not yet cataloged are kept for its merge.
  std::set<std::string> present;
  for (const auto& b : all) present.insert(b->meta().block_id);
  std::lock_guard lock(mu_);
  for (const auto& b : all) {
    Key k = key(b.get());
    if (catalogs_.count(k) || stored_.count(k)) continue;
    for (const std::string& in : b->meta().compacted_from) present.insert(in);
  }
  stats_.hits += wanted.size() - missing.size();
  for (auto it = catalogs_.lower_bound(Key(std::string(tenant), "")); it != catalogs_.end() && it->first.first == tenant;) {
    if (present.count(it->first.second)) {
      ++it;
      continue;
    }
    bytes_ -= it->second.catalog->memory_bytes();
    it = catalogs_.erase(it);
  }
  for (auto it = stored_.lower_bound(Key(std::string(tenant), "")); it != stored_.end() && it->first == tenant;) {
    it = present.count(it->second) ? std::next(it) : stored_.erase(it);
  }
  return out;
}

CatalogCache::Stats CatalogCache::stats() const {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.cached = catalogs_.size();
  s.bytes = bytes_;
  return s;
}

void CatalogCache::PutMerged(std::string_view tenant, const std::string& block_id,
                             const std::vector<std::string>& inputs) {
  std::vector<std::shared_ptr<const TagCatalog>> parts;
  for (const std::string& in : inputs) {
    auto c = Fetch(Key(std::string(tenant), in));
    if (!c) return;
    parts.push_back(std::move(c));
  }
  auto merged = std::make_shared<TagCatalog>(limits_);
  for (const auto& p : parts) merged->Merge(*p);
  merged->TrimTruncated(kKeepWhenTruncated);
  {
    std::lock_guard lock(mu_);
    ++stats_.built_by_merging;
  }
  Insert(Key(std::string(tenant), block_id), std::move(merged), false);
}

}  // namespace rubato::query::search
