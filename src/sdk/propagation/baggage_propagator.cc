// "baggage": the W3C Baggage header.
#include "sdk/propagation/baggage_codec.h"
#include "sdk/propagation/text_map.h"

namespace rubato::sdk {

namespace {

class Baggage final : public TextMapPropagator {
 public:
  void Inject(const Context& context, TextMapCarrier& carrier) const override {
    if (context.baggage().empty()) return;
    std::string value = SerializeBaggage(context.baggage());
    if (!value.empty()) carrier.Set("baggage", value);
  }

  Context Extract(const TextMapCarrier& carrier, const Context& base) const override {
    std::vector<std::string_view> values = carrier.GetAll("baggage");
    if (values.empty()) return base;
    std::string combined;
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) combined.push_back(',');
      combined.append(values[i]);
    }
    std::vector<BaggageEntry> entries = ParseBaggage(combined);
    if (entries.empty()) return base;
    return base.WithBaggage(std::move(entries));
  }
};

}  // namespace

std::unique_ptr<TextMapPropagator> BaggagePropagator() { return std::make_unique<Baggage>(); }

}  // namespace rubato::sdk
