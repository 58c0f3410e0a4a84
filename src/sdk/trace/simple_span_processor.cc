// The simple span processor: exports each sampled span as it ends, on the
// thread that ended it (tests, debugging; it blocks that thread).
#include <mutex>

#include "sdk/trace/batch_builder.h"
#include "sdk/trace/span_processor.h"

namespace rubato::sdk {

namespace {

class SimpleProcessor final : public SpanProcessor {
 public:
  explicit SimpleProcessor(std::unique_ptr<SpanExporter> exporter) : exporter_(std::move(exporter)) {}
  ~SimpleProcessor() override { Shutdown(); }

  void OnEnd(const SpanRecord& span) override {
    if (!span.sampled()) {
      ReleaseRecord(span);
      return;
    }
    std::lock_guard lock(mu_);  // the exporter sees one call at a time
    if (shut_down_) {
      ReleaseRecord(span);
      return;
    }
    SpanView view = SpanView::Of(span);
    builder_.Build({&view, 1}, &batch_);
    ReleaseRecord(span);
    (void)exporter_->Export(batch_);
  }

  Status ForceFlush(std::chrono::milliseconds timeout) override {
    std::lock_guard lock(mu_);
    return shut_down_ ? Status::Ok() : exporter_->ForceFlush(timeout);
  }

  void Shutdown() override {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    exporter_->Shutdown();
  }

 private:
  std::mutex mu_;
  std::unique_ptr<SpanExporter> exporter_;
  BatchBuilder builder_;
  model::Batch batch_;
  bool shut_down_ = false;
};

}  // namespace

std::unique_ptr<SpanProcessor> SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter) {
  return std::make_unique<SimpleProcessor>(std::move(exporter));
}

}  // namespace rubato::sdk
