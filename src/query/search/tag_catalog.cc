#include "query/search/tag_catalog.h"

#include <charconv>

#include "otlp/json_writer.h"

namespace rubato::query::search {

const char* Name(TagScope s) {
  switch (s) {
    case TagScope::kSpan: return "span";
    case TagScope::kResource: return "resource";
    case TagScope::kEvent: return "event";
    case TagScope::kLink: return "link";
    case TagScope::kInstrumentation: return "instrumentation";
    case TagScope::kIntrinsic: return "intrinsic";
  }
  return "?";
}

const char* Name(TagValueType t) {
  switch (t) {
    case TagValueType::kString: return "string";
    case TagValueType::kInt: return "int";
    case TagValueType::kFloat: return "float";
    case TagValueType::kBool: return "bool";
    case TagValueType::kKeyword: return "keyword";
  }
  return "?";
}

std::string_view StatusKeyword(model::StatusCode c) {
  switch (c) {
    case model::StatusCode::kUnset: return "unset";
    case model::StatusCode::kOk: return "ok";
    case model::StatusCode::kError: return "error";
  }
  return "";
}

std::string_view KindKeyword(model::SpanKind k) {
  switch (k) {
    case model::SpanKind::kUnspecified: return "unspecified";
    case model::SpanKind::kInternal: return "internal";
    case model::SpanKind::kServer: return "server";
    case model::SpanKind::kClient: return "client";
    case model::SpanKind::kProducer: return "producer";
    case model::SpanKind::kConsumer: return "consumer";
  }
  return "";
}

// ---- TagCatalog

TagCatalog::Values* TagCatalog::Slot(TagScope scope, std::string_view key) {
  KeyMap& m = scopes_[static_cast<size_t>(scope)];
  auto it = m.find(key);
  if (it != m.end()) return &it->second;
  if (m.size() >= limits_.max_keys_per_scope || bytes_ >= limits_.max_total_bytes) {
    keys_truncated_[static_cast<size_t>(scope)] = true;
    return nullptr;
  }
  bytes_ += key.size() + 96;
  return &m.emplace(std::string(key), Values()).first->second;
}

bool TagCatalog::Add(TagScope scope, std::string_view key, TagValueView value) { return AddTo(Slot(scope, key), value); }

bool TagCatalog::AddTo(Values* v, TagValueView value) {
  if (!v) return false;
  if (v->truncated) return false;  // full: nothing more is kept, so no need to look (IDs land here)
  if (v->values.find(value) != v->values.end()) return true;
  if (v->values.size() >= limits_.max_values_per_key || v->bytes + value.text.size() > limits_.max_bytes_per_key ||
      bytes_ + value.text.size() > limits_.max_total_bytes) {
    v->truncated = true;
    return false;
  }
  v->bytes += value.text.size();
  bytes_ += value.text.size() + 64;
  v->values.insert(TagValue{value.type, std::string(value.text)});
  return true;
}

void TagCatalog::AddKey(TagScope scope, std::string_view key) { Slot(scope, key); }

void TagCatalog::Merge(const TagCatalog& other) {
  for (size_t s = 0; s < kTagScopeCount; ++s) {
    keys_truncated_[s] = keys_truncated_[s] || other.keys_truncated_[s];
    for (const auto& [key, vals] : other.scopes_[s]) MergeKey(static_cast<TagScope>(s), key, vals);
  }
}

void TagCatalog::MergeKeys(const TagCatalog& other) {
  for (size_t s = 0; s < kTagScopeCount; ++s) {
    keys_truncated_[s] = keys_truncated_[s] || other.keys_truncated_[s];
    for (const auto& [key, vals] : other.scopes_[s]) Slot(static_cast<TagScope>(s), key);
  }
}

void TagCatalog::TrimTruncated(uint32_t keep) {
  for (KeyMap& m : scopes_) {
    for (auto& [key, v] : m) {
      if (!v.truncated) continue;
      while (v.values.size() > keep) {
        auto last = std::prev(v.values.end());
        v.bytes -= last->text.size();
        bytes_ -= last->text.size() + 64;
        v.values.erase(last);
      }
    }
  }
}

void TagCatalog::MergeKey(TagScope scope, std::string_view key, const Values& values) {
  Values* mine = Slot(scope, key);
  if (!mine) return;
  mine->truncated = mine->truncated || values.truncated;
  for (const TagValue& v : values.values) Add(scope, key, {v.type, v.text});
}

const TagCatalog::Values* TagCatalog::Find(TagScope s, std::string_view key) const {
  const KeyMap& m = scopes_[static_cast<size_t>(s)];
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

// ---- CatalogBuilder

CatalogBuilder::CatalogBuilder(TagCatalog* out, CatalogFilter filter) : out_(out), filter_(std::move(filter)) {
  for (size_t i = 0; i < kTagScopeCount; ++i) {
    auto scope = static_cast<TagScope>(i);
    bool either = filter_.span_or_resource && (scope == TagScope::kSpan || scope == TagScope::kResource);
    scope_wanted_[i] = !filter_.scope || *filter_.scope == scope || either;
  }
  if (filter_.keys_only) scope_wanted_[static_cast<size_t>(TagScope::kIntrinsic)] = false;  // a fixed list
}

bool CatalogBuilder::Wants(TagScope scope, std::string_view key) const {
  if (filter_.scope && *filter_.scope != scope) {
    bool either = filter_.span_or_resource && (scope == TagScope::kSpan || scope == TagScope::kResource);
    if (!either) return false;
  }
  return !filter_.key || *filter_.key == key;
}

void CatalogBuilder::AddString(TagScope scope, std::string_view key, std::string_view v, TagValueType type) {
  if (filter_.keys_only) return;  // intrinsic names are a fixed list (IntrinsicTagNames)
  if (!Wants(scope, key)) return;
  Put(scope, key, {type, v});
}

namespace {

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 33);
}

}  // namespace

// Strings are told apart by address: every batch a builder was given is alive
// while it is used (see the class comment), so an address names one string
// (a decoded row group's strings point into its dictionary, so repeats share
// one). Numbers are formatted into a local buffer: their bytes are hashed.
void CatalogBuilder::Put(TagScope scope, std::string_view key, TagValueView value) {
  if (keys_.empty()) {
    keys_.resize(kKeys);
    recent_.assign(kRecent, 0);
  }
  const uint64_t hk = Mix(reinterpret_cast<uintptr_t>(key.data()) ^ (key.size() << 48) ^ static_cast<uint64_t>(scope)) | 1;
  KeySlot& k = keys_[(hk >> 40) % kKeys];
  if (k.hash != hk) k = {hk, out_->KeySlot(scope, key)};  // a refused key (null) is remembered too
  if (k.values == nullptr || k.values->truncated) return;  // nothing more is kept for it
  uint64_t v = 0;
  if (value.type == TagValueType::kString || value.type == TagValueType::kKeyword) {
    v = reinterpret_cast<uintptr_t>(value.text.data());
  } else {
    for (char c : value.text) v = (v ^ static_cast<uint8_t>(c)) * 0x100000001B3ull;
  }
  const uint64_t h = Mix(hk ^ Mix(v + (value.text.size() << 40) + static_cast<uint64_t>(value.type))) | 1;
  uint64_t& slot = recent_[(h >> 40) % kRecent];
  if (slot == h) return;
  slot = h;
  out_->AddTo(k.values, value);
}

void CatalogBuilder::AddValue(TagScope scope, std::string_view key, const model::Batch& b, const model::AnyValue& v) {
  if (!Wants(scope, key)) return;
  if (filter_.keys_only) {
    if (seen_keys_[static_cast<size_t>(scope)].insert(key).second) out_->AddKey(scope, key);
    return;
  }
  switch (v.kind) {
    case model::ValueKind::kString: Put(scope, key, {TagValueType::kString, v.str}); break;
    case model::ValueKind::kInt: {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.integer);
      Put(scope, key, {TagValueType::kInt, std::string_view(buf, end - buf)});
      break;
    }
    case model::ValueKind::kBool: Put(scope, key, {TagValueType::kBool, v.boolean ? "true" : "false"}); break;
    case model::ValueKind::kDouble: {
      std::string text;
      otlp::AppendShortestDouble(v.dbl, &text);
      Put(scope, key, {TagValueType::kFloat, text});
      break;
    }
    case model::ValueKind::kArray:  // a comparison matches any element, so each element is a value
      if (v.children.end() <= b.values.size()) {
        for (const model::AnyValue& e : b.Values(v.children)) {
          if (e.kind != model::ValueKind::kArray && e.kind != model::ValueKind::kKvList) AddValue(scope, key, b, e);
        }
      }
      break;
    default: out_->AddKey(scope, key); break;  // bytes, kvlists, empty: the key exists, no listable value
  }
}

void CatalogBuilder::AddAttributes(TagScope scope, const model::Batch& b, model::Range attrs) {
  if (attrs.end() > b.attributes.size()) return;
  for (const model::KeyValue& kv : b.Attributes(attrs)) AddValue(scope, kv.key, b, kv.value);
}

void CatalogBuilder::AddSpan(const model::Batch& b, uint32_t index) {
  auto wanted = [&](TagScope scope) { return scope_wanted_[static_cast<size_t>(scope)]; };
  if (memo_batch_ != &b || resource_done_.size() != b.resources.size() || scope_done_.size() != b.scopes.size()) {
    memo_batch_ = &b;
    resource_done_.assign(b.resources.size(), false);
    scope_done_.assign(b.scopes.size(), false);
  }
  const model::Span& s = b.spans[index];
  const model::Scope& scope = b.scopes[s.scope_index];
  const bool intrinsics = wanted(TagScope::kIntrinsic);
  if (!scope_done_[s.scope_index]) {
    scope_done_[s.scope_index] = true;
    if (wanted(TagScope::kInstrumentation)) AddAttributes(TagScope::kInstrumentation, b, scope.attributes);
    if (intrinsics && !scope.name.empty()) {
      AddString(TagScope::kIntrinsic, kIntrinsicScopeName, scope.name, TagValueType::kString);
    }
    if (intrinsics && !scope.version.empty()) {
      AddString(TagScope::kIntrinsic, kIntrinsicScopeVersion, scope.version, TagValueType::kString);
    }
    if (!resource_done_[scope.resource_index]) {
      resource_done_[scope.resource_index] = true;
      if (wanted(TagScope::kResource)) AddAttributes(TagScope::kResource, b, b.resources[scope.resource_index].attributes);
    }
  }
  if (wanted(TagScope::kSpan)) AddAttributes(TagScope::kSpan, b, s.attributes);
  if (intrinsics) AddIntrinsics(b, s);
  if ((wanted(TagScope::kEvent) || intrinsics) && s.events.end() <= b.events.size()) {
    for (const model::Event& e : b.Events(s.events)) {
      if (wanted(TagScope::kEvent)) AddAttributes(TagScope::kEvent, b, e.attributes);
      if (intrinsics && !e.name.empty()) AddString(TagScope::kIntrinsic, kIntrinsicEventName, e.name, TagValueType::kString);
    }
  }
  if (wanted(TagScope::kLink) && s.links.end() <= b.links.size()) {
    for (const model::Link& l : b.Links(s.links)) AddAttributes(TagScope::kLink, b, l.attributes);
  }
}

void CatalogBuilder::AddIntrinsics(const model::Batch& b, const model::Span& s) {
  AddString(TagScope::kIntrinsic, kIntrinsicName, s.name, TagValueType::kString);
  if (auto k = StatusKeyword(s.status_code); !k.empty()) {
    AddString(TagScope::kIntrinsic, kIntrinsicStatus, k, TagValueType::kKeyword);
  }
  if (auto k = KindKeyword(s.kind); !k.empty()) AddString(TagScope::kIntrinsic, kIntrinsicKind, k, TagValueType::kKeyword);
  if (!s.status_message.empty()) {
    AddString(TagScope::kIntrinsic, kIntrinsicStatusMessage, s.status_message, TagValueType::kString);
  }
  if (!s.is_root()) return;
  AddString(TagScope::kIntrinsic, kIntrinsicRootName, s.name, TagValueType::kString);
  for (const model::KeyValue& kv : b.Attributes(b.ResourceOf(s).attributes)) {
    if (kv.key == "service.name" && kv.value.kind == model::ValueKind::kString) {
      AddString(TagScope::kIntrinsic, kIntrinsicRootService, kv.value.str, TagValueType::kString);
    }
  }
}

void CatalogBuilder::AddBatch(const model::Batch& b) {
  for (uint32_t i = 0; i < b.spans.size(); ++i) AddSpan(b, i);
}

}  // namespace rubato::query::search
