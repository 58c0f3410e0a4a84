// The TraceQL lexer: query text → tokens. Attributes (`span.http.method`,
// `."a b"`), intrinsics (`span:duration`, legacy `duration`) and literals
// (strings, numbers, durations, keywords) are recognised here, because their
// spelling depends on characters the parser never sees (dots inside names).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "query/traceql/ast.h"
#include "status/status.h"

namespace rubato::query::traceql {

enum class Tok : uint8_t {
  kEnd,
  kLBrace, kRBrace, kLParen, kRParen, kComma, kPipe,
  kEq, kNeq, kGt, kGte, kLt, kLte, kRegex, kNotRegex,  // = != > >= < <= =~ !~
  kAdd, kSub, kMul, kDiv, kMod, kPow,                  // + - * / % ^
  kAnd, kOr, kNot,                                     // && || !
  kDesc, kAnc, kTilde,                                 // >> << ~
  kNotChild, kNotParent, kNotDesc, kNotAnc,            // !> !< !>> !<<  (!~ is kNotRegex)
  kUnionChild, kUnionParent, kUnionDesc, kUnionAnc, kUnionSibling,  // &> &< &>> &<< &~
  kStatic,     // a literal, including true/false/nil and the status and kind keywords
  kAttribute,  // span.x, .x, parent.resource.x …
  kIntrinsic,  // span:duration, duration …
  kWord,       // any other bare word: count, by, with, most_recent, foo …
};

struct Token {
  Tok kind = Tok::kEnd;
  Pos pos;
  std::string_view text;  // as written in the query
  bool word = false;      // spelled as a bare word (keywords, legacy intrinsics, kWord)
  Static value;           // kStatic
  Attribute attribute;    // kAttribute
  Intrinsic intrinsic{};  // kIntrinsic
};

// The query's tokens, ending with one kEnd token; or the first lexical error
// as InvalidArgument "line:column: …" (unterminated string, bad escape,
// invalid number or duration, unknown intrinsic or scope, stray character).
Result<std::vector<Token>> Lex(std::string_view text);

// How an error message names a token: `"}"`, `"span.foo"`, `end of query`.
std::string Describe(const Token& t);

// "line:column: " for error messages.
std::string Where(Pos p);

}  // namespace rubato::query::traceql
