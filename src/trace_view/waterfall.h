// The waterfall of one trace, as the seed's figure draws it: one line per span,
// "[service] name", indented under its parent, then its start offset, a bar
// scaled to the trace, its end offset and its duration; the span where most
// of the time went (largest self time) is marked "← 269ms in here (79%)".
// Input is plain data so the layout is testable without a server.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rubato::trace_view {

struct WaterfallSpan {
  std::string span_id;    // any unique text (hex in practice)
  std::string parent_id;  // "" for a root; an unknown parent makes the span a root too
  std::string service;
  std::string name;
  uint64_t start_unix_nano = 0;
  uint64_t end_unix_nano = 0;
  bool error = false;
  std::string status_message;
};

struct WaterfallOptions {
  int bar_width = 30;    // columns of the timeline the longest span fills
  int max_label = 72;    // longer "[service] name" labels are cut with "…"
  int max_indent = 16;   // deeper spans are drawn at this depth (and keep their order)
};

// The whole picture: a "Trace ID: ..." header line, then one line per span
// in tree order (children after their parent, siblings by start time). An
// empty span list gives just the header. Never fails: cycles and duplicate
// span IDs are broken up deterministically.
std::string RenderWaterfall(const std::string& trace_id, std::vector<WaterfallSpan> spans,
                            const WaterfallOptions& options = {});

}  // namespace rubato::trace_view
