#include "query/search/tag_name.h"

#include <algorithm>
#include <vector>

namespace rubato::query::search {
namespace {

struct IntrinsicAlias {
  std::string_view name;
  TagName::Kind kind;
  std::string_view key;  // catalog key for kIntrinsic
};

constexpr IntrinsicAlias kIntrinsics[] = {
    {"name", TagName::Kind::kIntrinsic, kIntrinsicName},
    {"span:name", TagName::Kind::kIntrinsic, kIntrinsicName},
    {"status", TagName::Kind::kIntrinsic, kIntrinsicStatus},
    {"span:status", TagName::Kind::kIntrinsic, kIntrinsicStatus},
    {"kind", TagName::Kind::kIntrinsic, kIntrinsicKind},
    {"span:kind", TagName::Kind::kIntrinsic, kIntrinsicKind},
    {"statusMessage", TagName::Kind::kIntrinsic, kIntrinsicStatusMessage},
    {"span:statusMessage", TagName::Kind::kIntrinsic, kIntrinsicStatusMessage},
    {"rootServiceName", TagName::Kind::kIntrinsic, kIntrinsicRootService},
    {"trace:rootService", TagName::Kind::kIntrinsic, kIntrinsicRootService},
    {"rootName", TagName::Kind::kIntrinsic, kIntrinsicRootName},
    {"trace:rootName", TagName::Kind::kIntrinsic, kIntrinsicRootName},
    {"event:name", TagName::Kind::kIntrinsic, kIntrinsicEventName},
    {"instrumentation:name", TagName::Kind::kIntrinsic, kIntrinsicScopeName},
    {"instrumentation:version", TagName::Kind::kIntrinsic, kIntrinsicScopeVersion},
    {"duration", TagName::Kind::kNoValues, ""},
    {"span:duration", TagName::Kind::kNoValues, ""},
    {"traceDuration", TagName::Kind::kNoValues, ""},
    {"trace:duration", TagName::Kind::kNoValues, ""},
    {"event:timeSinceStart", TagName::Kind::kNoValues, ""},
    {"span:id", TagName::Kind::kNoValues, ""},
    {"span:parentID", TagName::Kind::kNoValues, ""},
    {"span:childCount", TagName::Kind::kNoValues, ""},
    {"trace:id", TagName::Kind::kNoValues, ""},
    {"link:traceID", TagName::Kind::kNoValues, ""},
    {"link:spanID", TagName::Kind::kNoValues, ""},
};

struct ScopePrefix {
  std::string_view prefix;
  std::optional<TagScope> scope;
};
constexpr ScopePrefix kScopes[] = {
    {"span.", TagScope::kSpan},           {"resource.", TagScope::kResource},
    {"event.", TagScope::kEvent},         {"link.", TagScope::kLink},
    {"instrumentation.", TagScope::kInstrumentation}, {".", std::nullopt},
};

// `"a \"b\""` → `a "b"`; a bare name is returned as is.
Result<std::string> Unquote(std::string_view s, std::string_view whole) {
  if (s.empty()) return Status::InvalidArgument("tag name '" + std::string(whole) + "' has no attribute name");
  if (s.front() != '"') return std::string(s);
  std::string out;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.push_back(s[++i]);
    } else if (s[i] == '"') {
      if (i + 1 != s.size()) break;
      return out;
    } else {
      out.push_back(s[i]);
    }
  }
  return Status::InvalidArgument("tag name '" + std::string(whole) + "' has an unterminated or misplaced quote");
}

std::optional<TagName> Intrinsic(std::string_view name) {
  for (const IntrinsicAlias& a : kIntrinsics) {
    if (a.name == name) return TagName{a.kind, TagScope::kIntrinsic, std::string(a.key)};
  }
  return std::nullopt;
}

}  // namespace

Result<TagName> ParseTagNameV2(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("tag name is empty");
  if (auto i = Intrinsic(name)) return *i;
  for (const ScopePrefix& p : kScopes) {
    if (name.substr(0, p.prefix.size()) != p.prefix) continue;
    auto key = Unquote(name.substr(p.prefix.size()), name);
    if (!key.ok()) return key.status();
    return TagName{TagName::Kind::kAttribute, p.scope, *key};
  }
  size_t colon = name.find(':');
  if (colon != std::string_view::npos && name.find('.') > colon) {
    return Status::InvalidArgument("unknown intrinsic '" + std::string(name) + "'");
  }
  // Not a TraceQL identifier (`service.name`): read as an unscoped attribute, as v1 does.
  return TagName{TagName::Kind::kAttribute, std::nullopt, std::string(name)};
}

Result<TagName> ParseTagNameV1(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("tag name is empty");
  if (name == "status.code") return TagName{TagName::Kind::kIntrinsic, TagScope::kIntrinsic, std::string(kIntrinsicStatus)};
  if (name == "error") return TagName{TagName::Kind::kErrorFlag, TagScope::kIntrinsic, std::string(kIntrinsicStatus)};
  if (name == "name") return TagName{TagName::Kind::kIntrinsic, TagScope::kIntrinsic, std::string(kIntrinsicName)};
  if (name == "root.name") return TagName{TagName::Kind::kIntrinsic, TagScope::kIntrinsic, std::string(kIntrinsicRootName)};
  if (name == "root.service.name") {
    return TagName{TagName::Kind::kIntrinsic, TagScope::kIntrinsic, std::string(kIntrinsicRootService)};
  }
  return TagName{TagName::Kind::kAttribute, std::nullopt, std::string(name)};
}

const std::vector<std::string>& IntrinsicTagNames() {
  // Tempo's list (its search.GetVirtualIntrinsicValues); IDs, child counts and
  // link fields are queryable but, as in Tempo, not offered for autocomplete.
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = {
        "duration", "kind", "name", "status", "statusMessage", "traceDuration", "rootServiceName", "rootName",
        "span:status", "span:statusMessage", "span:duration", "span:name", "span:kind", "trace:rootName",
        "trace:rootService", "trace:duration", "event:name", "event:timeSinceStart", "instrumentation:name",
        "instrumentation:version"};
    std::sort(v.begin(), v.end());
    return v;
  }();
  return names;
}

}  // namespace rubato::query::search
