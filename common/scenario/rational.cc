// Copyright 2026 The Barrage Authors.

#include "common/scenario/rational.h"

#include <limits>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

int128 Gcd(int128 a, int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

}  // namespace

Rational::Rational(int64_t num, int64_t den) {
  *this = FromWide(num, den);
}

Rational Rational::FromWide(int128 num, int128 den) {
  Rational r;
  if (den == 0) {
    r.num_ = 0;
    r.den_ = 0;
    return r;
  }
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const int128 g = num == 0 ? den : Gcd(num, den);
  num /= g;
  den /= g;
  constexpr int128 kMax = std::numeric_limits<int64_t>::max();
  if (num > kMax || num < -kMax || den > kMax) {
    r.num_ = 0;
    r.den_ = 0;
    return r;
  }
  r.num_ = static_cast<int64_t>(num);
  r.den_ = static_cast<int64_t>(den);
  return r;
}

int64_t Rational::Floor() const {
  if (den_ <= 0) return 0;
  int64_t q = num_ / den_;
  if (num_ % den_ != 0 && num_ < 0) --q;
  return q;
}

std::string Rational::ToString() const {
  if (den_ == 1) return absl::StrCat(num_);
  return absl::StrCat(num_, "/", den_);
}

// An overflowed operand poisons the result (den 0 stays den 0).
Rational operator+(Rational a, Rational b) {
  if (!a.ok() || !b.ok()) return Rational::FromWide(0, 0);
  return Rational::FromWide(
      static_cast<int128>(a.num_) * b.den_ + static_cast<int128>(b.num_) * a.den_,
      static_cast<int128>(a.den_) * b.den_);
}

Rational operator-(Rational a, Rational b) {
  if (!a.ok() || !b.ok()) return Rational::FromWide(0, 0);
  return Rational::FromWide(
      static_cast<int128>(a.num_) * b.den_ - static_cast<int128>(b.num_) * a.den_,
      static_cast<int128>(a.den_) * b.den_);
}

Rational operator*(Rational a, Rational b) {
  if (!a.ok() || !b.ok()) return Rational::FromWide(0, 0);
  return Rational::FromWide(static_cast<int128>(a.num_) * b.num_,
                            static_cast<int128>(a.den_) * b.den_);
}

Rational operator/(Rational a, Rational b) {
  if (!a.ok() || !b.ok() || b.num_ == 0) return Rational::FromWide(0, 0);
  return Rational::FromWide(static_cast<int128>(a.num_) * b.den_,
                            static_cast<int128>(a.den_) * b.num_);
}

bool operator<(Rational a, Rational b) {
  return static_cast<int128>(a.num_) * b.den_ <
         static_cast<int128>(b.num_) * a.den_;
}

}  // namespace barrage
