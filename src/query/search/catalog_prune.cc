#include "query/search/catalog_prune.h"

#include <charconv>

namespace rubato::query::search {
namespace {

using store::block::SpanField;
using store::block::SpanPredicate;
using store::block::ValueTest;

// Whether a catalogued value passes `test`. The catalog keeps values as
// text; one it cannot read back counts as passing.
bool Passes(const ValueTest& test, const TagValue& v) {
  const char* begin = v.text.data();
  const char* end = begin + v.text.size();
  switch (v.type) {
    case TagValueType::kString: return test.PassesString(v.text);
    case TagValueType::kInt: {
      int64_t i;
      auto r = std::from_chars(begin, end, i);
      return r.ec != std::errc() || r.ptr != end || test.PassesInt(i);
    }
    case TagValueType::kFloat: {
      double d;
      auto r = std::from_chars(begin, end, d);
      return r.ec != std::errc() || r.ptr != end || test.PassesReal(d);
    }
    case TagValueType::kBool: return test.PassesBool(v.text == "true");
    case TagValueType::kKeyword: return true;  // intrinsics the prefilter tests as ints
  }
  return true;
}

// Whether some span of the block may carry a value of `key` (in `scope`)
// that passes `test`. A key the catalog lacks is on no span (unless the
// scope dropped keys); a truncated key's values are not all listed. Values
// of kinds a catalog does not list (bytes, kvlists, empty) never pass a
// comparison, and arrays are listed element by element, as the evaluator
// compares them.
bool MayPass(const TagCatalog& catalog, TagScope scope, std::string_view key, const ValueTest& test) {
  const TagCatalog::Values* values = catalog.Find(scope, key);
  if (values == nullptr) return catalog.keys_truncated(scope);
  if (values->truncated) return true;
  for (const TagValue& v : values->values) {
    if (Passes(test, v)) return true;
  }
  return false;
}

// A predicate rules a block out when no catalogued value of its key passes
// it. Tests that pass spans without the key, or values of any type (`!= nil`),
// are not the catalog's to judge.
bool PredicateMay(const SpanPredicate& p, const TagCatalog& catalog) {
  const ValueTest& t = p.test;
  if (t.missing || t.other_types) return true;
  switch (p.field) {
    case SpanField::kName: return MayPass(catalog, TagScope::kIntrinsic, kIntrinsicName, t);
    case SpanField::kStatusMessage:  // a catalog lists no empty message, which every span without one has
      return t.PassesString("") || MayPass(catalog, TagScope::kIntrinsic, kIntrinsicStatusMessage, t);
    case SpanField::kResourceAttribute: return MayPass(catalog, TagScope::kResource, p.key, t);
    case SpanField::kSpanAttribute: return MayPass(catalog, TagScope::kSpan, p.key, t);
    case SpanField::kAttribute:
      return MayPass(catalog, TagScope::kSpan, p.key, t) || MayPass(catalog, TagScope::kResource, p.key, t);
    default: return true;
  }
}

}  // namespace

bool CatalogMayMatch(const store::block::TraceFilter& filter, const TagCatalog& catalog) {
  return store::block::FilterMayYield(filter.spans,
                                      [&](const SpanPredicate& p) { return PredicateMay(p, catalog); });
}

}  // namespace rubato::query::search
