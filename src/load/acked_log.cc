#include "load/acked_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace rubato::load {
namespace {

constexpr auto kFlushEvery = std::chrono::milliseconds(250);
constexpr size_t kFlushBytes = size_t{4} << 20;

}  // namespace

Result<std::unique_ptr<AckedLog>> AckedLog::Open(const std::string& path, const BatchSet& set) {
  if (set.span_keys.size() != set.bodies.size())
    return Status::InvalidArgument("--acked-log: the span IDs of the batches are not known");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::InvalidArgument("--acked-log " + path + ": " + std::strerror(errno));
  std::unique_ptr<AckedLog> log(new AckedLog(path, fd));
  log->lines_.reserve(set.span_keys.size());
  for (const std::vector<SpanKey>& keys : set.span_keys) {
    std::string text;
    text.reserve(keys.size() * (2 * model::TraceId::kSize + 2 * model::SpanId::kSize + 2));
    for (const SpanKey& k : keys) {
      k.trace_id.AppendHex(&text);
      text.push_back(' ');
      k.span_id.AppendHex(&text);
      text.push_back('\n');
    }
    log->lines_.push_back(std::move(text));
    log->spans_per_body_.push_back(static_cast<uint32_t>(keys.size()));
  }
  log->writer_ = std::thread([l = log.get()] { l->WriterLoop(); });
  return log;
}

AckedLog::AckedLog(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

AckedLog::~AckedLog() { (void)Close(); }

void AckedLog::Record(size_t batch) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    pending_ += lines_[batch];
    spans_ += spans_per_body_[batch];
    wake = pending_.size() >= kFlushBytes;
  }
  if (wake) cv_.notify_one();
}

uint64_t AckedLog::spans() const {
  std::lock_guard lock(mu_);
  return spans_;
}

void AckedLog::WriterLoop() {
  std::string out;
  std::unique_lock lock(mu_);
  while (!closing_) {
    cv_.wait_for(lock, kFlushEvery, [this] { return closing_ || pending_.size() >= kFlushBytes; });
    if (pending_.empty()) continue;
    out.clear();
    out.swap(pending_);
    lock.unlock();
    WriteOut(out);
    lock.lock();
  }
}

void AckedLog::WriteOut(const std::string& bytes) {
  std::lock_guard lock(write_mu_);
  if (!error_.ok() || fd_ < 0) return;  // after a failure, write nothing more
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = Status::Unavailable("--acked-log " + path_ + ": write failed: " + std::strerror(n < 0 ? errno : EIO));
      return;
    }
    done += static_cast<size_t>(n);
  }
}

Status AckedLog::Close() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  cv_.notify_one();
  if (writer_.joinable()) writer_.join();
  std::string rest;
  {
    std::lock_guard lock(mu_);
    rest.swap(pending_);
  }
  if (!rest.empty()) WriteOut(rest);
  std::lock_guard lock(write_mu_);
  if (fd_ >= 0) {
    if (::close(fd_) != 0 && error_.ok())
      error_ = Status::Unavailable("--acked-log " + path_ + ": close failed: " + std::strerror(errno));
    fd_ = -1;
  }
  return error_;
}

}  // namespace rubato::load
