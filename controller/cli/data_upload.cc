// Copyright 2026 The Barrage Authors.
#include "controller/cli/data_upload.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/data/data_chunks.h"

namespace barrage {

absl::Status UploadDataFiles(v1::RunControl::Stub& stub, const DataContents& files,
                             const std::function<void(grpc::ClientContext&)>& prepare) {
  for (const DataFile& file : files) {
    grpc::ClientContext context;
    if (prepare) prepare(context);
    v1::DataUploaded uploaded;
    std::unique_ptr<grpc::ClientWriter<v1::DataChunk>> writer =
        stub.UploadData(&context, &uploaded);
    // A refused upload ends the call: Write fails and Finish says why.
    ForEachDataChunk(file.name, file.sha256, file.content, "",
                     [&](const v1::DataChunk& chunk) { return writer->Write(chunk); });
    writer->WritesDone();
    const grpc::Status s = writer->Finish();
    if (!s.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
    }
    if (uploaded.sha256() != file.sha256) {
      return absl::InternalError(absl::StrCat("data '", file.name,
                                              "': the controller stored ", uploaded.sha256()));
    }
  }
  return absl::OkStatus();
}

}  // namespace barrage
