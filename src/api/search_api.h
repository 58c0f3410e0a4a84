// Tempo's search endpoints over a TraceStore: GET /api/search (TraceQL `q`,
// or the legacy `tags`, `minDuration`, `maxDuration`), /api/search/tags,
// /api/v2/search/tags, /api/search/tag/<name>/values and
// /api/v2/search/tag/<name>/values, answered in Tempo's JSON shapes.
// TempoApi routes them here. docs/search.md describes how they run.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "net/http_server.h"
#include "query/search/catalog_cache.h"
#include "store/trace_db.h"
#include "query/search/tags.h"
#include "query/traceql/plan.h"
#include "store/trace_store.h"

namespace rubato::api {

struct SearchApiOptions {
  uint64_t memory_budget_bytes = 256ull << 20;  // per search (decoded row groups in flight)
  std::chrono::milliseconds timeout{30000};     // a search answers 504 past it
  std::chrono::milliseconds tag_query_time_budget{5000};  // tag lookups with q: scan time, then partial
  unsigned threads = 0;                         // per search; 0: all cores
  uint32_t max_limit = 100000;                  // largest `limit` accepted
  // Build the tag catalogs of new blocks in the background (niced), so tag
  // lookups never wait for a block to be decoded. Tenants are learnt from requests.
  bool warm_catalogs = true;
  std::chrono::milliseconds warm_interval{2000};
  // Tag catalogs held in memory (their own accounting); past it the least
  // recently used go to their block's `catalog` object. 0: no bound.
  uint64_t catalog_memory_bytes = 16ull << 20;
};

class SearchApi {
 public:
  SearchApi(const store::TraceStore* store, bool multitenancy, SearchApiOptions options = {});
  ~SearchApi();
  SearchApi(const SearchApi&) = delete;
  SearchApi& operator=(const SearchApi&) = delete;

  // Answers the request if its path is a search endpoint; false otherwise.
  bool Handle(net::HttpRequest& req, net::HttpResponse& resp) const;

  query::search::CatalogCache::Stats catalog_stats() const { return cache_->stats(); }

  // Keeps tag catalogs in step with the storage (store::TraceDb::BlockEvents):
  // a compaction output's is the union of its inputs', made as it replaces
  // them, so that only cut blocks are ever decoded for their catalogs.
  void CatalogFromCompaction(const std::string& tenant, const std::string& block_id,
                             const std::vector<std::string>& inputs);
  store::TraceDb::BlockEvents CatalogEvents();

 private:
  using Params = std::vector<std::pair<std::string, std::string>>;
  // `cancel` is raised when the client goes away (ClientWatch).
  void Search(const std::string& tenant, const Params& p, const std::atomic<bool>* cancel,
              net::HttpResponse& resp) const;
  void Tags(const std::string& tenant, const Params& p, bool v2, const std::atomic<bool>* cancel,
            net::HttpResponse& resp) const;
  void TagValues(const std::string& tenant, std::string_view name, const Params& p, bool v2,
                 const std::atomic<bool>* cancel,
                 net::HttpResponse& resp) const;
  // The parameters tag names and values share: start/end, limit, q (which
  // *plan then owns), and the server's budgets.
  Status TagQueryFrom(const Params& p, const std::atomic<bool>* cancel, query::search::TagQuery* q,
                      std::unique_ptr<query::traceql::Plan>* plan) const;
  void NoteTenant(const std::string& tenant) const;
  void WarmLoop();

  const store::TraceStore* store_;
  const bool multitenancy_;
  const SearchApiOptions options_;
  std::unique_ptr<query::search::CatalogCache> cache_;

  mutable std::mutex warm_mu_;
  mutable std::set<std::string> tenants_;  // tenants whose catalogs the warmer keeps built
  std::condition_variable warm_cv_;
  bool stopping_ = false;
  std::thread warmer_;
};

}  // namespace rubato::api
