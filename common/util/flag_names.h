// Copyright 2026 The Barrage Authors.
//
// The daemons' documented flags use dashes (--tls-cert, --token-file);
// Abseil's flag names use underscores. NormalizeFlagNames rewrites the name
// part of each "--flag" or "--flag=value" argument (not the values, not
// positional arguments) so both spellings work.
#ifndef BARRAGE_COMMON_UTIL_FLAG_NAMES_H_
#define BARRAGE_COMMON_UTIL_FLAG_NAMES_H_

#include <string>
#include <vector>

namespace barrage {

inline std::vector<std::string> NormalizeFlagNames(int argc, char** argv) {
  std::vector<std::string> out;
  bool rest_positional = false;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (i > 0 && !rest_positional && a == "--") rest_positional = true;
    if (i > 0 && !rest_positional && a.size() > 2 && a[0] == '-' && a[1] == '-') {
      const size_t end = a.find('=');
      for (size_t k = 2; k < std::min(end, a.size()); ++k) {
        if (a[k] == '-') a[k] = '_';
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_FLAG_NAMES_H_
