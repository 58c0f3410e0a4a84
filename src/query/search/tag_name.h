// The tag a tag-values request names, resolved to where a catalog keeps its
// values: `span.http.method`, `.service.name` (span or resource),
// `resource."a b"`, intrinsics (`name`, `span:status`, `trace:rootService`),
// and the legacy v1 names (`service.name`, `status.code`, `error`, `root.name`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "query/search/tag_catalog.h"
#include "status/status.h"

namespace rubato::query::search {

struct TagName {
  enum class Kind : uint8_t {
    kAttribute,      // `scope` (unset: span or resource) and `key`
    kIntrinsic,      // a catalog intrinsic key (kIntrinsicName, …)
    kNoValues,       // an intrinsic whose values are not listed (durations, IDs): always []
    kErrorFlag,      // v1 `error`: "true" if any span has status error
  };
  Kind kind = Kind::kAttribute;
  std::optional<TagScope> scope;
  std::string key;
};

// GET /api/v2/search/tag/<name>/values. InvalidArgument naming the problem
// (an unknown intrinsic such as `span:foo`, an empty name, a bad quote).
Result<TagName> ParseTagNameV2(std::string_view name);
// GET /api/search/tag/<name>/values: unscoped attribute names, plus Tempo's
// legacy search names `name`, `status.code`, `error`, `root.name`, `root.service.name`.
Result<TagName> ParseTagNameV1(std::string_view name);

// The intrinsics Tempo lists under the "intrinsic" scope of GET
// /api/v2/search/tags (and scope=intrinsic of v1), sorted.
const std::vector<std::string>& IntrinsicTagNames();

}  // namespace rubato::query::search
