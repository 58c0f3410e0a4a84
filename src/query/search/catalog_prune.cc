#include "query/search/catalog_prune.h"

namespace rubato::query::search {
namespace {

using store::block::SpanField;
using store::block::SpanPredicate;

// Whether a span of the block may carry `value` (a string) under `key`.
bool MayHold(const TagCatalog& catalog, TagScope scope, std::string_view key, std::string_view value) {
  const TagCatalog::Values* values = catalog.Find(scope, key);
  if (values == nullptr) return catalog.keys_truncated(scope);  // the key is absent, unless the scope dropped keys
  if (values->truncated) return true;
  return values->values.find(TagValueView{TagValueType::kString, value}) != values->values.end();
}

// A predicate rules a block out only when it passes just one string (not
// empty: a catalog does not list empty status messages), no other type and
// no span without the key; the catalog's values are the block's, by scope.
bool PredicateMay(const SpanPredicate& p, const TagCatalog& catalog) {
  const store::block::ValueTest& t = p.test;
  bool other_tests = t.integer || t.integer_between || t.real || t.boolean || t.other_types;
  if (!t.string_equals || t.string_equals->empty() || other_tests || t.missing) return true;
  const std::string_view v = *t.string_equals;
  switch (p.field) {
    case SpanField::kName: return MayHold(catalog, TagScope::kIntrinsic, kIntrinsicName, v);
    case SpanField::kStatusMessage: return MayHold(catalog, TagScope::kIntrinsic, kIntrinsicStatusMessage, v);
    case SpanField::kResourceAttribute: return MayHold(catalog, TagScope::kResource, p.key, v);
    case SpanField::kSpanAttribute: return MayHold(catalog, TagScope::kSpan, p.key, v);
    case SpanField::kAttribute:
      return MayHold(catalog, TagScope::kSpan, p.key, v) || MayHold(catalog, TagScope::kResource, p.key, v);
    default: return true;
  }
}

}  // namespace

bool CatalogMayMatch(const store::block::TraceFilter& filter, const TagCatalog& catalog) {
  return store::block::FilterMayYield(filter.spans,
                                      [&](const SpanPredicate& p) { return PredicateMay(p, catalog); });
}

}  // namespace rubato::query::search
