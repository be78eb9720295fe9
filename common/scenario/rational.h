// Copyright 2026 The Barrage Authors.
//
// Rational: an exact fraction num/den (den > 0) in lowest terms, used for
// arrival rates (requests per second) and load shares, so that splitting a
// plan across agents never drifts: the shares of a rate add up to exactly the
// rate. Arithmetic is done in 128 bits and reduced; a result whose reduced
// numerator or denominator does not fit in 63 bits is reported by ok() ==
// false rather than silently wrapped.
//
// Thread safety: a value type.
#ifndef BARRAGE_COMMON_SCENARIO_RATIONAL_H_
#define BARRAGE_COMMON_SCENARIO_RATIONAL_H_

#include <cstdint>
#include <string>

#include "common/util/int128.h"

namespace barrage {

class Rational {
 public:
  constexpr Rational() = default;  // 0/1
  Rational(int64_t num, int64_t den);

  static Rational FromInt(int64_t n) { return Rational(n, 1); }

  int64_t num() const { return num_; }
  int64_t den() const { return den_; }
  bool ok() const { return den_ > 0; }  // false after an overflow
  bool is_zero() const { return num_ == 0; }
  double ToDouble() const {
    return static_cast<double>(num_) / static_cast<double>(den_);
  }
  // Largest integer <= this value.
  int64_t Floor() const;

  // "10/3" or "4"; exact.
  std::string ToString() const;

  friend Rational operator+(Rational a, Rational b);
  friend Rational operator-(Rational a, Rational b);
  friend Rational operator*(Rational a, Rational b);
  friend Rational operator/(Rational a, Rational b);
  friend bool operator==(Rational a, Rational b) {
    return a.num_ == b.num_ && a.den_ == b.den_;
  }
  friend bool operator!=(Rational a, Rational b) { return !(a == b); }
  friend bool operator<(Rational a, Rational b);
  friend bool operator<=(Rational a, Rational b) { return !(b < a); }
  friend bool operator>(Rational a, Rational b) { return b < a; }
  friend bool operator>=(Rational a, Rational b) { return !(a < b); }

 private:
  static Rational FromWide(int128 num, int128 den);

  int64_t num_ = 0;
  int64_t den_ = 1;  // > 0 when ok(); 0 marks an overflowed result
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_RATIONAL_H_
