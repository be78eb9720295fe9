// Copyright 2026 The Barrage Authors.
//
// Reading a result JSON (README "Result JSON"): ParseResultJson() parses
// the text once into a google.protobuf.Struct, and the accessors below read
// it leniently, as every renderer (text summary, HTML, JUnit, CSV, compare)
// must: a field that is missing or of another type reads as zero, "" or
// empty, so an older or partial result (a checkpoint) still renders.
// Numbers are doubles (exact up to 2^53). Pure functions.
#ifndef BARRAGE_CONTROLLER_REPORT_RESULT_DOC_H_
#define BARRAGE_CONTROLLER_REPORT_RESULT_DOC_H_

#include <cstdint>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>

#include "absl/status/statusor.h"

namespace barrage {
namespace result_doc {

using google::protobuf::Struct;
using google::protobuf::Value;

// InvalidArgument (with the parser's message) unless `json` is an object.
absl::StatusOr<Struct> ParseResultJson(const std::string& json);

const Value& Field(const Struct& s, const std::string& key);
bool Has(const Struct& s, const std::string& key);
double Num(const Struct& s, const std::string& key);
uint64_t Count(const Struct& s, const std::string& key);  // negative -> 0
const std::string& Str(const Struct& s, const std::string& key);
const Struct& Obj(const Struct& s, const std::string& key);
// The objects of array `key` (non-object elements read as empty objects).
std::vector<const Struct*> List(const Struct& s, const std::string& key);
// The requests of a result in scenario order: "request_order" (names in it
// that "requests" lacks are skipped), then any others of "requests" by name.
std::vector<std::string> RequestOrder(const Struct& result);

}  // namespace result_doc
}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_RESULT_DOC_H_
