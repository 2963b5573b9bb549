// Exact rational and Gaussian-rational numbers on GMP's mpq_t, with RAII ownership.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <gmp.h>

namespace r1eval::graders::math {

class Rational {
 public:
  Rational() { mpq_init(value_); }
  explicit Rational(long numerator, unsigned long denominator = 1);
  Rational(const Rational& other);
  Rational(Rational&& other) noexcept;
  Rational& operator=(const Rational& other);
  Rational& operator=(Rational&& other) noexcept;
  ~Rational() { mpq_clear(value_); }

  // Parses a decimal literal exactly: "12", "0.5", ".5", "1.5e3", "2E-4". nullopt if it is not one, or if
  // its exponent is beyond `max_exponent` (refused before computing).
  static std::optional<Rational> from_decimal(std::string_view text, long max_exponent = 10000);

  bool is_zero() const { return mpq_sgn(value_) == 0; }
  bool is_integer() const { return mpz_cmp_ui(mpq_denref(value_), 1) == 0; }
  int sign() const { return mpq_sgn(value_); }
  // Size in bits of numerator plus denominator: the cost measure for the step budget.
  std::size_t bits() const;
  double to_double() const { return mpq_get_d(value_); }
  // Only meaningful when is_integer() and the value fits.
  bool fits_long() const;
  long to_long() const { return mpz_get_si(mpq_numref(value_)); }
  std::string to_string() const;

  Rational operator+(const Rational& o) const;
  Rational operator-(const Rational& o) const;
  Rational operator*(const Rational& o) const;
  Rational operator/(const Rational& o) const;  // caller checks o is not zero
  Rational operator-() const;
  bool operator==(const Rational& o) const { return mpq_equal(value_, o.value_) != 0; }
  bool operator<(const Rational& o) const { return mpq_cmp(value_, o.value_) < 0; }

  // Exact square root when both numerator and denominator are perfect squares (value >= 0).
  std::optional<Rational> exact_sqrt() const;
  // Exact integer power; the caller bounds the result size first.
  Rational pow(long exponent) const;
  static Rational factorial(unsigned long n);
  static Rational binomial(unsigned long n, unsigned long k);

  const mpq_t& raw() const { return value_; }
  mpq_t& raw_mutable() { return value_; }
  // num/den, canonicalized; den must not be zero.
  static Rational from_mpz(mpz_srcptr numerator, mpz_srcptr denominator);

 private:
  mpq_t value_;
};

// a + b·i with rational parts: the exact value domain (complex answers such as 3+4i stay exact).
struct GaussianRational {
  Rational re;
  Rational im;
  bool is_real() const { return im.is_zero(); }
  bool is_zero() const { return re.is_zero() && im.is_zero(); }
  std::size_t bits() const { return re.bits() + im.bits(); }
  bool operator==(const GaussianRational& o) const { return re == o.re && im == o.im; }
};

GaussianRational operator+(const GaussianRational& a, const GaussianRational& b);
GaussianRational operator-(const GaussianRational& a, const GaussianRational& b);
GaussianRational operator*(const GaussianRational& a, const GaussianRational& b);
// nullopt when b is zero.
std::optional<GaussianRational> divide(const GaussianRational& a, const GaussianRational& b);

}  // namespace r1eval::graders::math
