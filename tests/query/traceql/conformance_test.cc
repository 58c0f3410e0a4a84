// Runs every case of tests/query/traceql/conformance/*.test (the format is
// described at the top of each file): the canonical AST of a valid query, or
// the exact parse or validation error of an invalid one. Every mismatch is
// reported with the file:line of its case. With TRACEQL_CONFORMANCE_DUMP=1 it
// also prints what each case actually gives, in the file format.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "query/traceql/ast.h"
#include "query/traceql/parse.h"
#include "query/traceql/plan.h"

namespace rubato::query::traceql {
namespace {

struct Case {
  std::string file;
  int line = 0;
  std::string query;
  bool has_ast = false, has_parse_error = false, has_validation_error = false;
  std::string ast, parse_error, validation_error;
};

// "key: value" → key and value (spaces after the colon dropped); false if not such a line.
bool SplitKey(const std::string& line, std::string* key, std::string* value) {
  size_t colon = line.find(':');
  if (colon == std::string::npos) return false;
  *key = line.substr(0, colon);
  size_t v = colon + 1;
  while (v < line.size() && line[v] == ' ') ++v;
  *value = line.substr(v);
  return true;
}

std::vector<Case> LoadFile(const std::filesystem::path& path, std::vector<std::string>* problems) {
  std::vector<Case> cases;
  std::ifstream in(path);
  std::string line;
  int n = 0;
  Case cur;
  bool open = false;
  auto finish = [&] {
    if (!open) return;
    if (cur.query.empty() && !cur.has_parse_error)
      problems->push_back(cur.file + ":" + std::to_string(cur.line) + ": case without a query");
    else if (!cur.has_ast && !cur.has_parse_error && !cur.has_validation_error)
      problems->push_back(cur.file + ":" + std::to_string(cur.line) + ": case without an expectation");
    else
      cases.push_back(cur);
    cur = Case();
    open = false;
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    if (line == "---") {
      finish();
      continue;
    }
    std::string key, value;
    if (!SplitKey(line, &key, &value)) {
      problems->push_back(path.filename().string() + ":" + std::to_string(n) + ": not a \"key: value\" line");
      continue;
    }
    if (!open) {
      open = true;
      cur.file = path.filename().string();
      cur.line = n;
    }
    if (key == "query") cur.query = value;
    else if (key == "more") cur.query += "\n" + line.substr(std::min(line.size(), sizeof("more: ") - 1));
    else if (key == "ast") cur.has_ast = true, cur.ast = value;
    else if (key == "parse-error") cur.has_parse_error = true, cur.parse_error = value;
    else if (key == "validation-error") cur.has_validation_error = true, cur.validation_error = value;
    else problems->push_back(path.filename().string() + ":" + std::to_string(n) + ": unknown key \"" + key + "\"");
  }
  finish();
  return cases;
}

std::vector<Case> LoadAll(std::vector<std::string>* problems) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(TRACEQL_CONFORMANCE_DIR)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Case> all;
  for (const auto& f : files) {
    auto cases = LoadFile(f, problems);
    all.insert(all.end(), cases.begin(), cases.end());
  }
  return all;
}

// What a query actually gives, as the lines of a case.
std::string Actual(const std::string& query) {
  auto parsed = Parse(query);
  if (!parsed.ok()) return "parse-error: " + parsed.status().message();
  std::string out = "ast: " + ToString(*parsed);
  auto plan = Plan::Compile(query);
  if (!plan.ok()) out += "\nvalidation-error: " + plan.status().message();
  return out;
}

// Checks one case; returns the mismatches.
std::vector<std::string> Check(const Case& c) {
  std::vector<std::string> bad;
  std::string where = c.file + ":" + std::to_string(c.line) + ": " + c.query + "\n    ";
  auto parsed = Parse(c.query);
  if (c.has_parse_error) {
    if (parsed.ok()) bad.push_back(where + "expected parse error \"" + c.parse_error + "\", parsed as " + ToString(*parsed));
    else if (parsed.status().message() != c.parse_error)
      bad.push_back(where + "expected parse error \"" + c.parse_error + "\",\n    got      \"" +
                    parsed.status().message() + "\"");
    return bad;
  }
  if (!parsed.ok()) {
    bad.push_back(where + "unexpected parse error \"" + parsed.status().message() + "\"");
    return bad;
  }
  std::string text = ToString(*parsed);
  if (c.has_ast && text != c.ast) bad.push_back(where + "expected ast " + c.ast + "\n    got          " + text);
  // The canonical text is itself a query with the same canonical text.
  auto again = Parse(text);
  if (!again.ok()) bad.push_back(where + "canonical text does not parse: " + again.status().message());
  else if (ToString(*again) != text) bad.push_back(where + "canonical text is not stable: " + ToString(*again));
  auto plan = Plan::Compile(c.query);
  if (c.has_validation_error) {
    if (plan.ok()) bad.push_back(where + "expected validation error \"" + c.validation_error + "\", compiled");
    else if (plan.status().message() != c.validation_error)
      bad.push_back(where + "expected validation error \"" + c.validation_error + "\",\n    got               \"" +
                    plan.status().message() + "\"");
  } else if (!plan.ok()) {
    bad.push_back(where + "unexpected validation error \"" + plan.status().message() + "\"");
  }
  return bad;
}

TEST(Conformance, EveryCaseMatches) {
  std::vector<std::string> problems;
  std::vector<Case> cases = LoadAll(&problems);
  for (const auto& p : problems) ADD_FAILURE() << p;
  bool dump = std::getenv("TRACEQL_CONFORMANCE_DUMP") != nullptr;
  int failed = 0;
  for (const Case& c : cases) {
    if (dump) std::cout << c.file << ":" << c.line << "\nquery: " << c.query << "\n" << Actual(c.query) << "\n---\n";
    for (const auto& m : Check(c)) {
      ADD_FAILURE() << m;
      ++failed;
    }
  }
  std::cout << cases.size() << " conformance cases, " << failed << " mismatches\n";
  EXPECT_GE(cases.size(), 300u);
}

}  // namespace
}  // namespace rubato::query::traceql
