// Copyright 2026 The Barrage Authors.

#include "controller/server/run_service.h"

#include "absl/strings/str_cat.h"
#include "common/data/data_chunks.h"
#include "common/scenario/codec.h"

namespace barrage {

grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

RunService::RunService(AgentRegistry& registry, RunCoordinator& coordinator,
                       std::string token, ResultStore* store, DataStore* data)
    : registry_(registry),
      coordinator_(coordinator),
      token_(std::move(token)),
      store_(store),
      data_(data) {}

namespace {

void Fill(const StoredRun& run, bool with_json, v1::StoredRun* out) {
  out->set_run_id(run.id);
  out->set_scenario(run.scenario);
  out->set_status(run.status);
  out->set_started_at(run.started_at);
  out->set_updated_at(run.updated_at);
  if (with_json) out->set_result_json(run.result_json);
  out->set_duration_s(run.duration_s);
  out->set_requests(run.requests);
  out->set_error_rate(run.error_rate);
  out->set_p95_ms(run.p95_ms);
  out->set_p50_ms(run.p50_ms);
  out->set_p99_ms(run.p99_ms);
  out->set_achieved_rps(run.achieved_rps);
}

}  // namespace

grpc::Status RunService::ListRuns(grpc::ServerContext* context,
                                  const v1::ListRunsRequest* request,
                                  v1::ListRunsResponse* response) {
  if (grpc::Status a = Authorize(context); !a.ok()) return a;
  if (store_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this controller keeps no runs (start it with --data DIR)");
  }
  RunFilter filter;
  filter.limit = request->limit() > 0 ? std::min(request->limit(), 10'000) : 100;
  filter.scenario = request->scenario();
  filter.up_to_run = request->up_to_run();
  absl::StatusOr<std::vector<StoredRun>> runs = store_->List(filter);
  if (!runs.ok()) return ToGrpc(runs.status());
  for (const StoredRun& r : *runs) Fill(r, false, response->add_runs());
  return grpc::Status::OK;
}

grpc::Status RunService::GetRun(grpc::ServerContext* context, const v1::GetRunRequest* request,
                                v1::StoredRun* response) {
  if (grpc::Status a = Authorize(context); !a.ok()) return a;
  if (store_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this controller keeps no runs (start it with --data DIR)");
  }
  absl::StatusOr<StoredRun> run = store_->Get(request->run_id());
  if (!run.ok()) return ToGrpc(run.status());
  Fill(*run, true, response);
  return grpc::Status::OK;
}

grpc::Status RunService::Authorize(grpc::ServerContext* context) const {
  if (token_.empty()) return grpc::Status::OK;
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end() &&
      std::string(it->second.data(), it->second.size()) == "Bearer " + token_) {
    return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      "a valid bearer token is required (--token-file)");
}

grpc::Status RunService::UploadData(grpc::ServerContext* context,
                                    grpc::ServerReader<v1::DataChunk>* reader,
                                    v1::DataUploaded* response) {
  if (grpc::Status a = Authorize(context); !a.ok()) return a;
  if (data_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this controller takes no data files");
  }
  DataAssembler file(data_->max_bytes());
  v1::DataChunk chunk;
  bool first = true;
  while (!file.done() && reader->Read(&chunk)) {
    if (first) {
      // Refused before the rest is sent, naming the source.
      first = false;
      const absl::Status size = data_->CheckSize(
          chunk.name(), static_cast<int64_t>(chunk.total_bytes()));
      if (!size.ok()) return ToGrpc(size);
    }
    if (absl::Status s = file.Add(chunk); !s.ok()) return ToGrpc(s);
  }
  absl::StatusOr<std::string> content = file.Finish();
  if (!content.ok()) return ToGrpc(content.status());
  response->set_sha256(file.sha256());
  response->set_bytes(content->size());
  return ToGrpc(data_->Add(file.name(), file.sha256(), *std::move(content)));
}

grpc::Status RunService::StartRun(grpc::ServerContext* context,
                                  const v1::StartRunRequest* request,
                                  grpc::ServerWriter<v1::RunEvent>* writer) {
  if (grpc::Status a = Authorize(context); !a.ok()) return a;
  absl::StatusOr<Scenario> scenario = ScenarioFromProto(request->scenario());
  if (!scenario.ok()) return ToGrpc(scenario.status());
  absl::StatusOr<std::shared_ptr<EventQueue>> events =
      coordinator_.StartRun(*std::move(scenario), request->scenario_file());
  if (!events.ok()) return ToGrpc(events.status());
  // Stream until the result. A client that goes away (or a server shutting
  // down) ends this call, not the run: `barrage stop` does that.
  while (true) {
    std::optional<v1::RunEvent> e = (*events)->Pop(absl::Milliseconds(200));
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the run continues without this client");
    }
    if (!e) {
      if ((*events)->drained_and_closed()) return grpc::Status::OK;
      continue;
    }
    if (!writer->Write(*e)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the run continues without this client");
    }
    if (e->has_result()) return grpc::Status::OK;
  }
}

grpc::Status RunService::StopRun(grpc::ServerContext* context,
                                 const v1::StopRunRequest* request,
                                 v1::StopRunResponse*) {
  if (grpc::Status a = Authorize(context); !a.ok()) return a;
  return ToGrpc(coordinator_.StopRun(request->run_id(), request->immediate()));
}

grpc::Status RunService::GetStatus(grpc::ServerContext* context,
                                   const v1::GetStatusRequest*,
                                   v1::RunStatus* response) {
  if (grpc::Status a = Authorize(context); !a.ok()) return a;
  RunStatusView v = coordinator_.Status();
  response->set_run_id(v.run_id);
  response->set_scenario(v.scenario);
  response->set_state(v.state);
  *response->mutable_progress() = v.progress;
  return grpc::Status::OK;
}

grpc::Status RunService::ListAgents(grpc::ServerContext* context,
                                    const v1::ListAgentsRequest*,
                                    v1::ListAgentsResponse* response) {
  if (grpc::Status a = Authorize(context); !a.ok()) return a;
  for (const AgentInfo& info : registry_.Snapshot()) {
    v1::ListAgentsResponse::Agent* a = response->add_agents();
    a->set_id(info.id);
    a->set_version(info.version);
    a->set_capacity(info.capacity);
    a->set_state(info.run_id.empty() ? "idle" : "running");
    a->set_run_id(info.run_id);
    a->set_cpu_ratio(info.cpu_ratio);
    for (const auto& [k, v] : info.labels) (*a->mutable_labels())[k] = v;
    a->set_workers(info.workers);
    a->set_max_rate_per_s(info.max_rate_per_s);
    for (const std::string& t : info.allow_targets) a->add_allow_targets(t);
    a->set_require_tls_verify(info.require_tls_verify);
    a->set_max_in_flight(info.max_in_flight);
  }
  return grpc::Status::OK;
}

}  // namespace barrage
