// `rubato search '<traceql>'`: asks a Tempo-compatible API's /api/search and
// lists the matching traces.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace rubato::app {

struct SearchArgs {
  std::string query;
  std::string server = "http://127.0.0.1:3200";
  std::string org_id;
  int limit = 20;
  std::string since = "1h";  // Go duration; "0" searches all time
};

// Adds the `search` subcommand with its options, bound to *args.
CLI::App* AddSearchCommand(CLI::App& app, SearchArgs* args);
// 0: listed (possibly nothing); 1: the server refused or failed; 2: bad arguments.
int RunSearchCommand(const SearchArgs& args);

}  // namespace rubato::app
