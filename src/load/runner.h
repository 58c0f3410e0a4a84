// `rubato load` end to end: prepare the batch set (generate or replay),
// connect, send for the duration with progress, and build the report. Also
// the --dump path. The CLI (app/load_command.cc) only parses and prints.
#pragma once

#include <atomic>
#include <ostream>

#include "load/options.h"
#include "load/report.h"
#include "status/status.h"

namespace rubato::load {

// Runs the load. Progress lines go to *progress (if non-null and
// options.progress). `stop` (may be null) ends the run early when set.
// Errors: InvalidArgument (options, replay file), Unavailable (the endpoint
// cannot be reached before the clock starts; the message names it).
Result<Report> RunLoad(const LoadOptions& options, std::ostream* progress, std::atomic<bool>* stop = nullptr);

// --dump: generates the batch set the options describe and writes it to
// options.dump_path. Returns a one-line summary.
Result<std::string> DumpBatches(const LoadOptions& options);

}  // namespace rubato::load
