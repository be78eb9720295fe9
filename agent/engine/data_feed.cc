// Copyright 2026 The Barrage Authors.
#include "agent/engine/data_feed.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace barrage {

class DataFeed::Source : public RowSource {
 public:
  Source(DataFeed& feed, uint64_t seed) : feed_(feed), rng_(seed) {}

  int64_t NextRow() override {
    switch (feed_.mode_) {
      case DataSource::Mode::kSequential: return feed_.NextSequential();
      case DataSource::Mode::kRandom: return Random();
      case DataSource::Mode::kUnique: return feed_.NextUnique();
    }
    return kNoRow;
  }
  absl::string_view Field(int64_t row, size_t column) const override {
    return feed_.table_->Field(row, column);
  }
  bool Exhausted() const override {
    switch (feed_.mode_) {
      case DataSource::Mode::kSequential: return feed_.SequentialExhausted();
      case DataSource::Mode::kRandom: return false;
      case DataSource::Mode::kUnique: return feed_.UniqueExhausted();
    }
    return false;
  }

 private:
  // Uniform over the rows; std::uniform_int_distribution keeps no heap state.
  int64_t Random() {
    std::uniform_int_distribution<int64_t> pick(0, feed_.table_->rows() - 1);
    return pick(rng_);
  }

  DataFeed& feed_;
  std::mt19937_64 rng_;
};

DataFeed::DataFeed(const DataSource& spec, std::shared_ptr<const DataTable> table,
                   int workers, uint64_t seed)
    : name_(spec.name), mode_(spec.mode), on_end_(spec.on_end), table_(std::move(table)) {
  for (int w = 0; w < std::max(workers, 1); ++w) {
    // Distinct, fixed streams per worker (splitmix-style spread of the seed).
    const uint64_t worker_seed = seed ^ (0x9E3779B97F4A7C15ULL * (w + 1));
    sources_.push_back(std::make_unique<Source>(*this, worker_seed));
  }
}

DataFeed::~DataFeed() = default;

RowSource* DataFeed::source(int worker) { return sources_[worker].get(); }

int64_t DataFeed::NextSequential() {
  const int64_t rows = table_->rows();
  if (on_end_ == DataSource::OnEnd::kStop) {
    // Past the end the counter is left alone, so it cannot wrap around.
    if (next_.load(std::memory_order_relaxed) >= rows) return RowSource::kNoRow;
    const int64_t i = next_.fetch_add(1, std::memory_order_relaxed);
    return i < rows ? i : RowSource::kNoRow;
  }
  return next_.fetch_add(1, std::memory_order_relaxed) % rows;
}

bool DataFeed::SequentialExhausted() const {
  return on_end_ == DataSource::OnEnd::kStop &&
         next_.load(std::memory_order_relaxed) >= table_->rows();
}

int64_t DataFeed::NextUnique() {
  absl::MutexLock lock(&mu_);
  while (cursor_ < leases_.size()) {
    Lease& lease = leases_[cursor_];
    if (lease.taken < lease.count) {
      --buffered_;
      ++taken_;
      return lease.first + lease.taken++;
    }
    ++cursor_;
  }
  return RowSource::kNoRow;
}

bool DataFeed::UniqueExhausted() const {
  absl::MutexLock lock(&mu_);
  return final_ && buffered_ == 0;
}

void DataFeed::AddLease(int64_t first_row, int64_t count) {
  absl::MutexLock lock(&mu_);
  requested_ = false;
  if (count <= 0) return;
  leases_.push_back({first_row, count, 0, 0});
  buffered_ += count;
}

void DataFeed::SetFinal() {
  absl::MutexLock lock(&mu_);
  final_ = true;
  requested_ = false;
}

int64_t DataFeed::RowsWanted(int64_t now_ns, int64_t initial_rows, double ahead_s) {
  absl::MutexLock lock(&mu_);
  if (rate_at_ns_ >= 0 && now_ns > rate_at_ns_) {
    const double rate =
        static_cast<double>(taken_ - rate_taken_) * 1e9 / static_cast<double>(now_ns - rate_at_ns_);
    // Smoothed, so one slow interval does not starve the next.
    rate_per_s_ = rate_per_s_ == 0 ? rate : 0.5 * rate_per_s_ + 0.5 * rate;
  }
  rate_at_ns_ = now_ns;
  rate_taken_ = taken_;
  if (requested_ || final_) return 0;
  const int64_t target =
      taken_ == 0 ? initial_rows
                  : std::max<int64_t>(1, static_cast<int64_t>(std::ceil(rate_per_s_ * ahead_s)));
  if (buffered_ * 2 > target) return 0;  // refill at half the target ahead
  const int64_t wanted = std::max<int64_t>(1, target - buffered_);
  requested_ = true;
  return wanted;
}

void DataFeed::TakeUsed(google::protobuf::RepeatedPtrField<v1::DataUse>* out) {
  absl::MutexLock lock(&mu_);
  for (Lease& lease : leases_) {
    if (lease.taken > lease.reported) {
      v1::DataUse* use = out->Add();
      use->set_data(name_);
      use->set_first_row(static_cast<uint64_t>(lease.first + lease.reported));
      use->set_count(static_cast<uint64_t>(lease.taken - lease.reported));
      lease.reported = lease.taken;
    }
  }
  // Leases wholly taken and reported are forgotten.
  while (!leases_.empty() && leases_.front().reported == leases_.front().count) {
    leases_.pop_front();
    if (cursor_ > 0) --cursor_;
  }
}

int64_t DataFeed::Buffered() const {
  absl::MutexLock lock(&mu_);
  return buffered_;
}

int64_t DataFeed::Taken() const {
  absl::MutexLock lock(&mu_);
  return taken_;
}

}  // namespace barrage
