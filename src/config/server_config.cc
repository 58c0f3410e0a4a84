#include "config/server_config.h"

#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <memory>
#include <system_error>

#include "config/loader.h"
#include "config/typed_value.h"

namespace rubato::config {
namespace {

// Reading stops here: a config this large is a wrong path (/dev/zero, a log).
constexpr size_t kMaxConfigBytes = 16 * kMiB;

// yaml-cpp reports a tab in indentation as some other syntax error, which
// misleads; name the real cause when the line starts with a tab.
std::string TabHint(std::string_view yaml, int line) {
  size_t start = 0;
  for (int i = 0; i < line && start != std::string_view::npos; ++i) {
    start = yaml.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos) return "";
  size_t end = yaml.find_first_not_of(" \t", start);
  std::string_view indent = yaml.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  return indent.find('\t') != std::string_view::npos ? " (tabs cannot indent YAML; use spaces)" : "";
}

// Counts documents (and where the second starts) without building nodes.
struct DocumentCounter : YAML::EventHandler {
  int documents = 0;
  YAML::Mark second_start;
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents == 2) second_start = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

void Parse(std::string_view yaml, ServerConfig& config, Sink& sink) {
  // yaml-cpp reports problems by throwing; nothing of that leaves this file.
  try {
    // Not YAML::LoadAll: yaml-cpp 0.7 loops forever on some inputs there (a
    // lone "," — found by fuzz/server_config_fuzz). Count at most two
    // documents with the event parser, then load the first.
    std::string text(yaml);
    DocumentCounter counter;
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    for (int i = 0; i < 2 && parser.HandleNextDocument(counter); ++i) {
    }
    if (counter.documents == 0) return;  // an empty file, or only comments: all defaults
    if (counter.documents > 1) {
      sink.Add(Severity::kWarning, counter.second_start, "only the first YAML document is read; the rest are ignored");
    }
    WalkConfig(YAML::Load(text), config, sink);
  } catch (const YAML::Exception& e) {
    sink.Add(Severity::kError, e.mark, "YAML syntax error: " + e.msg + TabHint(yaml, e.mark.line));
  } catch (const std::exception& e) {
    sink.AddAt(Severity::kError, 0, 0, std::string("cannot load the config: ") + e.what());
  }
}

}  // namespace

ServerConfig DefaultServerConfig() { return ServerConfig{}; }

Result<ServerConfig> ParseServerConfig(std::string_view yaml, const std::string& name_for_errors) {
  ServerConfig config = DefaultServerConfig();
  config.source = name_for_errors;
  Sink sink(name_for_errors);
  Parse(yaml, config, sink);
  if (sink.has_errors()) {
    // Every error, one per line, so that a user fixes them all in one go.
    std::string message;
    for (const Diagnostic& d : sink.items()) {
      if (d.severity != Severity::kError) continue;
      if (!message.empty()) message += '\n';
      message += d.ToString();
    }
    return Status::InvalidArgument(std::move(message));
  }
  config.diagnostics = std::move(sink.items());
  return config;
}

Result<ServerConfig> LoadServerConfig(const std::string& path) {
  auto fail = [&](int err) -> Status {
    std::string msg = path + ": cannot read the config file: " + std::generic_category().message(err);
    return err == ENOENT ? Status::NotFound(std::move(msg)) : Status::InvalidArgument(std::move(msg));
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return fail(errno);
  std::string text;
  char buf[64 * 1024];
  while (size_t n = std::fread(buf, 1, sizeof buf, file.get())) {
    text.append(buf, n);
    if (text.size() > kMaxConfigBytes) {
      return Status::InvalidArgument(path + ": the config file is larger than 16 MiB; is this the right file?");
    }
  }
  if (std::ferror(file.get())) return fail(errno);  // e.g. EISDIR
  return ParseServerConfig(text, path);
}

}  // namespace rubato::config
