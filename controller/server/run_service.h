// Copyright 2026 The Barrage Authors.
//
// RunService: the RunControl gRPC service the CLI talks to (sync API: a
// StartRun call holds one server thread while it streams its run's events;
// there is one run at a time). It re-validates the scenario it receives,
// checks the bearer token when one is configured, and maps coordinator
// Statuses to gRPC ones. UploadData keeps data files in the DataStore
// (null: uploads are refused) for the runs that name them.
#ifndef BARRAGE_CONTROLLER_SERVER_RUN_SERVICE_H_
#define BARRAGE_CONTROLLER_SERVER_RUN_SERVICE_H_

#include <string>

#include "barrage/v1/control.grpc.pb.h"
#include "controller/run/agent_registry.h"
#include "controller/run/data_store.h"
#include "controller/run/run_coordinator.h"

namespace barrage {

class RunService final : public v1::RunControl::Service {
 public:
  // `token`: when non-empty, every call needs "authorization: Bearer TOKEN".
  RunService(AgentRegistry& registry, RunCoordinator& coordinator,
             std::string token, ResultStore* store = nullptr, DataStore* data = nullptr);

  grpc::Status UploadData(grpc::ServerContext* context,
                          grpc::ServerReader<v1::DataChunk>* reader,
                          v1::DataUploaded* response) override;

  grpc::Status StartRun(grpc::ServerContext* context,
                        const v1::StartRunRequest* request,
                        grpc::ServerWriter<v1::RunEvent>* writer) override;
  grpc::Status StopRun(grpc::ServerContext* context,
                       const v1::StopRunRequest* request,
                       v1::StopRunResponse* response) override;
  grpc::Status GetStatus(grpc::ServerContext* context,
                         const v1::GetStatusRequest* request,
                         v1::RunStatus* response) override;
  grpc::Status ListAgents(grpc::ServerContext* context,
                          const v1::ListAgentsRequest* request,
                          v1::ListAgentsResponse* response) override;
  grpc::Status ListRuns(grpc::ServerContext* context,
                        const v1::ListRunsRequest* request,
                        v1::ListRunsResponse* response) override;
  grpc::Status GetRun(grpc::ServerContext* context, const v1::GetRunRequest* request,
                      v1::StoredRun* response) override;

 private:
  grpc::Status Authorize(grpc::ServerContext* context) const;

  AgentRegistry& registry_;
  RunCoordinator& coordinator_;
  const std::string token_;
  ResultStore* const store_;
  DataStore* const data_;
};

// absl::Status -> grpc::Status, at the edge only.
grpc::Status ToGrpc(const absl::Status& status);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_SERVER_RUN_SERVICE_H_
