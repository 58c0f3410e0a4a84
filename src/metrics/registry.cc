#include "metrics/registry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace rubato::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();  // le: v <= bound
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  if (v > 0) sum_micro_.fetch_add(static_cast<uint64_t>(std::llround(v * 1e6)), std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::BucketCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  for (size_t i = 0; i < out.size(); ++i) out[i] = buckets_[i].load(std::memory_order_relaxed);
  return out;
}

double Histogram::sum() const { return static_cast<double>(sum_micro_.load(std::memory_order_relaxed)) / 1e6; }

std::vector<double> LatencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first + "=\"";
    for (char c : labels[i].second) {
      if (c == '\\') out += "\\\\";
      else if (c == '"') out += "\\\"";
      else if (c == '\n') out += "\\n";
      else out += c;
    }
    out += '"';
  }
  return out + "}";
}

Registry::Family& Registry::FamilyFor(const std::string& name, const std::string& help, Type type) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.type = type;
    it->second.help = help;
  } else if (it->second.type != type) {
    throw std::logic_error("metric " + name + " registered with two types");  // a programming error
  }
  return it->second;
}

Counter* Registry::GetCounter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyFor(name, help, Type::kCounter).counters[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return slot.get();
}

Gauge* Registry::GetGauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyFor(name, help, Type::kGauge).gauges[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return slot.get();
}

Histogram* Registry::GetHistogram(const std::string& name, const std::string& help, const Labels& labels,
                                  const std::vector<double>& bounds) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyFor(name, help, Type::kHistogram).histograms[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Histogram>(bounds);
  return slot.get();
}

void Registry::AddCounterFunc(const std::string& name, const std::string& help, const Labels& labels,
                              std::function<uint64_t()> read) {
  std::lock_guard lock(mu_);
  FamilyFor(name, help, Type::kCounter).counter_funcs[RenderLabels(labels)] = std::move(read);
}

void Registry::AddGaugeFunc(const std::string& name, const std::string& help, const Labels& labels,
                            std::function<int64_t()> read) {
  std::lock_guard lock(mu_);
  FamilyFor(name, help, Type::kGauge).gauge_funcs[RenderLabels(labels)] = std::move(read);
}

namespace {

std::string FormatDouble(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  // Prefer the short form when it reads back the same.
  char shorter[32];
  std::snprintf(shorter, sizeof shorter, "%g", v);
  return std::strtod(shorter, nullptr) == v ? shorter : buf;
}

// Inserts le="..." into a rendered label set.
std::string WithLe(const std::string& labels, const std::string& le) {
  std::string le_label = "le=\"" + le + "\"";
  if (labels.empty()) return "{" + le_label + "}";
  return labels.substr(0, labels.size() - 1) + "," + le_label + "}";
}

}  // namespace

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    static const char* kTypes[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + name + " " + f.help + "\n# TYPE " + name + " " + kTypes[static_cast<int>(f.type)] + "\n";
    // Counters and counter functions share a family; merge them in label order.
    std::map<std::string, uint64_t> counters;
    for (const auto& [labels, c] : f.counters) counters[labels] = c->value();
    for (const auto& [labels, read] : f.counter_funcs) counters[labels] = read();
    for (const auto& [labels, v] : counters) out += name + labels + " " + std::to_string(v) + "\n";
    std::map<std::string, int64_t> gauges;
    for (const auto& [labels, g] : f.gauges) gauges[labels] = g->value();
    for (const auto& [labels, read] : f.gauge_funcs) gauges[labels] = read();
    for (const auto& [labels, v] : gauges) out += name + labels + " " + std::to_string(v) + "\n";
    for (const auto& [labels, h] : f.histograms) {
      auto counts = h->BucketCounts();
      uint64_t cumulative = 0;
      for (size_t i = 0; i < counts.size(); ++i) {
        cumulative += counts[i];
        std::string le = i < h->bounds().size() ? FormatDouble(h->bounds()[i]) : "+Inf";
        out += name + "_bucket" + WithLe(labels, le) + " " + std::to_string(cumulative) + "\n";
      }
      out += name + "_sum" + labels + " " + FormatDouble(h->sum()) + "\n";
      out += name + "_count" + labels + " " + std::to_string(cumulative) + "\n";
    }
  }
  return out;
}

}  // namespace rubato::metrics
