// Rubato's own metrics (what /metrics exposes about the process itself):
// counters, gauges and histograms with labels, rendered in Prometheus' text
// format. Registration takes a lock once; updates are lock-free atomics.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rubato::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void Add(int64_t d) { value_.fetch_add(d, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Cumulative buckets with fixed upper bounds (seconds, bytes, ...).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  // Snapshot for rendering and tests: per-bucket (non-cumulative) counts, +Inf last.
  std::vector<uint64_t> BucketCounts() const;
  const std::vector<double>& bounds() const { return bounds_; }
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micro_{0};  // sum in millionths, so it can be an integer atomic
};

// Latency buckets from 100 µs to 10 s, roughly ×2.5 apart.
std::vector<double> LatencyBuckets();

class Registry {
 public:
  // Each returns the same object for the same name and labels; the pointer is
  // valid for the registry's life. help is taken from the first registration.
  Counter* GetCounter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge* GetGauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram* GetHistogram(const std::string& name, const std::string& help, const Labels& labels,
                          const std::vector<double>& bounds);
  // A counter whose value is read from `read` at render time: for components
  // that keep their own atomics (the gRPC receiver).
  void AddCounterFunc(const std::string& name, const std::string& help, const Labels& labels,
                      std::function<uint64_t()> read);
  void AddGaugeFunc(const std::string& name, const std::string& help, const Labels& labels,
                    std::function<int64_t()> read);
  // The whole registry in the Prometheus text exposition format 0.0.4.
  std::string Render() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Family {
    Type type;
    std::string help;
    std::map<std::string, std::unique_ptr<Counter>> counters;  // keyed by rendered labels
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
    std::map<std::string, std::function<uint64_t()>> counter_funcs;
    std::map<std::string, std::function<int64_t()>> gauge_funcs;
  };
  Family& FamilyFor(const std::string& name, const std::string& help, Type type);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// `{a="1",b="x\"y"}` with Prometheus escaping; "" for no labels.
std::string RenderLabels(const Labels& labels);

}  // namespace rubato::metrics
