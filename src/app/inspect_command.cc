#include "app/inspect_command.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include "model/batch.h"
#include "otlp/json_decoder.h"
#include "otlp/json_encoder.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/tempo_json.h"

namespace rubato::app {
namespace {

Status ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  std::ostringstream os;
  os << in.rdbuf();
  *out = os.str();
  return Status::Ok();
}

bool LooksLikeJson(std::string_view bytes) {
  size_t i = bytes.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && bytes[i] == '{';
}

// Reads and decodes an OTLP request file, guessing JSON or protobuf from its first byte.
Status Load(const std::string& path, model::Batch* batch, const char** format) {
  std::string bytes;
  if (Status s = ReadFile(path, &bytes); !s.ok()) return s;
  if (LooksLikeJson(bytes)) {
    *format = "OTLP/JSON";
    return otlp::DecodeJson(bytes, batch);
  }
  *format = "OTLP/protobuf";
  return otlp::DecodeProtobuf(std::move(bytes), batch);
}

std::string_view ServiceName(const model::Batch& b, const model::Span& s) {
  for (const auto& kv : b.Attributes(b.ResourceOf(s).attributes)) {
    if (kv.key == "service.name" && kv.value.kind == model::ValueKind::kString) return kv.value.str;
  }
  return "unknown_service";
}

const char* KindName(model::SpanKind k) {
  static const char* kNames[] = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
  auto i = static_cast<int32_t>(k);
  return i >= 0 && i < 6 ? kNames[i] : "?";
}

class TreePrinter {
 public:
  explicit TreePrinter(const model::Batch& b) : b_(b) {}

  void Print() {
    std::map<model::TraceId, std::vector<uint32_t>> traces;
    for (uint32_t i = 0; i < b_.spans.size(); ++i) traces[b_.spans[i].trace_id].push_back(i);
    for (auto& [id, spans] : traces) PrintTrace(id, spans);
  }

 private:
  void PrintTrace(const model::TraceId& id, std::vector<uint32_t>& spans) {
    std::sort(spans.begin(), spans.end(), [&](uint32_t x, uint32_t y) {
      return b_.spans[x].start_time_unix_nano < b_.spans[y].start_time_unix_nano;
    });
    uint64_t start = UINT64_MAX, end = 0;
    std::map<model::SpanId, uint32_t> by_id;
    for (uint32_t i : spans) {
      start = std::min(start, b_.spans[i].start_time_unix_nano);
      end = std::max(end, b_.spans[i].end_time_unix_nano);
      by_id[b_.spans[i].span_id] = i;
    }
    children_.clear();
    std::vector<uint32_t> tops;  // roots, and spans whose parent is not in this request
    for (uint32_t i : spans) {
      const model::Span& s = b_.spans[i];
      if (!s.is_root() && by_id.count(s.parent_span_id)) {
        children_[by_id[s.parent_span_id]].push_back(i);
      } else {
        tops.push_back(i);
      }
    }
    std::printf("trace %s  %zu spans  %.3f ms\n", id.ToHex().c_str(), spans.size(), (end - start) / 1e6);
    for (uint32_t i : tops) PrintSpan(i, 1, start);
  }

  void PrintSpan(uint32_t i, int depth, uint64_t trace_start) {
    const model::Span& s = b_.spans[i];
    std::string status;
    if (s.status_code == model::StatusCode::kError) status = "  ERROR " + std::string(s.status_message);
    std::printf("%*s[%.*s] %.*s  %s  +%.3f ms  %.3f ms%s\n", depth * 2, "", static_cast<int>(ServiceName(b_, s).size()),
                ServiceName(b_, s).data(), static_cast<int>(s.name.size()), s.name.data(), KindName(s.kind),
                (s.start_time_unix_nano - trace_start) / 1e6, s.duration_nanos() / 1e6, status.c_str());
    for (uint32_t c : children_[i]) PrintSpan(c, depth + 1, trace_start);
  }

  const model::Batch& b_;
  std::map<uint32_t, std::vector<uint32_t>> children_;
};

}  // namespace

int RunInspect(const std::string& path) {
  model::Batch batch;
  const char* format = "";
  if (Status s = Load(path, &batch, &format); !s.ok()) {
    std::cerr << "rubato inspect: " << path << ": " << s.message() << "\n";
    return 1;
  }
  std::printf("%s: %s, %zu resources, %zu scopes, %zu spans, %zu attributes\n", path.c_str(), format,
              batch.resources.size(), batch.scopes.size(), batch.spans.size(), batch.attributes.size());
  TreePrinter(batch).Print();
  return 0;
}

int RunConvert(const std::string& path, const std::string& to) {
  model::Batch batch;
  const char* format = "";
  if (Status s = Load(path, &batch, &format); !s.ok()) {
    std::cerr << "rubato convert: " << path << ": " << s.message() << "\n";
    return 1;
  }
  std::string out;
  if (to == "protobuf") out = otlp::EncodeProtobuf(batch);
  else if (to == "otlp-json") out = otlp::EncodeJson(batch);
  else if (to == "tempo-v1") out = otlp::EncodeTempoTrace(batch, otlp::TempoShape::kV1Batches);
  else if (to == "tempo-v2") out = otlp::EncodeTempoTrace(batch, otlp::TempoShape::kV2Trace);
  else {
    std::cerr << "rubato convert: unknown format '" << to << "' (protobuf, otlp-json, tempo-v1, tempo-v2)\n";
    return 2;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace rubato::app
