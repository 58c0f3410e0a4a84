// `rubato load --acked-log FILE`: after every request the server fully
// acknowledged (HTTP 2xx / gRPC OK, no partial success), one line per span of
// that request: "<trace id, 32 hex digits> <span id, 16 hex digits>\n". The
// crash tests (tests/e2e/crash) read it to check that every acknowledged span
// is retrievable exactly once. The file is appended to, so several runs can
// share it.
//
// Recording costs one memcpy of pre-formatted lines under a mutex; a thread
// writes the buffer out every 250 ms (and when it grows past 4 MiB), and
// Close writes the rest. After a write error nothing more is written (the
// error is returned by Close); an incomplete log only under-reports.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "load/batch_set.h"
#include "status/status.h"

namespace rubato::load {

class AckedLog {
 public:
  // Opens (creates or appends to) `path` and formats each body's lines.
  // `set.span_keys` must be filled (FillSpanKeys for a replayed set).
  static Result<std::unique_ptr<AckedLog>> Open(const std::string& path, const BatchSet& set);
  ~AckedLog();

  // Body `batch` was fully acknowledged. Thread-safe.
  void Record(size_t batch);
  // Writes what is buffered, stops the writer thread and closes the file.
  // Returns the first write error of the whole run, if any. Idempotent.
  Status Close();

  uint64_t spans() const;  // spans recorded so far
  const std::string& path() const { return path_; }

 private:
  AckedLog(std::string path, int fd);
  void WriterLoop();
  void WriteOut(const std::string& bytes);  // writer thread or Close only

  std::string path_;
  int fd_ = -1;
  std::vector<std::string> lines_;        // per body, pre-formatted
  std::vector<uint32_t> spans_per_body_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;  // guarded by mu_
  uint64_t spans_ = 0;   // guarded by mu_
  bool closing_ = false; // guarded by mu_
  std::mutex write_mu_;  // one writer at a time
  Status error_;         // guarded by write_mu_
  std::thread writer_;
};

}  // namespace rubato::load
