// Fork-join over a few threads: what the search scan, catalog builds, search
// completion and WAL replay each need, with nothing kept between calls.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace rubato::parallel {

// Runs work(w) for every w in [0, threads), w = 0 on the calling thread, and
// returns when all have returned. threads = 0 counts as 1.
template <typename Work>
void ForkJoin(unsigned threads, Work&& work) {
  std::vector<std::thread> helpers;
  for (unsigned w = 1; w < threads; ++w) helpers.emplace_back([&work, w] { work(w); });
  work(0u);
  for (std::thread& t : helpers) t.join();
}

// Threads for `jobs` independent jobs: `wanted` (0: one per core), at most one per job, at least 1.
inline unsigned ThreadsFor(size_t jobs, unsigned wanted = 0) {
  unsigned threads = wanted ? wanted : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, jobs)));
}

}  // namespace rubato::parallel
