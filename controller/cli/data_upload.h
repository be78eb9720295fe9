// Copyright 2026 The Barrage Authors.
//
// The CLI's upload of a scenario's data files (common/data/data_files.h)
// to the controller before StartRun: each file streamed in 1 MiB pieces
// over RunControl.UploadData, named by SHA-256. The controller refuses a
// file over its --max-data-bytes on the first piece and checks the digest
// at the end.
//
// Thread safety: plain function; blocks for the uploads.
#ifndef BARRAGE_CONTROLLER_CLI_DATA_UPLOAD_H_
#define BARRAGE_CONTROLLER_CLI_DATA_UPLOAD_H_

#include <functional>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "barrage/v1/control.grpc.pb.h"
#include "common/data/data_files.h"

namespace barrage {

// Uploads `files` in order; the first refusal is the error, with the
// controller's message ("data 'users' is 300 MiB, the controller accepts
// at most 256 MiB (--max-data-bytes)") and a matching code. `prepare`
// (may be empty) adds call metadata (the bearer token).
absl::Status UploadDataFiles(v1::RunControl::Stub& stub, const DataContents& files,
                             const std::function<void(grpc::ClientContext&)>& prepare);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_DATA_UPLOAD_H_
