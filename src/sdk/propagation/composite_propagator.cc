// Composition of propagators, OTEL_PROPAGATORS, and the process-wide one.
#include <atomic>
#include <mutex>
#include <string>

#include "sdk/propagation/text_map.h"
#include "sdk/trace/env_values.h"

namespace rubato::sdk {

namespace {

class Composite final : public TextMapPropagator {
 public:
  explicit Composite(std::vector<std::unique_ptr<TextMapPropagator>> parts) : parts_(std::move(parts)) {}

  void Inject(const Context& context, TextMapCarrier& carrier) const override {
    for (const auto& p : parts_) p->Inject(context, carrier);
  }

  Context Extract(const TextMapCarrier& carrier, const Context& base) const override {
    Context context = base;
    for (const auto& p : parts_) context = p->Extract(carrier, context);
    return context;
  }

 private:
  std::vector<std::unique_ptr<TextMapPropagator>> parts_;
};

std::unique_ptr<TextMapPropagator> DefaultPropagator() {
  std::vector<std::unique_ptr<TextMapPropagator>> parts;
  parts.push_back(TraceContextPropagator());
  parts.push_back(BaggagePropagator());
  return CompositePropagator(std::move(parts));
}

// Replaced propagators are kept (never freed): a thread may still be using
// the reference GlobalPropagator() gave it.
struct Global {
  std::mutex mu;
  std::vector<std::unique_ptr<TextMapPropagator>> all;
  std::atomic<const TextMapPropagator*> current{nullptr};
};

Global& GetGlobal() {
  static auto* global = [] {
    auto* g = new Global;
    g->all.push_back(DefaultPropagator());
    g->current.store(g->all.back().get());
    return g;
  }();
  return *global;
}

}  // namespace

std::unique_ptr<TextMapPropagator> CompositePropagator(std::vector<std::unique_ptr<TextMapPropagator>> parts) {
  return std::make_unique<Composite>(std::move(parts));
}

std::unique_ptr<TextMapPropagator> PropagatorFromEnvironment(const Environment& env, EnvWarnings* warnings) {
  constexpr std::string_view kDefault = "tracecontext,baggage";
  const std::optional<std::string> set = env.Get("OTEL_PROPAGATORS");
  const std::string value = set.value_or(std::string(kDefault));
  std::vector<std::string> seen;
  std::vector<std::unique_ptr<TextMapPropagator>> parts;
  bool none = false;
  std::string_view rest = value;
  while (true) {
    size_t comma = rest.find(',');
    std::string name(TrimOws(rest.substr(0, comma)));
    bool duplicate = false;
    for (const std::string& s : seen) duplicate = duplicate || s == name;
    if (!name.empty() && !duplicate) {  // the spec deduplicates
      seen.push_back(name);
      if (name == "tracecontext") {
        parts.push_back(TraceContextPropagator());
      } else if (name == "baggage") {
        parts.push_back(BaggagePropagator());
      } else if (name == "none") {
        none = true;
      } else {
        WarnIgnored(warnings, "OTEL_PROPAGATORS", value, "a list of tracecontext, baggage and none",
                    "\"" + name + "\" ignored");
      }
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // Nothing usable named (a typo, say): the default, as for any unusable setting.
  if (parts.empty() && !none && set) {
    WarnIgnored(warnings, "OTEL_PROPAGATORS", value, "a list naming a supported propagator",
                "using " + std::string(kDefault));
    Environment defaults = Environment::FromMap({{"OTEL_PROPAGATORS", std::string(kDefault)}});
    return PropagatorFromEnvironment(defaults, warnings);
  }
  return CompositePropagator(std::move(parts));
}

const TextMapPropagator& GlobalPropagator() { return *GetGlobal().current.load(std::memory_order_acquire); }

void SetGlobalPropagator(std::unique_ptr<TextMapPropagator> propagator) {
  if (!propagator) return;
  Global& g = GetGlobal();
  std::lock_guard lock(g.mu);
  g.all.push_back(std::move(propagator));
  g.current.store(g.all.back().get(), std::memory_order_release);
}

}  // namespace rubato::sdk
