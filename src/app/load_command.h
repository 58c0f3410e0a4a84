// `rubato load`: the standard workload over OTLP to a server (src/load/).
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace rubato::app {

// The command line as typed; RunLoadCommand turns it into load::LoadOptions.
struct LoadArgs {
  std::string protocol = "grpc";
  std::string endpoint;
  int concurrency = 4;
  double rate = 0;
  std::string duration = "30s";
  uint64_t seed = 1;
  uint32_t batch_spans = 1024;
  uint32_t batches = 64;
  bool gzip = false;
  std::vector<std::string> headers;
  std::string dump_path;
  std::string replay_path;
  std::string acked_log_path;
  bool fresh_trace_ids = false;
  bool json = false;
  bool quiet = false;
};

// Adds the `load` subcommand with its options, bound to *args.
CLI::App* AddLoadCommand(CLI::App& app, LoadArgs* args);
// Runs it; the exit code is non-zero when nothing was accepted or the
// server could not be reached.
int RunLoadCommand(const LoadArgs& args);

}  // namespace rubato::app
