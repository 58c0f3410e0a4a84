#include "trace_view/waterfall.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include "trace_view/duration_text.h"

namespace rubato::trace_view {
namespace {

constexpr std::string_view kBar = "─";

// Display width in terminal columns, counting each UTF-8 code point as one.
size_t Width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Cuts `s` to at most `max` code points, ending in "…" when cut.
std::string Cut(std::string_view s, size_t max) {
  if (Width(s) <= max) return std::string(s);
  std::string out;
  size_t points = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++points > max - 1) break;
    out.push_back(s[i]);
  }
  return out + "…";
}

// Control characters would break the one-line-per-span layout.
std::string Printable(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string Pad(std::string s, size_t width) {
  size_t w = Width(s);
  if (w < width) s.append(width - w, ' ');
  return s;
}

std::string PadLeft(const std::string& s, size_t width) {
  size_t w = Width(s);
  return w < width ? std::string(width - w, ' ') + s : s;
}

struct Tree {
  std::vector<size_t> order;  // tree order: parents before children
  std::vector<int> depth;     // by input index
  std::vector<std::vector<size_t>> children;
};

// Links spans to their parents, then walks from the roots. Spans whose parent
// is missing, themselves, or part of a cycle become roots, so every span is
// drawn exactly once.
Tree BuildTree(const std::vector<WaterfallSpan>& spans) {
  Tree t;
  t.depth.assign(spans.size(), 0);
  t.children.resize(spans.size());
  std::unordered_map<std::string_view, size_t> by_id;
  for (size_t i = 0; i < spans.size(); ++i) by_id.emplace(spans[i].span_id, i);
  std::vector<size_t> roots;
  for (size_t i = 0; i < spans.size(); ++i) {
    auto it = spans[i].parent_id.empty() ? by_id.end() : by_id.find(spans[i].parent_id);
    if (it == by_id.end() || it->second == i) {
      roots.push_back(i);
    } else {
      t.children[it->second].push_back(i);  // input is sorted by start: children come out sorted
    }
  }
  std::vector<bool> seen(spans.size(), false);
  auto walk = [&](size_t root) {
    std::vector<std::pair<size_t, int>> stack{{root, 0}};
    while (!stack.empty()) {
      auto [i, d] = stack.back();
      stack.pop_back();
      if (seen[i]) continue;
      seen[i] = true;
      t.order.push_back(i);
      t.depth[i] = d;
      const auto& kids = t.children[i];
      for (auto k = kids.rbegin(); k != kids.rend(); ++k) stack.emplace_back(*k, d + 1);
    }
  };
  for (size_t r : roots) walk(r);
  for (size_t i = 0; i < spans.size(); ++i) {
    if (!seen[i]) walk(i);  // a cycle: start it at its earliest span
  }
  return t;
}

uint64_t EndOf(const WaterfallSpan& s) { return std::max(s.end_unix_nano, s.start_unix_nano); }

// Duration minus the union of the children's intervals, clipped to the span.
uint64_t SelfNanos(const std::vector<WaterfallSpan>& spans, size_t i, const std::vector<size_t>& kids) {
  uint64_t begin = spans[i].start_unix_nano, end = EndOf(spans[i]);
  uint64_t covered = 0, cursor = begin;
  for (size_t k : kids) {  // sorted by start
    uint64_t a = std::max(spans[k].start_unix_nano, cursor), b = std::min(EndOf(spans[k]), end);
    if (b > a) {
      covered += b - a;
      cursor = b;
    }
  }
  return end - begin - covered;
}

}  // namespace

std::string RenderWaterfall(const std::string& trace_id, std::vector<WaterfallSpan> spans,
                            const WaterfallOptions& options) {
  {  // one line per span ID: the same span reported twice is drawn once (the first)
    std::set<std::string> ids;
    std::vector<WaterfallSpan> unique;
    for (auto& s : spans) {
      if (ids.insert(s.span_id).second) unique.push_back(std::move(s));
    }
    spans = std::move(unique);
  }
  std::stable_sort(spans.begin(), spans.end(), [](const WaterfallSpan& a, const WaterfallSpan& b) {
    if (a.start_unix_nano != b.start_unix_nano) return a.start_unix_nano < b.start_unix_nano;
    if (a.name != b.name) return a.name < b.name;
    return a.span_id < b.span_id;
  });
  std::string out = "Trace ID: " + Printable(trace_id);
  if (spans.empty()) return out + "  (no spans)\n";

  uint64_t t0 = UINT64_MAX, t1 = 0;
  std::set<std::string_view> services;
  for (const auto& s : spans) {
    t0 = std::min(t0, s.start_unix_nano);
    t1 = std::max(t1, EndOf(s));
    services.insert(s.service);
  }
  const uint64_t total = t1 - t0;
  out += "  (" + std::to_string(spans.size()) + (spans.size() == 1 ? " span, " : " spans, ") +
         std::to_string(services.size()) + (services.size() == 1 ? " service, " : " services, ") +
         DurationText(total) + ")\n";

  Tree tree = BuildTree(spans);
  size_t hot = tree.order.front();
  uint64_t hot_self = 0;
  for (size_t i : tree.order) {
    uint64_t self = SelfNanos(spans, i, tree.children[i]);
    if (self > hot_self) hot = i, hot_self = self;
  }

  const size_t width = static_cast<size_t>(std::max(options.bar_width, 1));
  const size_t label_max = static_cast<size_t>(std::max(options.max_label, 8));
  struct Row {
    std::string label, start, end, duration;
    size_t c0, c1;
  };
  std::vector<Row> rows;
  size_t label_w = 0, start_w = 0, end_w = 0, dur_w = 0;
  for (size_t i : tree.order) {
    const WaterfallSpan& s = spans[i];
    Row r;
    size_t indent = 2 * static_cast<size_t>(std::min(tree.depth[i], std::max(options.max_indent, 0)));
    r.label = std::string(indent, ' ') + Cut(Printable("[" + s.service + "] " + s.name), label_max);
    uint64_t from = s.start_unix_nano - t0, to = EndOf(s) - t0;
    r.start = DurationText(from);
    r.end = DurationText(to);
    r.duration = DurationText(to - from);
    // Columns [c0, c1) of the timeline; every span gets at least one.
    r.c0 = total == 0 ? 0 : static_cast<size_t>(static_cast<double>(from) * width / total);
    r.c1 = total == 0 ? width : static_cast<size_t>(static_cast<double>(to) * width / total + 0.999999);
    r.c0 = std::min(r.c0, width - 1);
    r.c1 = std::clamp(r.c1, r.c0 + 1, width);
    label_w = std::max(label_w, Width(r.label));
    start_w = std::max(start_w, Width(r.start));
    end_w = std::max(end_w, Width(r.end));
    dur_w = std::max(dur_w, Width(r.duration));
    rows.push_back(std::move(r));
  }
  for (size_t n = 0; n < rows.size(); ++n) {
    const Row& r = rows[n];
    const WaterfallSpan& s = spans[tree.order[n]];
    std::string line = Pad(r.label, label_w) + "  " + std::string(r.c0, ' ') + PadLeft(r.start, start_w) + " ";
    for (size_t c = r.c0; c < r.c1; ++c) line += kBar;
    line += " " + Pad(r.end, end_w + width - r.c1) + "  " + PadLeft(r.duration, dur_w);
    if (tree.order[n] == hot && hot_self > 0) {
      uint64_t pct = total == 0 ? 100 : static_cast<uint64_t>((static_cast<unsigned __int128>(hot_self) * 100 + total / 2) / total);
      line += "  ← " + DurationText(hot_self) + " in here (" + std::to_string(pct) + "%)";
    }
    if (s.error) {
      line += "  ✗ error";
      if (!s.status_message.empty()) line += ": " + Cut(Printable(s.status_message), 80);
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace rubato::trace_view
