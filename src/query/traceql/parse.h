// Text → tree → checked tree. Errors are InvalidArgument with a message that
// starts with "line:column: " and says what was expected, e.g.
// `1:17: expected a value after "=", found "}"`, or, from validation,
// `1:3: cannot compare duration with string`.
#pragma once

#include <string_view>

#include "query/traceql/ast.h"
#include "status/status.h"

namespace rubato::query::traceql {

// Syntax only: any well-formed query parses, whatever its types.
Result<Query> Parse(std::string_view text);

// Sets FieldExpr::type and ScalarExpr::type and rejects ill-typed or
// meaningless queries (a comparison of incompatible types, arithmetic on
// strings, an aggregate of a non-number, a regex on a non-string, an unknown
// hint value type …). The message names the node's line:column.
Status Validate(Query* q);

}  // namespace rubato::query::traceql
