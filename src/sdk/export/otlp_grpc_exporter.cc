#include "sdk/export/otlp_grpc_exporter.h"

#include <grpc/compression.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cctype>

#include "otlp/protobuf_encoder.h"
#include "otlp/reverse_writer.h"
#include "sdk/export/endpoint_url.h"
#include "sdk/export/user_agent.h"

namespace rubato::sdk {

namespace {

using Clock = std::chrono::steady_clock;

const std::string kExportMethod = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

const char* CodeName(grpc::StatusCode c) {
  static constexpr const char* kNames[] = {
      "OK",        "CANCELLED",         "UNKNOWN",        "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
      "OUT_OF_RANGE", "UNIMPLEMENTED",   "INTERNAL",       "UNAVAILABLE",      "DATA_LOSS",         "UNAUTHENTICATED"};
  int i = static_cast<int>(c);
  return i >= 0 && i < 17 ? kNames[i] : "UNKNOWN";
}

bool AlwaysRetryable(grpc::StatusCode c) {
  switch (c) {
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DATA_LOSS:
      return true;
    default:
      return false;
  }
}

Status PermanentStatus(grpc::StatusCode c, std::string message) {
  if (c == grpc::StatusCode::INVALID_ARGUMENT) return Status::InvalidArgument(std::move(message));
  if (c == grpc::StatusCode::RESOURCE_EXHAUSTED) return Status::ResourceExhausted(std::move(message));
  return Status::Internal(std::move(message));
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// gRPC refuses, call by call, metadata outside its alphabet: say so once, up front.
Status CheckMetadata(const std::string& key, const std::string& value) {
  for (char c : key) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '_' || c == '.'))
      return Status::InvalidArgument("header \"" + key + "\" is not a gRPC metadata key (a-z, 0-9, - _ .)");
  }
  if (key.ends_with("-bin")) return Status::Ok();  // binary values: any bytes
  for (char c : value) {
    if (c < 0x20 || c > 0x7e)
      return Status::InvalidArgument("the value of header \"" + key + "\" is not printable ASCII, as gRPC requires");
  }
  return Status::Ok();
}

// The gRPC target and whether it takes TLS, from the endpoint option.
Result<std::pair<std::string, bool>> Target(const OtlpExporterOptions& o) {
  if (!HasHttpScheme(o.endpoint)) {
    if (o.endpoint.empty()) return Status::InvalidArgument("OTLP/gRPC endpoint is empty");
    return std::make_pair(o.endpoint, !o.insecure);
  }
  Result<EndpointUrl> url = ParseEndpointUrl(o.endpoint);
  if (!url.ok()) {
    Status s = url.status();
    return s.Prepend("OTLP/gRPC endpoint \"" + o.endpoint + "\"");
  }
  return std::make_pair(url->HostPort(), url->scheme == "https");
}

}  // namespace

struct OtlpGrpcExporter::Impl {
  OtlpExporterOptions options;
  std::string target;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<grpc::GenericStub> stub;
  grpc::CompletionQueue cq;
  otlp::ReverseWriter request{64 << 10};  // reused: no allocation once grown
  Retrier retrier;
  ExportCounters counters;
  std::mutex export_mu;  // one Export at a time
  std::mutex call_mu;    // guards `call`, for Shutdown's TryCancel
  grpc::ClientContext* call = nullptr;
  std::atomic<bool> shut_down{false};

  explicit Impl(OtlpExporterOptions o) : options(std::move(o)), retrier(options.retry) {}
  ~Impl() {
    cq.Shutdown();
    void* tag;
    bool ok;
    while (cq.Next(&tag, &ok)) {}
  }
  AttemptResult Attempt(size_t spans, Clock::time_point deadline);
};

Result<std::unique_ptr<OtlpGrpcExporter>> OtlpGrpcExporter::Create(OtlpExporterOptions options) {
  if (options.protocol != OtlpProtocol::kGrpc)
    return Status::InvalidArgument("OtlpGrpcExporter speaks grpc, not " + std::string(ProtocolName(options.protocol)));
  Result<std::pair<std::string, bool>> target = Target(options);
  if (!target.ok()) return target.status();
  auto impl = std::make_unique<Impl>(std::move(options));
  Impl& m = *impl;
  m.options.timeout = EffectiveTimeout(m.options.timeout);
  m.target = target->first;
  for (const auto& [k, v] : m.options.headers) {
    std::string key = k;  // gRPC metadata keys are lower case
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    Status s = CheckMetadata(key, v);
    if (!s.ok()) return s;
    m.metadata.emplace_back(std::move(key), v);
  }
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(-1);
  args.SetUserAgentPrefix(kOtlpUserAgent);
  if (m.options.compression == OtlpCompression::kGzip) args.SetCompressionAlgorithm(GRPC_COMPRESS_GZIP);
  std::shared_ptr<grpc::ChannelCredentials> creds =
      target->second ? grpc::SslCredentials(grpc::SslCredentialsOptions()) : grpc::InsecureChannelCredentials();
  m.channel = grpc::CreateCustomChannel(m.target, creds, args);
  m.stub = std::make_unique<grpc::GenericStub>(m.channel);
  return std::unique_ptr<OtlpGrpcExporter>(new OtlpGrpcExporter(std::move(impl)));
}

OtlpGrpcExporter::OtlpGrpcExporter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OtlpGrpcExporter::~OtlpGrpcExporter() { Shutdown(); }

const std::string& OtlpGrpcExporter::target() const { return impl_->target; }
ExportStats OtlpGrpcExporter::stats() const { return impl_->counters.Snapshot(); }

Status OtlpGrpcExporter::Export(const model::Batch& batch) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lock(m.export_mu);
  if (m.shut_down.load()) return Status::Unavailable("the OTLP/gRPC exporter is shut down");
  otlp::EncodeProtobuf(batch, &m.request);
  size_t spans = batch.spans.size();
  Status s = m.retrier.Run(Clock::now() + m.options.timeout,
                           [&](Clock::time_point deadline) { return m.Attempt(spans, deadline); });
  m.counters.Finished(s.ok(), spans);
  m.counters.Retries(m.retrier.retries());
  return s;
}

AttemptResult OtlpGrpcExporter::Impl::Attempt(size_t spans, Clock::time_point deadline) {
  counters.Attempt();
  grpc::ClientContext context;
  // gRPC takes system_clock deadlines; the export's clock is steady_clock.
  context.set_deadline(std::chrono::system_clock::now() + (deadline - Clock::now()));
  for (const auto& [k, v] : metadata) context.AddMetadata(k, v);
  {
    std::lock_guard<std::mutex> lock(call_mu);
    if (shut_down.load()) return AttemptResult::Permanent(Status::Unavailable("the OTLP/gRPC exporter is shut down"));
    call = &context;
  }
  // A static slice points at the encoder's bytes, which outlive the call: no copy.
  std::string_view bytes = request.view();
  grpc::Slice slice(bytes.data(), bytes.size(), grpc::Slice::STATIC_SLICE);
  grpc::ByteBuffer body(&slice, 1);
  grpc::ByteBuffer answer;
  grpc::Status status;
  auto reader = stub->PrepareUnaryCall(&context, kExportMethod, body, &cq);
  reader->StartCall();
  reader->Finish(&answer, &status, this);
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  {
    std::lock_guard<std::mutex> lock(call_mu);
    call = nullptr;
  }
  if (status.ok()) {
    Result<PartialSuccess> ps = ParsePartialSuccess(Flatten(answer), false);
    if (ps.ok() && ps->present()) counters.PartialSuccessFrom(target, *ps, spans, options.diagnostics);
    return AttemptResult::Delivered();
  }
  grpc::StatusCode code = status.error_code();
  std::string message = std::string("gRPC ") + CodeName(code) + " from " + target + ": " + status.error_message();
  std::optional<std::chrono::nanoseconds> delay = RetryInfoDelay(status.error_details());
  bool retryable = AlwaysRetryable(code) || (code == grpc::StatusCode::RESOURCE_EXHAUSTED && delay.has_value());
  if (!retryable) return AttemptResult::Permanent(PermanentStatus(code, std::move(message)));
  return AttemptResult::Transient(Status::Unavailable(std::move(message)), delay);
}

void OtlpGrpcExporter::Shutdown() {
  Impl& m = *impl_;
  if (m.shut_down.exchange(true)) return;
  m.retrier.Cancel();
  std::lock_guard<std::mutex> lock(m.call_mu);
  if (m.call != nullptr) m.call->TryCancel();
}

}  // namespace rubato::sdk
