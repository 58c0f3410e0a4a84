#include "query/traceql/lexer.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

#include "query/traceql/literal.h"

namespace rubato::query::traceql {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsWordChar(char c) { return IsLetter(c) || IsDigit(c); }

// Tempo's rule: an unquoted attribute name runs until whitespace or one of
// the characters that start an operator or close an expression.
bool IsAttributeChar(char c) {
  if (IsSpace(c)) return false;
  return std::strchr("{}()=~!<>&|^,", c) == nullptr || c == '\0';
}

struct Keyword {
  const char* word;
  ValueType type;
  int64_t code;
};
constexpr Keyword kKeywords[] = {
    {"true", ValueType::kBool, 1},          {"false", ValueType::kBool, 0},
    {"nil", ValueType::kNil, 0},            {"unset", ValueType::kStatus, 0},
    {"ok", ValueType::kStatus, 1},          {"error", ValueType::kStatus, 2},
    {"unspecified", ValueType::kKind, 0},   {"internal", ValueType::kKind, 1},
    {"server", ValueType::kKind, 2},        {"client", ValueType::kKind, 3},
    {"producer", ValueType::kKind, 4},      {"consumer", ValueType::kKind, 5},
};

struct Legacy {
  const char* word;
  Intrinsic intrinsic;
};
// Tempo's unscoped spellings, kept for old queries and Grafana's search tab.
constexpr Legacy kLegacy[] = {
    {"name", Intrinsic::kSpanName},           {"status", Intrinsic::kSpanStatus},
    {"kind", Intrinsic::kSpanKind},           {"duration", Intrinsic::kSpanDuration},
    {"statusMessage", Intrinsic::kSpanStatusMessage}, {"childCount", Intrinsic::kSpanChildCount},
    {"rootName", Intrinsic::kTraceRootName},  {"rootServiceName", Intrinsic::kTraceRootService},
    {"traceDuration", Intrinsic::kTraceDuration},
};

constexpr Intrinsic kAllIntrinsics[] = {
    Intrinsic::kSpanName, Intrinsic::kSpanKind, Intrinsic::kSpanStatus, Intrinsic::kSpanStatusMessage,
    Intrinsic::kSpanDuration, Intrinsic::kSpanId, Intrinsic::kSpanParentId, Intrinsic::kSpanChildCount,
    Intrinsic::kTraceDuration, Intrinsic::kTraceRootName, Intrinsic::kTraceRootService, Intrinsic::kTraceId,
    Intrinsic::kEventName, Intrinsic::kEventTimeSinceStart, Intrinsic::kLinkTraceId, Intrinsic::kLinkSpanId,
    Intrinsic::kScopeName, Intrinsic::kScopeVersion,
};

std::optional<AttributeScope> ScopeOf(std::string_view w) {
  if (w == "span") return AttributeScope::kSpan;
  if (w == "resource") return AttributeScope::kResource;
  if (w == "event") return AttributeScope::kEvent;
  if (w == "link") return AttributeScope::kLink;
  if (w == "instrumentation") return AttributeScope::kInstrumentation;
  return std::nullopt;
}

bool IsIntrinsicScope(std::string_view w) {
  return w == "span" || w == "trace" || w == "event" || w == "link" || w == "instrumentation";
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    for (;;) {
      SkipSpace();
      Token t;
      t.pos = Here();
      size_t start = i_;
      if (i_ >= src_.size()) {
        out.push_back(std::move(t));
        return out;
      }
      Status s = Next(&t);
      if (!s.ok()) return s;
      t.text = src_.substr(start, i_ - start);
      out.push_back(std::move(t));
    }
  }

 private:
  Pos Here() const { return Pos{line_, static_cast<uint32_t>(i_ - line_start_ + 1)}; }
  char Peek(size_t ahead = 0) const { return i_ + ahead < src_.size() ? src_[i_ + ahead] : '\0'; }
  bool AtEnd(size_t ahead = 0) const { return i_ + ahead >= src_.size(); }
  bool Match(std::string_view s) {
    if (src_.substr(i_, s.size()) != s) return false;
    i_ += s.size();
    return true;
  }
  Status Error(Pos p, const std::string& msg) const { return Status::InvalidArgument(Where(p) + msg); }

  void NewLineAt(size_t newline_offset) {
    ++line_;
    line_start_ = newline_offset + 1;
  }

  void SkipSpace() {
    while (i_ < src_.size() && IsSpace(src_[i_])) {
      if (src_[i_] == '\n') NewLineAt(i_);
      ++i_;
    }
  }

  // What the character at i_ looks like in an error message.
  std::string DescribeHere() const {
    if (AtEnd()) return "end of query";
    unsigned char c = static_cast<unsigned char>(Peek());
    if (c >= 0x20 && c < 0x7f) return std::string("\"") + static_cast<char>(c) + "\"";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
    return buf;
  }

  Status Next(Token* t) {
    char c = Peek();
    if (c == '"' || c == '`') return LexString(t);
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return LexNumber(t);
    if (c == '.') return LexUnscopedAttribute(t);
    if (IsLetter(c)) return LexWord(t);
    return LexOperator(t);
  }

  Status LexOperator(Token* t) {
    struct Op {
      const char* text;
      Tok tok;
    };
    // Longest first, so `>>` wins over `>` and `!>>` over `!>`.
    static constexpr Op kOps[] = {
        {"&>>", Tok::kUnionDesc}, {"&<<", Tok::kUnionAnc}, {"!>>", Tok::kNotDesc}, {"!<<", Tok::kNotAnc},
        {"&&", Tok::kAnd},        {"||", Tok::kOr},        {"&>", Tok::kUnionChild}, {"&<", Tok::kUnionParent},
        {"&~", Tok::kUnionSibling}, {"!=", Tok::kNeq},     {"!~", Tok::kNotRegex}, {"!>", Tok::kNotChild},
        {"!<", Tok::kNotParent},  {"=~", Tok::kRegex},     {">>", Tok::kDesc},     {"<<", Tok::kAnc},
        {">=", Tok::kGte},        {"<=", Tok::kLte},       {"{", Tok::kLBrace},    {"}", Tok::kRBrace},
        {"(", Tok::kLParen},      {")", Tok::kRParen},     {",", Tok::kComma},     {"|", Tok::kPipe},
        {"=", Tok::kEq},          {">", Tok::kGt},         {"<", Tok::kLt},        {"+", Tok::kAdd},
        {"-", Tok::kSub},         {"*", Tok::kMul},        {"/", Tok::kDiv},       {"%", Tok::kMod},
        {"^", Tok::kPow},         {"!", Tok::kNot},        {"~", Tok::kTilde},
    };
    for (const Op& op : kOps) {
      if (Match(op.text)) {
        t->kind = op.tok;
        return Status::Ok();
      }
    }
    return Error(t->pos, "unexpected character " + DescribeHere());
  }

  // A quoted string (double quotes with escapes, or raw backquotes) into *out.
  Status ReadQuoted(Pos start, std::string* out) {
    char quote = Peek();
    ++i_;
    for (;;) {
      if (AtEnd() || (quote == '"' && Peek() == '\n')) return Error(start, "unterminated string");
      char c = src_[i_];
      if (c == quote) {
        ++i_;
        return Status::Ok();
      }
      if (quote == '"' && c == '\\') {
        if (AtEnd(1)) return Error(start, "unterminated string");
        Pos at = Here();
        std::string err = ReadEscape(out);
        if (!err.empty()) return Error(at, err);
        continue;
      }
      if (c == '\n') NewLineAt(i_);
      out->push_back(c);
      ++i_;
    }
  }

  // One escape sequence starting at the backslash; an error text or "".
  std::string ReadEscape(std::string* out) {
    ++i_;  // the backslash (never the last byte: see ReadQuoted)
    char e = src_[i_++];
    switch (e) {
      case 'a': out->push_back('\a'); return "";
      case 'b': out->push_back('\b'); return "";
      case 'f': out->push_back('\f'); return "";
      case 'n': out->push_back('\n'); return "";
      case 'r': out->push_back('\r'); return "";
      case 't': out->push_back('\t'); return "";
      case 'v': out->push_back('\v'); return "";
      case '\\': case '"': case '\'': out->push_back(e); return "";
      case 'x': return ReadHexEscape(2, out);
      case 'u': return ReadHexEscape(4, out);
      case 'U': return ReadHexEscape(8, out);
      default: break;
    }
    if (e >= '0' && e <= '7') {
      int v = e - '0';
      for (int k = 0; k < 2; ++k) {
        if (AtEnd() || Peek() < '0' || Peek() > '7') return "invalid escape: \\ooo needs three octal digits";
        v = v * 8 + (src_[i_++] - '0');
      }
      if (v > 255) return "invalid escape: octal value above \\377";
      out->push_back(static_cast<char>(v));
      return "";
    }
    if (static_cast<unsigned char>(e) < 0x20 || static_cast<unsigned char>(e) >= 0x7f) return "invalid escape in string";
    return std::string("invalid escape \\") + e + " in string";
  }

  std::string ReadHexEscape(int digits, std::string* out) {
    uint32_t v = 0;
    for (int k = 0; k < digits; ++k) {
      char h = Peek();
      int d = IsDigit(h) ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
      if (AtEnd() || d < 0) return "invalid escape: expected " + std::to_string(digits) + " hex digits";
      v = v * 16 + static_cast<uint32_t>(d);
      ++i_;
    }
    if (digits == 2) {
      out->push_back(static_cast<char>(v));
      return "";
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return "invalid escape: not a Unicode code point";
    AppendUtf8(v, out);
    return "";
  }

  static void AppendUtf8(uint32_t v, std::string* out) {
    if (v < 0x80) {
      out->push_back(static_cast<char>(v));
    } else if (v < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (v >> 6)));
      out->push_back(static_cast<char>(0x80 | (v & 0x3F)));
    } else if (v < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (v >> 12)));
      out->push_back(static_cast<char>(0x80 | ((v >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (v & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (v >> 18)));
      out->push_back(static_cast<char>(0x80 | ((v >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((v >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (v & 0x3F)));
    }
  }

  Status LexString(Token* t) {
    t->kind = Tok::kStatic;
    t->value.type = ValueType::kString;
    return ReadQuoted(t->pos, &t->value.str);
  }

  // Numbers: 12, 1.5, 1e3, .5; durations: 10ms, 1.5s, 1h30m (Go's syntax).
  Status LexNumber(Token* t) {
    size_t start = i_;
    while (IsDigit(Peek())) ++i_;
    bool is_float = false;
    if (Peek() == '.' && IsDigit(Peek(1))) {
      is_float = true;
      ++i_;
      while (IsDigit(Peek())) ++i_;
    }
    bool exponent = false;
    if ((Peek() == 'e' || Peek() == 'E') &&
        (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
      exponent = is_float = true;
      i_ += 2;
      while (IsDigit(Peek())) ++i_;
    }
    if (!exponent && (IsLetter(Peek()) || static_cast<unsigned char>(Peek()) >= 0x80)) {
      i_ = start;
      return LexDuration(t);
    }
    std::string_view text = src_.substr(start, i_ - start);
    if (IsWordChar(Peek()) || Peek() == '.') return InvalidNumber(t->pos, start);
    t->kind = Tok::kStatic;
    if (is_float) {
      t->value.type = ValueType::kFloat;
      std::optional<double> d = ParseFloatLiteral(text);
      if (!d) return Error(t->pos, "number " + std::string(text) + " is out of range");
      t->value.dbl = *d;
      return Status::Ok();
    }
    t->value.type = ValueType::kInt;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), t->value.integer);
    if (ec != std::errc() || p != text.data() + text.size())
      return Error(t->pos, "integer " + std::string(text) + " is out of range");
    return Status::Ok();
  }

  Status InvalidNumber(Pos p, size_t start) {
    while (!AtEnd() && (IsWordChar(Peek()) || Peek() == '.' || static_cast<unsigned char>(Peek()) >= 0x80)) ++i_;
    return Error(p, "invalid number \"" + std::string(src_.substr(start, i_ - start)) + "\"");
  }

  Status LexDuration(Token* t) {
    size_t start = i_;
    while (!AtEnd() && (IsWordChar(Peek()) || Peek() == '.' || static_cast<unsigned char>(Peek()) >= 0x80)) ++i_;
    std::string_view text = src_.substr(start, i_ - start);
    DurationParse d = ParseDurationLiteral(text);
    if (d.status == DurationParse::kInvalid)
      return Error(t->pos, "invalid duration \"" + std::string(text) + "\" (units: ns, us, ms, s, m, h)");
    if (d.status == DurationParse::kOutOfRange)
      return Error(t->pos, "duration " + std::string(text) + " is out of range");
    t->kind = Tok::kStatic;
    t->value.type = ValueType::kDuration;
    t->value.integer = d.nanos;
    return Status::Ok();
  }

  // `.name` or `."a b"`.
  Status LexUnscopedAttribute(Token* t) {
    ++i_;
    t->kind = Tok::kAttribute;
    t->attribute.scope = AttributeScope::kUnscoped;
    return ReadAttributeName(t->pos, ".", &t->attribute.name);
  }

  Status ReadAttributeName(Pos start, std::string_view prefix, std::string* name) {
    if (Peek() == '"' || Peek() == '`') {
      Status s = ReadQuoted(start, name);
      if (!s.ok()) return s;
      if (name->empty()) return Error(start, "empty attribute name after \"" + std::string(prefix) + "\"");
      return Status::Ok();
    }
    size_t begin = i_;
    while (!AtEnd() && IsAttributeChar(Peek())) ++i_;
    if (i_ == begin)
      return Error(start, "expected an attribute name after \"" + std::string(prefix) + "\", found " + DescribeHere());
    name->assign(src_.substr(begin, i_ - begin));
    return Status::Ok();
  }

  Status LexWord(Token* t) {
    size_t start = i_;
    while (IsWordChar(Peek())) ++i_;
    std::string_view w = src_.substr(start, i_ - start);
    if (Peek() == '.') return LexScopedAttribute(t, w);
    if (Peek() == ':') return LexIntrinsic(t, w);
    t->word = true;
    for (const Keyword& k : kKeywords) {
      if (w == k.word) {
        t->kind = Tok::kStatic;
        t->value.type = k.type;
        if (k.type == ValueType::kBool) t->value.boolean = k.code != 0;
        else t->value.integer = k.code;
        return Status::Ok();
      }
    }
    for (const Legacy& l : kLegacy) {
      if (w == l.word) {
        t->kind = Tok::kIntrinsic;
        t->intrinsic = l.intrinsic;
        return Status::Ok();
      }
    }
    t->kind = Tok::kWord;
    return Status::Ok();
  }

  Status LexScopedAttribute(Token* t, std::string_view scope_word) {
    ++i_;  // the dot
    t->kind = Tok::kAttribute;
    Attribute& a = t->attribute;
    std::string prefix(scope_word);
    prefix += '.';
    if (scope_word == "parent") {
      a.parent = true;
      // `parent.span.x`, `parent.resource.x`, or `parent.x` (unscoped).
      size_t save = i_;
      size_t w = i_;
      while (w < src_.size() && IsWordChar(src_[w])) ++w;
      std::string_view next = src_.substr(i_, w - i_);
      if (w < src_.size() && src_[w] == '.' && ScopeOf(next)) {
        if (next != "span" && next != "resource")
          return Error(t->pos, "parent. applies to span., resource. and unscoped attributes only, not " +
                                   std::string(next) + ".");
        a.scope = *ScopeOf(next);
        i_ = w + 1;
        prefix += std::string(next) + ".";
      } else {
        i_ = save;
        a.scope = AttributeScope::kUnscoped;
      }
      return ReadAttributeName(t->pos, prefix, &a.name);
    }
    std::optional<AttributeScope> scope = ScopeOf(scope_word);
    if (!scope) {
      return Error(t->pos, "unknown attribute scope \"" + std::string(scope_word) +
                               "\" (scopes: span, resource, event, link, instrumentation, parent; or .name)");
    }
    a.scope = *scope;
    return ReadAttributeName(t->pos, prefix, &a.name);
  }

  Status LexIntrinsic(Token* t, std::string_view scope_word) {
    ++i_;  // the colon
    size_t begin = i_;
    while (IsWordChar(Peek())) ++i_;
    std::string_view name = src_.substr(begin, i_ - begin);
    if (!IsIntrinsicScope(scope_word))
      return Error(t->pos, "unknown intrinsic scope \"" + std::string(scope_word) +
                               "\" (scopes: span, trace, event, link, instrumentation)");
    if (name.empty())
      return Error(t->pos, "expected an intrinsic name after \"" + std::string(scope_word) + ":\", found " +
                               DescribeHere());
    std::string full = std::string(scope_word) + ":" + std::string(name);
    for (Intrinsic i : kAllIntrinsics) {
      if (full == Name(i)) {
        t->kind = Tok::kIntrinsic;
        t->intrinsic = i;
        return Status::Ok();
      }
    }
    return Error(t->pos, "unknown intrinsic " + full);
  }

  std::string_view src_;
  size_t i_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

std::string Where(Pos p) { return std::to_string(p.line) + ":" + std::to_string(p.column) + ": "; }

std::string Describe(const Token& t) {
  if (t.kind == Tok::kEnd) return "end of query";
  std::string_view text = t.text;
  bool cut = text.size() > 40;
  if (cut) text = text.substr(0, 40);
  std::string out = (t.kind == Tok::kStatic && t.value.type == ValueType::kString) ? "the string " : "";
  if (out.empty()) out += '"';
  out += text;
  if (cut) out += "...";
  if (!(t.kind == Tok::kStatic && t.value.type == ValueType::kString)) out += '"';
  return out;
}

Result<std::vector<Token>> Lex(std::string_view text) { return Lexer(text).Run(); }

}  // namespace rubato::query::traceql
