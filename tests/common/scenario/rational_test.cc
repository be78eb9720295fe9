// Copyright 2026 The Barrage Authors.

#include "common/scenario/rational.h"

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("rationals are kept in lowest terms") {
  const Rational r(200, 60);
  CHECK(r.num() == 10);
  CHECK(r.den() == 3);
  CHECK(Rational(-4, -8) == Rational(1, 2));
  CHECK(Rational(3, -6) == Rational(-1, 2));
  CHECK(Rational(0, 7) == Rational());
  CHECK(r.ToString() == "10/3");
  CHECK(Rational::FromInt(4).ToString() == "4");
}

TEST_CASE("rational arithmetic is exact") {
  const Rational third(1, 3);
  CHECK(third + third + third == Rational::FromInt(1));
  CHECK(Rational(1000, 60) / Rational::FromInt(7) * Rational::FromInt(7) ==
        Rational(50, 3));
  CHECK(Rational(1, 2) - Rational(1, 3) == Rational(1, 6));
  CHECK(Rational(1, 3) < Rational(1, 2));
  CHECK(Rational(7, 2).Floor() == 3);
  CHECK(Rational(-7, 2).Floor() == -4);
}

TEST_CASE("rational overflow is reported, never wrapped") {
  const Rational big(INT64_MAX, 1);
  CHECK_FALSE((big + big).ok());
  CHECK_FALSE((big * big).ok());
  CHECK_FALSE((Rational(1, 3) / Rational()).ok());
  CHECK_FALSE(Rational(1, 0).ok());
  // An overflowed value poisons what is computed from it.
  CHECK_FALSE(((big + big) - big).ok());
  // Large but reducible products are fine.
  CHECK((Rational(INT64_MAX, 3) * Rational(3, INT64_MAX)) == Rational(1, 1));
}

}  // namespace
}  // namespace barrage
