// Copyright 2026 The Barrage Authors.

#include "controller/report/fingerprint.h"

#include <openssl/sha.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/scenario/codec.h"

namespace barrage {

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string LoadProfileText(const Scenario& scenario) {
  std::string text;
  for (const Stage& st : scenario.stages) {
    // Rationals print as n/d, durations in whole milliseconds (as written).
    absl::StrAppend(&text, "stage kind=", static_cast<int>(st.kind),
                    " duration_ms=", absl::ToInt64Milliseconds(st.duration));
    if (st.is_open()) {
      absl::StrAppend(&text, " rate_from=", st.rate_from.num(), "/", st.rate_from.den(),
                      " rate_to=", st.rate_to.num(), "/", st.rate_to.den());
    } else {
      absl::StrAppend(&text, " vus_from=", st.vus_from, " vus_to=", st.vus_to,
                      " think_ms=", absl::ToInt64Milliseconds(st.think));
    }
    text += "\n";
  }
  for (const RequestSpec& r : scenario.requests) {
    // Names, methods and paths hold no spaces or newlines (validated), but
    // their lengths keep the text unambiguous anyway.
    absl::StrAppend(&text, "request ", r.name.size(), ":", r.name, " ", r.method.size(), ":",
                    r.method, " ", r.path.size(), ":", r.path, " weight=", r.weight, "\n");
  }
  return text;
}

std::string NetworkProfileText(const NetworkProfile& p) {
  if (!p.enabled()) return "";
  std::string text;
  auto add = [&text](const std::string& part) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", part);
  };
  if (p.latency > absl::ZeroDuration()) add("latency " + HumanDuration(p.latency));
  if (p.jitter > absl::ZeroDuration()) add("jitter " + HumanDuration(p.jitter));
  if (p.bandwidth_bps > 0) {
    const int64_t b = p.bandwidth_bps;
    add(b % 1'000'000'000 == 0 ? absl::StrCat("bandwidth ", b / 1'000'000'000, "Gbit/s")
        : b % 1'000'000 == 0   ? absl::StrCat("bandwidth ", b / 1'000'000, "Mbit/s")
        : b % 1'000 == 0       ? absl::StrCat("bandwidth ", b / 1'000, "kbit/s")
                               : absl::StrCat("bandwidth ", b, "bit/s"));
  }
  return text;
}

RunFingerprint Fingerprint(const Scenario& scenario, const std::string& file) {
  RunFingerprint f;
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    v1::ScenarioSpec spec = ScenarioToProto(scenario);
    if (spec.has_monitor()) spec.mutable_monitor()->clear_token();  // never kept
    spec.SerializeToCodedStream(&coded);
  }
  f.scenario_sha256 = Sha256Hex(bytes);
  f.load_sha256 = Sha256Hex(LoadProfileText(scenario));
  f.target = scenario.target.url;
  f.file = file;
  if (scenario.network.has_value()) f.network = NetworkProfileText(*scenario.network);
  for (const FlowSpec& flow : scenario.flows) {
    if (!flow.network.has_value() || !flow.network->enabled()) continue;
    absl::StrAppend(&f.network, f.network.empty() ? "" : "; ", "flow ", flow.name, ": ",
                    NetworkProfileText(*flow.network));
  }
  return f;
}

}  // namespace barrage
