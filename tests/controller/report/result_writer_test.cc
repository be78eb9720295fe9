// Copyright 2026 The Barrage Authors.
//
// The result writer: one thread, writes in order, the newest waiting
// checkpoint of a run wins, a finished run's result is never dropped, and
// result files land in DATA_DIR/runs/.

#include "controller/report/result_writer.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "tests/support/blocking_result_store.h"

namespace barrage {
namespace {

using testing::BlockingResultStore;

ResultWrite Write(const std::string& id, const std::string& status, bool final,
                  std::vector<std::string>* done = nullptr) {
  ResultWrite w;
  w.run.id = id;
  w.run.status = status;
  w.run.result_json = "{\"run\":\"" + id + "\",\"status\":\"" + status + "\"}";
  w.final = final;
  if (done != nullptr) {
    w.done = [done, id, status](const absl::Status& s) {
      if (s.ok()) done->push_back(id + ":" + status);
    };
  }
  return w;
}

std::vector<std::string> Saved(BlockingResultStore& store) {
  std::vector<std::string> out;
  for (const StoredRun& r : store.saved()) out.push_back(r.id + ":" + r.status);
  return out;
}

TEST_CASE("the writer keeps order and lets the newest waiting checkpoint win") {
  BlockingResultStore store(/*open=*/false);
  std::vector<std::string> done;  // written by the writer's thread only
  ResultWriter writer(&store, "");
  writer.Enqueue(Write("r1", "running", false, &done));
  REQUIRE(store.AwaitBlocked());
  writer.Enqueue(Write("r1", "running-5s", false, &done));
  writer.Enqueue(Write("r1", "running-10s", false, &done));  // replaces the 5 s one
  writer.Enqueue(Write("r1", "passed", true, &done));
  writer.Enqueue(Write("r2", "running", false, &done));
  writer.Enqueue(Write("r2", "running-5s", false, &done));
  store.Open();
  writer.Flush();
  const std::vector<std::string> want = {"r1:running", "r1:running-10s", "r1:passed",
                                         "r2:running-5s"};
  CHECK(Saved(store) == want);
  CHECK(done == want);
}

TEST_CASE("shutdown writes everything queued, and a later result still") {
  BlockingResultStore store(/*open=*/false);
  ResultWriter writer(&store, "");
  writer.Enqueue(Write("r1", "running", false));
  REQUIRE(store.AwaitBlocked());
  writer.Enqueue(Write("r1", "passed", true));
  store.Open();
  writer.Shutdown();
  CHECK(Saved(store) == std::vector<std::string>{"r1:running", "r1:passed"});
  // No thread is left: this one writes it.
  bool called = false;
  ResultWrite late = Write("r2", "aborted", true);
  late.done = [&called](const absl::Status& s) { called = s.ok(); };
  writer.Enqueue(std::move(late));
  CHECK(called);
  CHECK(Saved(store).back() == "r2:aborted");
}

TEST_CASE("a finished run's result is also written as DATA_DIR/runs/RUN.json") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("barrage-writer-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    ResultWriter writer(nullptr, dir.string());  // files only, no store
    writer.Enqueue(Write("r1", "running", false));
    writer.Enqueue(Write("r1", "passed", true));
  }
  // Checkpoints go to the store only.
  const auto files = std::distance(std::filesystem::directory_iterator(dir / "runs"),
                                   std::filesystem::directory_iterator());
  CHECK(files == 1);
  std::ifstream in(dir / "runs" / "r1.json");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "{\"run\":\"r1\",\"status\":\"passed\"}");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a result file that exists is never overwritten") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("barrage-writer-keep-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  absl::Status second;
  {
    ResultWriter writer(nullptr, dir.string());
    writer.Enqueue(Write("r1", "passed", true));
    ResultWrite again = Write("r1", "failed", true);
    again.done = [&second](const absl::Status& s) { second = s; };
    writer.Enqueue(std::move(again));
  }
  CHECK(absl::IsAlreadyExists(second));
  std::ifstream in(dir / "runs" / "r1.json");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "{\"run\":\"r1\",\"status\":\"passed\"}");
  // No temporary file is left behind.
  const auto files = std::distance(std::filesystem::directory_iterator(dir / "runs"),
                                   std::filesystem::directory_iterator());
  CHECK(files == 1);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace barrage
