// Copyright 2026 The Barrage Authors.

#include "controller/report/result_doc.h"

#include <algorithm>
#include <set>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace result_doc {

absl::StatusOr<Struct> ParseResultJson(const std::string& json) {
  Struct root;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &root);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a result JSON object: ", status.message().as_string()));
  }
  return root;
}

const Value& Field(const Struct& s, const std::string& key) {
  static const Value* const kNull = new Value();
  auto it = s.fields().find(key);
  return it == s.fields().end() ? *kNull : it->second;
}

bool Has(const Struct& s, const std::string& key) { return s.fields().count(key) > 0; }

double Num(const Struct& s, const std::string& key) { return Field(s, key).number_value(); }

uint64_t Count(const Struct& s, const std::string& key) {
  return static_cast<uint64_t>(std::max(0.0, Num(s, key)));
}

const std::string& Str(const Struct& s, const std::string& key) {
  return Field(s, key).string_value();
}

const Struct& Obj(const Struct& s, const std::string& key) {
  return Field(s, key).struct_value();
}

std::vector<const Struct*> List(const Struct& s, const std::string& key) {
  std::vector<const Struct*> out;
  for (const Value& v : Field(s, key).list_value().values()) out.push_back(&v.struct_value());
  return out;
}

std::vector<std::string> RequestOrder(const Struct& result) {
  const Struct& per_request = Obj(result, "requests");
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const Value& v : Field(result, "request_order").list_value().values()) {
    if (Has(per_request, v.string_value()) && seen.insert(v.string_value()).second) {
      out.push_back(v.string_value());
    }
  }
  std::vector<std::string> rest;
  for (const auto& [name, q] : per_request.fields()) {
    if (seen.count(name) == 0) rest.push_back(name);
  }
  std::sort(rest.begin(), rest.end());
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

}  // namespace result_doc
}  // namespace barrage
