// SamplerShortcut: what the built-in samplers decide without asking them,
// so that starting a span under the default sampler (parentbased_always_on)
// costs a test of the parent's flags instead of two virtual calls. Private
// to the SDK.
#pragma once

#include "sdk/trace/sampler.h"

namespace rubato::sdk {

enum class SamplerShortcut {
  kNone,                  // ask the sampler
  kAlwaysOn,              // always_on: record and sample
  kParentBasedAlwaysOn,   // parentbased_always_on with the spec's delegates: follow the parent's sampled flag
};

// Which shortcut gives `sampler`'s decisions exactly (kNone for any sampler
// not built by this SDK).
SamplerShortcut ShortcutFor(const Sampler& sampler);

// The decision under a shortcut other than kNone.
inline SamplingDecision ShortcutDecision(SamplerShortcut shortcut, const SpanContext& parent) {
  if (shortcut == SamplerShortcut::kAlwaysOn || !parent.IsValid() || parent.IsSampled()) {
    return SamplingDecision::kRecordAndSample;
  }
  return SamplingDecision::kDrop;
}

}  // namespace rubato::sdk
