// `rubato trace <id>`: fetches one trace from a Tempo-compatible API and
// prints its waterfall (src/trace_view/waterfall.h).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace rubato::app {

struct TraceArgs {
  std::string id;
  std::string server = "http://127.0.0.1:3200";
  std::string org_id;  // X-Scope-OrgID, for a multi-tenant server
  int width = 30;
};

// Adds the `trace` subcommand with its options, bound to *args.
CLI::App* AddTraceCommand(CLI::App& app, TraceArgs* args);
// 0: printed; 1: not found or the server failed; 2: bad arguments.
int RunTraceCommand(const TraceArgs& args);

}  // namespace rubato::app
