// Copyright 2026 The Barrage Authors.

#include "agent/daemon/grpc_control_stream.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "agent/daemon/agent_daemon.h"
#include "barrage/v1/agent.grpc.pb.h"

namespace barrage {
namespace {

class GrpcControlStream final : public ControlStream {
 public:
  explicit GrpcControlStream(std::shared_ptr<grpc::Channel> channel)
      : stub_(v1::AgentControl::NewStub(channel)) {}

  bool Write(const v1::AgentMessage& message) override {
    // Only the writer touches call_'s creation; the reader reads after the
    // first Write (the Hello) has returned, on the same thread or one
    // started after it.
    if (call_ == nullptr) call_ = stub_->Connect(&context_);
    return call_->Write(message);
  }

  std::optional<v1::ControllerMessage> Read() override {
    if (call_ == nullptr) return std::nullopt;
    v1::ControllerMessage m;
    if (!call_->Read(&m)) return std::nullopt;
    return m;
  }

  // ClientContext::TryCancel is thread-safe and may precede the call.
  void Cancel() override { context_.TryCancel(); }

  absl::Status Finish() override {
    if (call_ == nullptr) return absl::CancelledError("the call never started");
    // Read() has failed, so the call is over: Finish() returns at once with
    // the controller's reason (or the transport's).
    const grpc::Status s = call_->Finish();
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
  }

 private:
  std::unique_ptr<v1::AgentControl::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::AgentMessage, v1::ControllerMessage>> call_;
};

class GrpcControlStreamDialer final : public ControlStreamDialer {
 public:
  explicit GrpcControlStreamDialer(GrpcControlLink link) : link_(std::move(link)) {}

  absl::StatusOr<std::unique_ptr<ControlStream>> Dial() override {
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!link_.tls_ca_pem.empty()) {
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = link_.tls_ca_pem;
      ssl.pem_private_key = link_.tls_key_pem;
      ssl.pem_cert_chain = link_.tls_cert_pem;
      credentials = grpc::SslCredentials(ssl);
    }
    return std::unique_ptr<ControlStream>(
        new GrpcControlStream(grpc::CreateChannel(link_.controller, credentials)));
  }

 private:
  const GrpcControlLink link_;
};

}  // namespace

std::unique_ptr<ControlStreamDialer> NewGrpcControlStreamDialer(GrpcControlLink link) {
  return std::make_unique<GrpcControlStreamDialer>(std::move(link));
}

std::unique_ptr<ControlStreamDialer> GrpcDialerFor(const AgentDaemonOptions& options) {
  return NewGrpcControlStreamDialer(
      {options.controller, options.tls_ca_pem, options.tls_cert_pem, options.tls_key_pem});
}

}  // namespace barrage
