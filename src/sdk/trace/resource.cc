// Resource::FromEnvironment: service.name precedence (OTEL_SERVICE_NAME, the
// seed's SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, "unknown_service:<exe>"),
// the rest of OTEL_RESOURCE_ATTRIBUTES, and telemetry.sdk.*.
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "sdk/trace/env_values.h"
#include "sdk/trace/percent_codec.h"
#include "sdk/trace/tracer_provider.h"

#ifndef RUBATO_SDK_VERSION
#define RUBATO_SDK_VERSION "0.0.0"
#endif


namespace rubato::sdk {

namespace {

using Attributes = std::vector<std::pair<std::string, std::string>>;

std::string ExecutableName() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n > 0) {
    std::string_view full(path, static_cast<size_t>(n));
    size_t slash = full.rfind('/');
    return std::string(slash == std::string_view::npos ? full : full.substr(slash + 1));
  }
  return program_invocation_short_name != nullptr ? program_invocation_short_name : "";
}

// OTEL_RESOURCE_ATTRIBUTES: "k1=v1,k2=v2", keys and values percent-encoded
// (',' and '=' must be). The spec discards the whole value on any error; the
// error names the member at fault.
Result<Attributes> ParseResourceAttributes(const std::string& raw) {
  Attributes out;
  std::string_view rest = raw;
  while (true) {
    size_t comma = rest.find(',');
    std::string_view member = TrimOws(rest.substr(0, comma));
    if (!member.empty()) {
      size_t eq = member.find('=');
      if (eq == std::string_view::npos) {
        return Status::InvalidArgument("\"" + std::string(member) + "\" is not key=value");
      }
      std::optional<std::string> key = PercentDecode(TrimOws(member.substr(0, eq)));
      std::optional<std::string> value = PercentDecode(TrimOws(member.substr(eq + 1)));
      if (!key || !value) {
        return Status::InvalidArgument("bad percent-encoding in \"" + std::string(member) + "\"");
      }
      if (key->empty()) {
        return Status::InvalidArgument("empty key in \"" + std::string(member) + "\"");
      }
      bool replaced = false;
      for (auto& [k, v] : out) {
        if (k == *key) {
          v = std::move(*value);  // the last occurrence wins
          replaced = true;
        }
      }
      if (!replaced) out.emplace_back(std::move(*key), std::move(*value));
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

Resource Resource::FromEnvironment(const Environment& env, EnvWarnings* warnings) {
  Attributes from_env;
  if (std::optional<std::string> raw = env.Get("OTEL_RESOURCE_ATTRIBUTES")) {
    Result<Attributes> parsed = ParseResourceAttributes(*raw);
    if (parsed.ok()) {
      from_env = std::move(parsed).value();
    } else {
      WarnIgnored(warnings, "OTEL_RESOURCE_ATTRIBUTES", *raw,
                  "a list of key=value pairs (" + parsed.status().message() + ")");
    }
  }
  std::string service_name;
  if (std::optional<std::string> v = env.Get("OTEL_SERVICE_NAME")) {
    service_name = *v;
  } else if (std::optional<std::string> seed = env.Get("SERVICE_NAME")) {
    service_name = *seed;
  } else {
    service_name = "unknown_service:" + ExecutableName();
    for (const auto& [k, v] : from_env) {
      if (k == "service.name") service_name = v;
    }
  }

  Resource resource;
  resource.attributes.emplace_back("service.name", service_name);
  for (auto& [k, v] : from_env) {
    if (k != "service.name") resource.attributes.emplace_back(k, v);
  }
  // The SDK's own attributes, unless the environment already set them.
  const std::pair<const char*, const char*> sdk[] = {
      {"telemetry.sdk.name", "rubato"}, {"telemetry.sdk.language", "cpp"}, {"telemetry.sdk.version", RUBATO_SDK_VERSION}};
  for (const auto& [k, v] : sdk) {
    bool present = false;
    for (const auto& attr : resource.attributes) present = present || attr.first == k;
    if (!present) resource.attributes.emplace_back(k, v);
  }
  return resource;
}

}  // namespace rubato::sdk
