// A Batch is one decoded ExportTraceServiceRequest: resources, scopes and spans
// held in flat vectors, each resource and scope stored once and shared by its
// spans. The Batch owns every byte its string views point into: the request
// buffer (zero-copy decode) and an arena (for strings that had to be rewritten).
// Flat arrays are what a columnar writer consumes directly, without re-parsing.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/span.h"
#include "model/string_arena.h"
#include "model/value.h"

namespace rubato::model {

class Batch {
 public:
  Batch() = default;
  Batch(Batch&&) noexcept = default;
  Batch& operator=(Batch&&) noexcept = default;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  // Hierarchy: resources[i].scopes → scopes[j].spans → spans[k].
  std::vector<Resource> resources;
  std::vector<Scope> scopes;
  std::vector<Span> spans;
  // Pools that Ranges point into.
  std::vector<Event> events;
  std::vector<Link> links;
  std::vector<KeyValue> attributes;
  std::vector<AnyValue> values;  // elements of array values

  // Takes ownership of request bytes and returns a view of them that stays
  // valid, at the same address, for the life of the Batch (also across moves).
  std::string_view AdoptBuffer(std::string bytes);
  std::string_view buffer() const { return buffer_ ? std::string_view(*buffer_) : std::string_view(); }
  // Copies a string into storage the Batch owns.
  std::string_view Own(std::string_view s) { return arena_.Copy(s); }
  StringArena& arena() { return arena_; }
  const StringArena& arena() const { return arena_; }

  // Empties the batch but keeps vector capacity, so a reused Batch decodes
  // without allocating.
  void Clear();

  std::span<const KeyValue> Attributes(Range r) const { return {attributes.data() + r.begin, r.count}; }
  std::span<const AnyValue> Values(Range r) const { return {values.data() + r.begin, r.count}; }
  std::span<const Event> Events(Range r) const { return {events.data() + r.begin, r.count}; }
  std::span<const Link> Links(Range r) const { return {links.data() + r.begin, r.count}; }
  const Scope& ScopeOf(const Span& s) const { return scopes[s.scope_index]; }
  const Resource& ResourceOf(const Span& s) const { return resources[scopes[s.scope_index].resource_index]; }

  // ---- Building a batch by hand (tests, SDK, load generator). ----
  // Strings passed in must already be owned by the Batch (see Own) or outlive it.
  Range AppendAttributes(std::span<const KeyValue> kvs);
  Range AppendValues(std::span<const AnyValue> vs);
  Range AppendEvents(std::span<const Event> es);
  Range AppendLinks(std::span<const Link> ls);
  // Starts a new resource; following scopes belong to it.
  uint32_t AddResource(Range attributes, std::string_view schema_url = {}, uint32_t dropped = 0);
  // Starts a new scope under the last resource; following spans belong to it.
  uint32_t AddScope(std::string_view name, std::string_view version, Range attributes = {},
                    std::string_view schema_url = {}, uint32_t dropped = 0);
  // Adds a span under the last scope (its scope_index is set here).
  uint32_t AddSpan(Span span);

 private:
  std::unique_ptr<std::string> buffer_;
  StringArena arena_;
};

}  // namespace rubato::model
