// Copyright 2026 The Barrage Authors.

#include "controller/report/result_writer.h"

#include <errno.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

// Writes `text` to `path` unless `path` exists: into a temporary file next
// to it, then link(2), which never replaces an existing name, so a stored
// result is never overwritten, not even by a colliding run id, and a
// reader never sees half a file.
absl::Status WriteNewFile(const std::string& path, const std::string& text) {
  const std::string temp = absl::StrCat(path, ".tmp-", ::getpid());
  {
    std::ofstream out(temp, std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      ::unlink(temp.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", temp));
    }
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  const int error = errno;
  ::unlink(temp.c_str());
  if (linked == 0) return absl::OkStatus();
  if (error == EEXIST) {
    return absl::AlreadyExistsError(
        absl::StrCat(path, " already exists; the stored result is not replaced"));
  }
  return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", std::strerror(error)));
}

}  // namespace

ResultWriter::ResultWriter(ResultStore* store, std::string data_dir)
    : store_(store), data_dir_(std::move(data_dir)), thread_([this] { Loop(); }) {}

ResultWriter::~ResultWriter() { Shutdown(); }

void ResultWriter::Enqueue(ResultWrite write) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopped_) {
      // The newest checkpoint of a run supersedes one still waiting right
      // before it: order is kept, and nothing final is touched.
      ResultWrite* waiting = queue_.empty() ? nullptr : &queue_.back();
      if (!write.final && waiting != nullptr && !waiting->final &&
          waiting->run.id == write.run.id &&
          waiting->series.has_value() == write.series.has_value() &&
          (!write.series ||
           ApplySeriesDelta(std::move(*write.series), *waiting->series).ok())) {
        // The waiting delta, with the new one applied, goes with the newer
        // checkpoint: the mirror misses nothing.
        if (write.series) write.series = std::move(waiting->series);
        *waiting = std::move(write);
      } else {
        queue_.push_back(std::move(write));
        ++queued_;
      }
      return;
    }
  }
  // After Shutdown: no thread is left to hand it to, and a result must not
  // be lost.
  const absl::Status s = Write(write);
  if (write.done) write.done(s);
}

void ResultWriter::Flush() {
  absl::MutexLock lock(&mu_);
  const uint64_t target = queued_;
  auto done = [this, target]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return written_ >= target || stopped_;
  };
  mu_.Await(absl::Condition(&done));
}

void ResultWriter::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ResultWriter::Loop() {
  while (true) {
    ResultWrite write;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || stopping_;
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) {  // stopping, and everything is written
        stopped_ = true;
        return;
      }
      write = std::move(queue_.front());
      queue_.pop_front();
    }
    const absl::Status s = Write(write);
    if (write.done) write.done(s);
    absl::MutexLock lock(&mu_);
    ++written_;
  }
}

absl::Status ResultWriter::Write(ResultWrite& write) {
  {
    absl::MutexLock lock(&write_mu_);
    if (write.series) {
      SeriesDelta& mirror = mirrors_[write.run.id];
      if (absl::Status s = ApplySeriesDelta(std::move(*write.series), mirror); !s.ok()) {
        return absl::InternalError(absl::StrCat("run ", write.run.id, ": ", s.message()));
      }
      write.series.reset();
      // A mirror is whole: its first delta was.
      write.run.result_json = WithSeriesJson(write.run.result_json, mirror.series);
    }
    if (write.final) mirrors_.erase(write.run.id);
  }
  absl::Status status;
  if (store_ != nullptr) status = store_->Save(write.run, write.histograms);
  if (write.final && !data_dir_.empty()) {
    const std::string dir = data_dir_ + "/runs";
    const std::string path = dir + "/" + write.run.id + ".json";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    absl::Status file = WriteNewFile(path, write.run.result_json);
    if (status.ok()) status = std::move(file);
  }
  return status;
}

}  // namespace barrage
