#include "store/shared_traces.h"

#include <queue>

namespace rubato::store {
namespace {

// One run's position in its index pages.
struct PageCursor {
  const block::BlockReader* reader;
  uint32_t next_page, end_page;
  block::IndexPage page;
  size_t at = 0;

  // Loads pages until one has an entry left; false at the run's end.
  Result<bool> Ready() {
    while (at >= page.traces.size()) {
      if (next_page >= end_page) return false;
      auto p = reader->ReadIndexPage(next_page++);
      if (!p.ok()) return p.status();
      page = std::move(p).value();
      at = 0;
    }
    return true;
  }
  const model::TraceId& id() const { return page.traces[at].id; }
};

}  // namespace

Result<SharedTraces> CountSharedTraces(const std::vector<const block::BlockReader*>& inputs) {
  std::vector<PageCursor> cursors;
  for (const block::BlockReader* r : inputs) {
    for (uint32_t run = 0; run < r->run_count(); ++run) {
      auto [first, end] = r->run_row_groups(run);
      cursors.push_back({r, first, end, {}, 0});
    }
  }
  auto later = [&](size_t a, size_t b) { return cursors[b].id() < cursors[a].id(); };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  for (size_t i = 0; i < cursors.size(); ++i) {
    auto ready = cursors[i].Ready();
    if (!ready.ok()) return ready.status();
    if (*ready) heap.push(i);
  }
  SharedTraces out;
  model::TraceId previous;
  uint64_t run_of_previous = 0;  // parts with the previous ID so far
  while (!heap.empty()) {
    size_t i = heap.top();
    heap.pop();
    const model::TraceId id = cursors[i].id();
    ++out.parts;
    if (out.parts > 1 && id == previous) {
      out.shared += run_of_previous == 1 ? 2 : 1;  // the first part of the ID counts once it has company
      ++run_of_previous;
    } else {
      previous = id;
      run_of_previous = 1;
    }
    ++cursors[i].at;
    auto ready = cursors[i].Ready();
    if (!ready.ok()) return ready.status();
    if (*ready) heap.push(i);
  }
  return out;
}

}  // namespace rubato::store
