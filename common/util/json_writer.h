// Copyright 2026 The Barrage Authors.
//
// JsonWriter: builds compact or indented JSON text with correct escaping,
// for the result summary and reports. Keys are written in call order.
// Not thread-safe; a value type.
#ifndef BARRAGE_COMMON_UTIL_JSON_WRITER_H_
#define BARRAGE_COMMON_UTIL_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace barrage {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(absl::string_view key);
  JsonWriter& String(absl::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Uint(uint64_t value);
  // Finite numbers with up to `digits` decimals, trailing zeros dropped;
  // NaN and infinities become null.
  JsonWriter& Double(double value, int digits = 6);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  const std::string& text() const { return out_; }

  static std::string Escape(absl::string_view s);

 private:
  void BeforeValue();

  std::string out_;
  std::vector<bool> first_;  // per open container: no element yet
  bool after_key_ = false;
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_JSON_WRITER_H_
