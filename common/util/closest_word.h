// Copyright 2026 The Barrage Authors.
//
// "Did you mean ...?" for unknown scenario keys and unknown flags.
#ifndef BARRAGE_COMMON_UTIL_CLOSEST_WORD_H_
#define BARRAGE_COMMON_UTIL_CLOSEST_WORD_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace barrage {

// The closest of `candidates` to `word` within edit distance 2 (Levenshtein),
// the first of equals; "" when none is that close.
std::string ClosestWord(absl::string_view word,
                        const std::vector<absl::string_view>& candidates);

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_CLOSEST_WORD_H_
