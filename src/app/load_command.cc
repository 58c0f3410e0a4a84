#include "app/load_command.h"

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iostream>

#include "load/runner.h"

namespace rubato::app {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void OnInterrupt(int) { g_stop.store(true); }

}  // namespace

CLI::App* AddLoadCommand(CLI::App& app, LoadArgs* a) {
  auto* c = app.add_subcommand("load", "Send the standard workload over OTLP to a server and report what happened");
  c->add_option("--protocol", a->protocol, "grpc, http-protobuf or http-json")->capture_default_str();
  c->add_option("--endpoint", a->endpoint,
                "host:port for grpc (default 127.0.0.1:4317), URL for http (default http://127.0.0.1:4318/v1/traces)");
  c->add_option("--concurrency", a->concurrency, "requests in flight (HTTP connections / gRPC calls)")
      ->capture_default_str();
  c->add_option("--rate", a->rate, "target spans/s, paced by batches; 0 = as fast as possible")->capture_default_str();
  c->add_option("--duration", a->duration, "how long to send (Go syntax: 30s, 2m, 1m30s)")->capture_default_str();
  c->add_option("--seed", a->seed, "workload seed")->capture_default_str();
  c->add_option("--batch-spans", a->batch_spans, "spans per request")->capture_default_str();
  c->add_option("--batches", a->batches, "distinct pre-encoded batches, sent in turn")->capture_default_str();
  c->add_flag("--gzip", a->gzip, "compress requests (HTTP: pre-gzipped bodies; gRPC: call compression)");
  c->add_option("--header", a->headers, "K=V sent with every request (repeatable), e.g. X-Scope-OrgID=tenant1")
      ->allow_extra_args(false);  // one K=V per --header
  c->add_option("--dump", a->dump_path, "write the pre-encoded batches to FILE and exit (docs/format/load-dump.md)");
  c->add_option("--replay", a->replay_path, "send the batches from FILE (written by --dump) instead of generating");
  c->add_option("--acked-log", a->acked_log_path,
                "after each fully acknowledged request (HTTP 2xx / gRPC OK, no partial success) append "
                "'<trace id hex> <span id hex>' per span of it to FILE (created or appended to; written "
                "every 250 ms and at exit; docs/format/load-dump.md)");
  c->add_flag("--fresh-trace-ids", a->fresh_trace_ids,
              "rewrite the trace IDs on each pass over the batches, so every pass sends new traces "
              "(storage benchmarks: without it, later passes repeat the first pass's traces)");
  c->add_flag("--json", a->json, "print the final report as one JSON object on stdout");
  c->add_flag("--quiet,-q", a->quiet, "no progress lines on stderr");
  return c;
}

int RunLoadCommand(const LoadArgs& a) {
  auto fail = [](const std::string& msg, int code) {
    std::cerr << "rubato load: " << msg << "\n";
    return code;
  };
  load::LoadOptions o;
  auto protocol = load::ParseProtocol(a.protocol);
  if (!protocol.ok()) return fail(protocol.status().message(), 2);
  o.protocol = *protocol;
  o.endpoint = a.endpoint;
  o.concurrency = a.concurrency;
  o.rate = a.rate;
  auto duration = load::ParseGoDuration(a.duration);
  if (!duration.ok()) return fail(duration.status().message(), 2);
  o.duration = *duration;
  o.seed = a.seed;
  o.batch_spans = a.batch_spans;
  o.batches = a.batches;
  o.gzip = a.gzip;
  for (const auto& h : a.headers) {
    auto kv = load::ParseHeader(h);
    if (!kv.ok()) return fail(kv.status().message(), 2);
    o.headers.push_back(*kv);
  }
  o.dump_path = a.dump_path;
  o.replay_path = a.replay_path;
  o.acked_log_path = a.acked_log_path;
  o.fresh_trace_ids = a.fresh_trace_ids;
  o.json = a.json;
  o.progress = !a.quiet;

  if (!o.dump_path.empty()) {
    auto summary = load::DumpBatches(o);
    if (!summary.ok()) return fail(summary.status().message(), 1);
    std::cerr << "rubato load: " << *summary << "\n";
    return 0;
  }

  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  auto report = load::RunLoad(o, &std::cerr, &g_stop);
  if (!report.ok()) {
    StatusCode code = report.status().code();
    return fail(report.status().message(), code == StatusCode::kInvalidArgument ? 2 : 1);
  }
  std::cout << (o.json ? load::FormatJson(*report, o.protocol) : load::FormatText(*report, o.protocol)) << std::flush;
  if (!report->acked_log_error.empty()) return fail(report->acked_log_error, 1);
  if (report->stats.spans_accepted == 0) {
    std::string why = report->first_error.empty() ? "" : " (first error: " + report->first_error + ")";
    return fail("the server at " + report->endpoint + " accepted no spans" + why, 1);
  }
  return 0;
}

}  // namespace rubato::app
