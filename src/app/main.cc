// The rubato binary: one entry point, one subcommand per job. Wiring only;
// each subcommand's work lives in its own file.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "app/inspect_command.h"
#include "app/load_command.h"
#include "app/search_command.h"
#include "app/serve_command.h"
#include "app/trace_command.h"

#ifndef RUBATO_VERSION
#define RUBATO_VERSION "dev"
#endif

int main(int argc, char** argv) {
  CLI::App app{"Rubato: a distributed tracing system (OTLP in, Tempo-compatible API out)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", RUBATO_VERSION);

  std::string inspect_path;
  auto* inspect = app.add_subcommand("inspect", "Print an OTLP request file (protobuf or JSON) as trace trees");
  inspect->add_option("file", inspect_path, "OTLP ExportTraceServiceRequest file")->required();

  std::string convert_path, convert_to = "otlp-json";
  auto* convert = app.add_subcommand("convert", "Re-encode an OTLP request file");
  convert->add_option("file", convert_path, "OTLP ExportTraceServiceRequest file")->required();
  convert->add_option("--to", convert_to, "protobuf, otlp-json, tempo-v1 or tempo-v2");

  std::string config_path;
  auto* serve = app.add_subcommand("serve", "Run the trace backend: OTLP receivers and Tempo's HTTP API");
  serve->add_option("--config,-c", config_path, "Tempo-shaped YAML config (default: embedded defaults)");

  rubato::app::LoadArgs load_args;
  auto* load = rubato::app::AddLoadCommand(app, &load_args);
  rubato::app::TraceArgs trace_args;
  auto* trace = rubato::app::AddTraceCommand(app, &trace_args);
  rubato::app::SearchArgs search_args;
  auto* search = rubato::app::AddSearchCommand(app, &search_args);

  // Tempo's own flag spelling, -config.file=FILE, works too.
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("-config.file=", 0) == 0) a = "--config=" + a.substr(13);
    else if (a == "-config.file") a = "--config";
    args.push_back(a);
  }
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*serve) return rubato::app::RunServe(config_path);
  if (*inspect) return rubato::app::RunInspect(inspect_path);
  if (*convert) return rubato::app::RunConvert(convert_path, convert_to);
  if (*load) return rubato::app::RunLoadCommand(load_args);
  if (*trace) return rubato::app::RunTraceCommand(trace_args);
  if (*search) return rubato::app::RunSearchCommand(search_args);
  return 0;
}
