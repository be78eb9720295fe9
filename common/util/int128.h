// Copyright 2026 The Barrage Authors.
//
// 128-bit integers for exact intermediate products (rates x times, counts x
// values). A GCC/Clang extension; __extension__ keeps -Wpedantic quiet.
#ifndef BARRAGE_COMMON_UTIL_INT128_H_
#define BARRAGE_COMMON_UTIL_INT128_H_

namespace barrage {

__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_INT128_H_
