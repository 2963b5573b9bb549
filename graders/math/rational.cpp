// GMP-backed exact arithmetic for the math grader.
#include "graders/math/rational.h"

#include <cctype>
#include <climits>
#include <memory>

namespace r1eval::graders::math {

Rational::Rational(long numerator, unsigned long denominator) {
  mpq_init(value_);
  mpq_set_si(value_, numerator, denominator);
  mpq_canonicalize(value_);
}

Rational::Rational(const Rational& other) {
  mpq_init(value_);
  mpq_set(value_, other.value_);
}

Rational::Rational(Rational&& other) noexcept {
  mpq_init(value_);
  mpq_swap(value_, other.value_);
}

Rational& Rational::operator=(const Rational& other) {
  if (this != &other) mpq_set(value_, other.value_);
  return *this;
}

Rational& Rational::operator=(Rational&& other) noexcept {
  mpq_swap(value_, other.value_);
  return *this;
}

std::optional<Rational> Rational::from_decimal(std::string_view text, long max_exponent) {
  std::string digits;
  long scale = 0;  // value = digits * 10^scale
  std::size_t i = 0;
  bool any_digit = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    digits += text[i++];
    any_digit = true;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      digits += text[i++];
      --scale;
      any_digit = true;
    }
  }
  if (!any_digit) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    long exponent = 0;
    bool exponent_digit = false;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (exponent > max_exponent) return std::nullopt;
      exponent = exponent * 10 + (text[i++] - '0');
      exponent_digit = true;
    }
    if (!exponent_digit) return std::nullopt;
    scale += negative ? -exponent : exponent;
  }
  if (i != text.size()) return std::nullopt;
  if (scale > max_exponent || scale < -max_exponent - static_cast<long>(digits.size())) return std::nullopt;
  Rational result;
  mpz_set_str(mpq_numref(result.value_), digits.c_str(), 10);
  mpz_t power;
  mpz_init(power);
  mpz_ui_pow_ui(power, 10, static_cast<unsigned long>(scale < 0 ? -scale : scale));
  if (scale >= 0) {
    mpz_mul(mpq_numref(result.value_), mpq_numref(result.value_), power);
  } else {
    mpz_set(mpq_denref(result.value_), power);
  }
  mpz_clear(power);
  mpq_canonicalize(result.value_);
  return result;
}

Rational Rational::from_mpz(mpz_srcptr numerator, mpz_srcptr denominator) {
  Rational r;
  mpz_set(mpq_numref(r.value_), numerator);
  mpz_set(mpq_denref(r.value_), denominator);
  mpq_canonicalize(r.value_);
  return r;
}

std::size_t Rational::bits() const {
  return mpz_sizeinbase(mpq_numref(value_), 2) + mpz_sizeinbase(mpq_denref(value_), 2);
}

bool Rational::fits_long() const { return is_integer() && mpz_fits_slong_p(mpq_numref(value_)) != 0; }

std::string Rational::to_string() const {
  std::unique_ptr<char, void (*)(void*)> text(mpq_get_str(nullptr, 10, value_), [](void* p) {
    void (*free_function)(void*, std::size_t);
    mp_get_memory_functions(nullptr, nullptr, &free_function);
    free_function(p, 0);
  });
  return std::string(text.get());
}

Rational Rational::operator+(const Rational& o) const {
  Rational r;
  mpq_add(r.value_, value_, o.value_);
  return r;
}
Rational Rational::operator-(const Rational& o) const {
  Rational r;
  mpq_sub(r.value_, value_, o.value_);
  return r;
}
Rational Rational::operator*(const Rational& o) const {
  Rational r;
  mpq_mul(r.value_, value_, o.value_);
  return r;
}
Rational Rational::operator/(const Rational& o) const {
  Rational r;
  mpq_div(r.value_, value_, o.value_);
  return r;
}
Rational Rational::operator-() const {
  Rational r;
  mpq_neg(r.value_, value_);
  return r;
}

std::optional<Rational> Rational::exact_sqrt() const {
  if (sign() < 0) return std::nullopt;
  if (mpz_perfect_square_p(mpq_numref(value_)) == 0 || mpz_perfect_square_p(mpq_denref(value_)) == 0) {
    return std::nullopt;
  }
  Rational r;
  mpz_sqrt(mpq_numref(r.value_), mpq_numref(value_));
  mpz_sqrt(mpq_denref(r.value_), mpq_denref(value_));
  mpq_canonicalize(r.value_);
  return r;
}

Rational Rational::pow(long exponent) const {
  const unsigned long magnitude =
      exponent < 0 ? static_cast<unsigned long>(-exponent) : static_cast<unsigned long>(exponent);
  Rational r;
  mpz_pow_ui(mpq_numref(r.value_), mpq_numref(value_), magnitude);
  mpz_pow_ui(mpq_denref(r.value_), mpq_denref(value_), magnitude);
  mpq_canonicalize(r.value_);
  if (exponent < 0) mpq_inv(r.value_, r.value_);
  return r;
}

Rational Rational::factorial(unsigned long n) {
  Rational r;
  mpz_fac_ui(mpq_numref(r.value_), n);
  return r;
}

Rational Rational::binomial(unsigned long n, unsigned long k) {
  Rational r;
  mpz_bin_uiui(mpq_numref(r.value_), n, k);
  return r;
}

GaussianRational operator+(const GaussianRational& a, const GaussianRational& b) {
  return {a.re + b.re, a.im + b.im};
}
GaussianRational operator-(const GaussianRational& a, const GaussianRational& b) {
  return {a.re - b.re, a.im - b.im};
}
GaussianRational operator*(const GaussianRational& a, const GaussianRational& b) {
  if (a.is_real() && b.is_real()) return {a.re * b.re, Rational()};
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
std::optional<GaussianRational> divide(const GaussianRational& a, const GaussianRational& b) {
  if (b.is_zero()) return std::nullopt;
  if (b.is_real()) return GaussianRational{a.re / b.re, a.im / b.re};
  const Rational norm = b.re * b.re + b.im * b.im;
  return GaussianRational{(a.re * b.re + a.im * b.im) / norm, (a.im * b.re - a.re * b.im) / norm};
}

}  // namespace r1eval::graders::math
