// Copyright 2026 The Barrage Authors.

#include "controller/server/agent_service.h"

#include <deque>
#include <memory>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace barrage {

// The session's AgentHandle: shared with the registry, outliving the
// reactor; it forwards to the session only while the session lives.
class SessionHandle;

class AgentSession final
    : public grpc::ServerBidiReactor<v1::AgentMessage, v1::ControllerMessage> {
 public:
  AgentSession(AgentService& service, std::string certificate_name);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override;

  // From any thread, via the handle.
  void Enqueue(const v1::ControllerMessage& message);
  void End(const grpc::Status& status);

 private:
  void Handle(const v1::AgentMessage& message);

  AgentService& service_;
  std::shared_ptr<SessionHandle> handle_;
  std::string agent_id_;
  const std::string certificate_name_;  // verified client cert CN, or ""
  v1::AgentMessage in_;
  std::mutex mu_;
  std::deque<v1::ControllerMessage> out_;  // front is in flight when writing_
  bool writing_ = false;
  bool finished_ = false;
  // Said Leaving for this run: the stream is closed after its final report.
  std::string leaving_run_;  // reactor thread only
};

class SessionHandle final : public AgentHandle {
 public:
  explicit SessionHandle(AgentSession* session) : session_(session) {}
  void Send(const v1::ControllerMessage& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (session_ != nullptr) session_->Enqueue(message);
  }
  void Close() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (session_ != nullptr) {
      session_->End(grpc::Status(grpc::StatusCode::ABORTED,
                                 "session closed by the controller (silent past its expiry)"));
    }
  }
  void Detach() {
    std::lock_guard<std::mutex> lock(mu_);
    session_ = nullptr;
  }

 private:
  std::mutex mu_;
  AgentSession* session_;
};

AgentSession::AgentSession(AgentService& service, std::string certificate_name)
    : service_(service),
      handle_(std::make_shared<SessionHandle>(this)),
      certificate_name_(std::move(certificate_name)) {
  StartRead(&in_);
}

void AgentSession::Enqueue(const v1::ControllerMessage& message) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  out_.push_back(message);
  if (!writing_) {
    writing_ = true;
    StartWrite(&out_.front());
  }
}

void AgentSession::End(const grpc::Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  Finish(status);
}

void AgentSession::OnWriteDone(bool ok) {
  std::lock_guard<std::mutex> lock(mu_);
  out_.pop_front();
  if (!ok || finished_ || out_.empty()) {
    writing_ = false;
    return;
  }
  StartWrite(&out_.front());
}

void AgentSession::OnReadDone(bool ok) {
  if (!ok) {
    End(grpc::Status::OK);  // the agent closed its side: it is gone
    return;
  }
  Handle(in_);
  bool finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished = finished_;
  }
  if (!finished) StartRead(&in_);
}

void AgentSession::Handle(const v1::AgentMessage& m) {
  if (agent_id_.empty()) {
    if (!m.has_hello()) {
      ++service_.rejected_;
      End(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                       "the first message must be Hello"));
      return;
    }
    if (service_.options_.require_certificates) {
      if (certificate_name_.empty()) {
        ++service_.rejected_;
        End(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                         "an agent certificate signed by the controller's CA is required"));
        return;
      }
      if (!CertificateAllows(certificate_name_, m.hello().agent_id())) {
        ++service_.rejected_;
        End(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                         absl::StrCat("agent id '", m.hello().agent_id(),
                                      "' does not match its certificate ('",
                                      certificate_name_, "')")));
        return;
      }
    }
    const absl::Status s = service_.registry_.Register(m.hello(), handle_);
    if (!s.ok()) {
      ++service_.rejected_;
      // The code tells the agent whether to retry (agent.proto).
      End(grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message())));
      return;
    }
    agent_id_ = m.hello().agent_id();
    v1::ControllerMessage welcome;
    welcome.mutable_welcome()->set_heartbeat_interval_ms(service_.options_.heartbeat_interval_ms);
    welcome.mutable_welcome()->set_lease_ms(service_.options_.lease_ms);
    welcome.mutable_welcome()->set_report_interval_ms(service_.options_.report_interval_ms);
    Enqueue(welcome);
    return;
  }
  // A message from a replaced session changes nothing.
  if (!service_.registry_.Touch(agent_id_, handle_.get(),
                                m.has_heartbeat() ? m.heartbeat().cpu_ratio() : -1)) {
    End(grpc::Status(grpc::StatusCode::ABORTED, "session replaced"));
    return;
  }
  switch (m.kind_case()) {
    case v1::AgentMessage::kHeartbeat:
      break;
    case v1::AgentMessage::kStats:
      if (m.stats().agent_id() != agent_id_) {
        ++service_.rejected_;  // an agent reports only for itself
        break;
      }
      service_.coordinator_.OnStats(m.stats());
      if (m.stats().final() && !leaving_run_.empty() && m.stats().run_id() == leaving_run_) {
        End(grpc::Status::OK);  // the graceful leave is complete (agent.proto)
      }
      break;
    case v1::AgentMessage::kLeaving:
      leaving_run_ = m.leaving().run_id();
      service_.coordinator_.OnLeaving(agent_id_, m.leaving().run_id(), m.leaving().stop_ms());
      break;
    case v1::AgentMessage::kRunAccepted:
      service_.coordinator_.OnAccepted(agent_id_, m.run_accepted().run_id());
      break;
    case v1::AgentMessage::kRunRefused:
      service_.coordinator_.OnRefused(agent_id_, m.run_refused().run_id(),
                                      m.run_refused().reason());
      break;
    case v1::AgentMessage::kDataRequest:
      service_.coordinator_.OnDataRequest(agent_id_, m.data_request());
      break;
    case v1::AgentMessage::kDataUsed:
      service_.coordinator_.OnDataUse(agent_id_, m.data_used());
      break;
    default:
      ++service_.rejected_;  // a second Hello or an unknown kind
      break;
  }
}

void AgentSession::OnDone() {
  handle_->Detach();
  if (!agent_id_.empty() &&
      service_.registry_.Unregister(agent_id_, handle_.get())) {
    service_.coordinator_.OnAgentGone(agent_id_);
  }
  delete this;
}

bool CertificateAllows(absl::string_view common_name, absl::string_view agent_id) {
  if (absl::ConsumeSuffix(&common_name, "*")) {
    return agent_id.size() > common_name.size() && absl::StartsWith(agent_id, common_name);
  }
  return common_name == agent_id;
}

AgentService::AgentService(AgentRegistry& registry, RunCoordinator& coordinator,
                           AgentServiceOptions options)
    : registry_(registry), coordinator_(coordinator), options_(options) {}

grpc::ServerBidiReactor<v1::AgentMessage, v1::ControllerMessage>*
AgentService::Connect(grpc::CallbackServerContext* context) {
  std::string name;
  if (auto auth = context->auth_context(); auth && auth->IsPeerAuthenticated()) {
    const std::vector<grpc::string_ref> cn = auth->FindPropertyValues("x509_common_name");
    if (!cn.empty()) name.assign(cn[0].data(), cn[0].size());
  }
  return new AgentSession(*this, std::move(name));
}

}  // namespace barrage
