// Copyright 2026 The Barrage Authors.

#include "controller/monitor/prometheus_client.h"

#include <httplib.h>

#include <chrono>
#include <cmath>
#include <utility>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace barrage {

using google::protobuf::Struct;
using google::protobuf::Value;

namespace {

const Value* FieldOf(const Struct& s, const char* key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? nullptr : &it->second;
}

// [time, "value"]: the sample of a scalar or of one series.
absl::StatusOr<double> SampleValue(const Value& pair) {
  if (!pair.has_list_value() || pair.list_value().values_size() != 2 ||
      !pair.list_value().values(1).has_string_value()) {
    return absl::FailedPreconditionError("answer has no [time, value] sample");
  }
  const std::string& text = pair.list_value().values(1).string_value();
  double v = 0;
  if (!absl::SimpleAtod(text, &v) || !std::isfinite(v)) {
    return absl::FailedPreconditionError(
        absl::StrCat("returned ", text, ", not a number"));
  }
  return v;
}

}  // namespace

absl::StatusOr<double> ParsePrometheusAnswer(int http_status,
                                             absl::string_view body) {
  Struct root;
  if (!google::protobuf::util::JsonStringToMessage(
           google::protobuf::StringPiece(body.data(), body.size()), &root)
           .ok()) {
    return absl::UnavailableError(
        absl::StrCat("HTTP ", http_status, " without a Prometheus API answer"));
  }
  const Value* status = FieldOf(root, "status");
  if (status == nullptr || status->string_value() != "success") {
    const Value* error = FieldOf(root, "error");
    const std::string text =
        error != nullptr ? error->string_value() : absl::StrCat("HTTP ", http_status);
    if (http_status >= 500) return absl::UnavailableError(text);
    return absl::InvalidArgumentError(text);
  }
  const Value* data = FieldOf(root, "data");
  if (data == nullptr || !data->has_struct_value()) {
    return absl::FailedPreconditionError("answer has no data");
  }
  const Value* type = FieldOf(data->struct_value(), "resultType");
  const Value* result = FieldOf(data->struct_value(), "result");
  if (type == nullptr || result == nullptr) {
    return absl::FailedPreconditionError("answer has no result");
  }
  if (type->string_value() == "scalar") return SampleValue(*result);
  if (type->string_value() != "vector") {
    return absl::FailedPreconditionError(absl::StrCat(
        "returned a ", type->string_value(), "; give an instant vector or scalar"));
  }
  const int n = result->list_value().values_size();
  if (n == 0) return absl::FailedPreconditionError("returned no series");
  if (n > 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("returned ", n, " series; aggregate it (sum/avg)"));
  }
  const Value& series = result->list_value().values(0);
  const Value* value =
      series.has_struct_value() ? FieldOf(series.struct_value(), "value") : nullptr;
  if (value == nullptr) return absl::FailedPreconditionError("series has no value");
  return SampleValue(*value);
}

struct PrometheusClient::Impl {
  Impl(const std::string& base_url, std::string token_in)
      : token(std::move(token_in)) {
    // scheme://host[:port] for the client; the rest is the path prefix.
    const size_t scheme_end = base_url.find("://");
    const size_t path_at =
        base_url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    origin = base_url.substr(0, path_at);
    if (path_at != std::string::npos) prefix = base_url.substr(path_at);
    client = std::make_unique<httplib::Client>(origin);
  }
  std::string origin;
  std::string prefix;
  std::string token;
  absl::Duration timeout;
  std::unique_ptr<httplib::Client> client;
};

PrometheusClient::PrometheusClient(std::string base_url, std::string token,
                                   absl::Duration timeout)
    : impl_(std::make_unique<Impl>(base_url, std::move(token))) {
  impl_->timeout = timeout;
  const auto t = absl::ToChronoMicroseconds(timeout);
  impl_->client->set_connection_timeout(t);
  impl_->client->set_read_timeout(t);
  impl_->client->set_write_timeout(t);
  impl_->client->set_keep_alive(true);
}

PrometheusClient::~PrometheusClient() = default;

absl::StatusOr<double> PrometheusClient::Query(const std::string& promql,
                                               absl::Time at) {
  if (!impl_->client->is_valid()) {
    return absl::UnavailableError(absl::StrCat("cannot use ", impl_->origin));
  }
  httplib::Params params = {
      {"query", promql},
      {"time", absl::StrFormat("%.3f", absl::ToDoubleSeconds(at - absl::UnixEpoch()))}};
  httplib::Headers headers;
  if (!impl_->token.empty()) {
    headers.emplace("Authorization", absl::StrCat("Bearer ", impl_->token));
  }
  const std::string path = httplib::append_query_params(
      absl::StrCat(impl_->prefix, "/api/v1/query"), params);
  httplib::Result res = impl_->client->Get(path, headers);
  if (!res) {
    switch (res.error()) {
      case httplib::Error::Connection:
        return absl::UnavailableError("connection refused or unreachable");
      case httplib::Error::ConnectionTimeout:
      case httplib::Error::Read:
        return absl::UnavailableError(
            absl::StrCat("no answer within ", absl::FormatDuration(impl_->timeout)));
      default:
        return absl::UnavailableError(httplib::to_string(res.error()));
    }
  }
  return ParsePrometheusAnswer(res->status, res->body);
}

}  // namespace barrage
