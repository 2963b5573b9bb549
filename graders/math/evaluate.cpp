// Exact and numeric evaluators over the expression tree.
#include "graders/math/evaluate.h"

#include <cmath>
#include <cstdlib>
#include <algorithm>
#include <string>

#include "common/hash.h"

namespace r1eval::graders::math {
namespace {

using Complex = std::complex<double>;

std::int64_t cost_of(std::size_t bits) { return 1 + static_cast<std::int64_t>(bits / 64); }

GaussianRational real(Rational value) { return {std::move(value), Rational()}; }

// Exact n-th root of a non-negative rational, when it is one.
std::optional<Rational> exact_root(const Rational& value, unsigned long n) {
  if (value.sign() < 0 || n == 0) return std::nullopt;
  if (n == 1) return value;
  if (n == 2) return value.exact_sqrt();
  mpz_t num;
  mpz_t den;
  mpz_init(num);
  mpz_init(den);
  const int num_exact = mpz_root(num, mpq_numref(value.raw()), n);
  const int den_exact = mpz_root(den, mpq_denref(value.raw()), n);
  std::optional<Rational> result;
  if (num_exact != 0 && den_exact != 0) result = Rational::from_mpz(num, den);
  mpz_clear(num);
  mpz_clear(den);
  return result;
}

std::optional<GaussianRational> power_exact(const GaussianRational& base, const GaussianRational& exponent,
                                            StepBudget& budget) {
  if (!exponent.is_real()) return std::nullopt;
  const Rational& e = exponent.re;
  if (e.is_integer()) {
    if (!e.fits_long()) throw BudgetExceeded();
    const long n = e.to_long();
    const unsigned long magnitude = n < 0 ? static_cast<unsigned long>(-(n + 1)) + 1 : static_cast<unsigned long>(n);
    if (base.is_zero()) {
      if (n <= 0) return std::nullopt;
      return base;
    }
    const std::size_t bits = base.bits();
    // |1| and |-1| stay small; everything else grows linearly with the exponent: refuse before computing.
    const bool unit = bits <= 4 && (base.re == Rational(1) || base.re == Rational(-1) || base.im == Rational(1) ||
                                    base.im == Rational(-1));
    if (!unit && magnitude > kMaxExactBits / (bits > 0 ? bits : 1)) throw BudgetExceeded();
    budget.charge(cost_of(bits * magnitude));
    if (base.is_real()) return real(base.re.pow(n));
    GaussianRational result{Rational(1), Rational()};
    GaussianRational square = base;
    unsigned long remaining = magnitude;
    while (remaining > 0) {
      budget.charge(cost_of(result.bits() + square.bits()));
      if (remaining & 1u) result = result * square;
      remaining >>= 1;
      if (remaining > 0) square = square * square;
    }
    if (n < 0) return divide(GaussianRational{Rational(1), Rational()}, result);
    return result;
  }
  // Rational exponent p/q: an exact root of a non-negative real base.
  if (!base.is_real() || base.re.sign() < 0) return std::nullopt;
  mpz_srcptr q = mpq_denref(e.raw());
  if (mpz_cmp_ui(q, 64) > 0) return std::nullopt;
  const unsigned long root = mpz_get_ui(q);
  std::optional<Rational> rooted = exact_root(base.re, root);
  if (!rooted) return std::nullopt;
  Rational numerator;
  mpq_set_z(numerator.raw_mutable(), mpq_numref(e.raw()));
  return power_exact(real(*rooted), real(numerator), budget);
}

std::optional<GaussianRational> function_exact(const Node& node, StepBudget& budget) {
  const std::string& name = node.text;
  std::optional<GaussianRational> x = evaluate_exact(node.children[0], budget);
  if (!x) return std::nullopt;
  if (name == "sqrt") {
    if (!x->is_real()) return std::nullopt;
    if (x->re.sign() >= 0) {
      if (std::optional<Rational> root = x->re.exact_sqrt()) return real(std::move(*root));
      return std::nullopt;
    }
    if (std::optional<Rational> root = (-x->re).exact_sqrt()) return GaussianRational{Rational(), std::move(*root)};
    return std::nullopt;
  }
  if (name == "root") {
    std::optional<GaussianRational> index = evaluate_exact(node.children[1], budget);
    if (!index || !index->is_real() || !index->re.is_integer() || !x->is_real()) return std::nullopt;
    if (!index->re.fits_long() || index->re.to_long() < 1 || index->re.to_long() > 64) return std::nullopt;
    const unsigned long n = static_cast<unsigned long>(index->re.to_long());
    if (x->re.sign() < 0) {
      if (n % 2 == 0) return std::nullopt;
      if (std::optional<Rational> r = exact_root(-x->re, n)) return real(-*r);
      return std::nullopt;
    }
    if (std::optional<Rational> r = exact_root(x->re, n)) return real(std::move(*r));
    return std::nullopt;
  }
  if (name == "abs") {
    if (x->is_real()) return real(x->re.sign() < 0 ? -x->re : x->re);
    if (std::optional<Rational> r = (x->re * x->re + x->im * x->im).exact_sqrt()) return real(std::move(*r));
    return std::nullopt;
  }
  if (name == "floor" || name == "ceil") {
    if (!x->is_real()) return std::nullopt;
    Rational result;
    mpz_ptr numerator = mpq_numref(result.raw_mutable());
    if (name == "floor") {
      mpz_fdiv_q(numerator, mpq_numref(x->re.raw()), mpq_denref(x->re.raw()));
    } else {
      mpz_cdiv_q(numerator, mpq_numref(x->re.raw()), mpq_denref(x->re.raw()));
    }
    return real(std::move(result));
  }
  if (name == "binom") {
    std::optional<GaussianRational> k = evaluate_exact(node.children[1], budget);
    if (!k || !x->is_real() || !k->is_real() || !x->re.is_integer() || !k->re.is_integer()) return std::nullopt;
    if (!x->re.fits_long() || !k->re.fits_long()) throw BudgetExceeded();
    const long n_value = x->re.to_long();
    const long k_value = k->re.to_long();
    if (n_value < 0 || k_value < 0) return std::nullopt;
    if (k_value > n_value) return real(Rational(0));
    const long smaller = std::min(k_value, n_value - k_value);
    if (n_value > 10'000'000 || static_cast<double>(smaller) * std::log2(static_cast<double>(n_value) + 1.0) >
                                    static_cast<double>(kMaxExactBits)) {
      throw BudgetExceeded();
    }
    budget.charge(cost_of(static_cast<std::size_t>(smaller) * 24));
    return real(Rational::binomial(static_cast<unsigned long>(n_value), static_cast<unsigned long>(k_value)));
  }
  return std::nullopt;  // transcendental functions have no exact rational value here
}

double symbol_value(const std::string& name, std::uint64_t point) {
  const std::uint64_t h = common::fnv1a(name);
  const std::uint64_t r = common::splitmix64(h ^ common::splitmix64(point + 0x51ed27a3ULL));
  return 0.5 + 3.0 * static_cast<double>(r >> 11) / 9007199254740992.0;
}

bool finite(const Complex& z) { return std::isfinite(z.real()) && std::isfinite(z.imag()); }

std::optional<Complex> function_numeric(const Node& node, std::uint64_t point, StepBudget& budget) {
  const std::string& name = node.text;
  std::optional<Complex> maybe_x = evaluate_numeric(node.children[0], point, budget);
  if (!maybe_x) return std::nullopt;
  const Complex x = *maybe_x;
  const bool is_real = std::abs(x.imag()) <= 1e-12 * std::max(1.0, std::abs(x.real()));
  if (name == "sqrt") return std::sqrt(x);
  if (name == "root") {
    std::optional<Complex> index = evaluate_numeric(node.children[1], point, budget);
    if (!index || index->real() == 0.0) return std::nullopt;
    const double n = index->real();
    // Odd roots of negative reals are real: \sqrt[3]{-8} = -2.
    if (is_real && x.real() < 0 && std::fmod(n, 2.0) == 1.0) return Complex(-std::pow(-x.real(), 1.0 / n), 0.0);
    return std::pow(x, 1.0 / n);
  }
  if (name == "abs") return Complex(std::abs(x), 0.0);
  if (name == "floor") return is_real ? std::optional<Complex>(Complex(std::floor(x.real()), 0.0)) : std::nullopt;
  if (name == "ceil") return is_real ? std::optional<Complex>(Complex(std::ceil(x.real()), 0.0)) : std::nullopt;
  if (name == "sin") return std::sin(x);
  if (name == "cos") return std::cos(x);
  if (name == "tan") return std::tan(x);
  if (name == "cot") return 1.0 / std::tan(x);
  if (name == "sec") return 1.0 / std::cos(x);
  if (name == "csc") return 1.0 / std::sin(x);
  if (name == "arcsin") return std::asin(x);
  if (name == "arccos") return std::acos(x);
  if (name == "arctan") return std::atan(x);
  if (name == "sinh") return std::sinh(x);
  if (name == "cosh") return std::cosh(x);
  if (name == "tanh") return std::tanh(x);
  if (name == "exp") return std::exp(x);
  if (name == "ln") return std::log(x);
  if (name == "log") {
    if (node.children.size() > 1) {
      std::optional<Complex> base = evaluate_numeric(node.children[1], point, budget);
      if (!base) return std::nullopt;
      return std::log(x) / std::log(*base);
    }
    return std::log(x);
  }
  if (name == "binom") {
    std::optional<Complex> k = evaluate_numeric(node.children[1], point, budget);
    if (!k || !is_real) return std::nullopt;
    const double n = x.real();
    const double kk = k->real();
    return Complex(std::exp(std::lgamma(n + 1) - std::lgamma(kk + 1) - std::lgamma(n - kk + 1)), 0.0);
  }
  return std::nullopt;
}

}  // namespace

int infinity_sign(const Node& node) {
  if (node.kind == NodeKind::kInfinity) return 1;
  if (node.kind == NodeKind::kNeg && node.children[0].kind == NodeKind::kInfinity) return -1;
  return 0;
}

std::optional<GaussianRational> evaluate_exact(const Node& node, StepBudget& budget) {
  budget.charge();
  switch (node.kind) {
    case NodeKind::kNumber: {
      std::optional<Rational> value = Rational::from_decimal(node.text);
      if (!value) throw BudgetExceeded();  // an exponent beyond the limit
      budget.charge(cost_of(value->bits()));
      return real(std::move(*value));
    }
    case NodeKind::kImaginary:
      return GaussianRational{Rational(), Rational(1)};
    case NodeKind::kAdd: {
      GaussianRational sum{Rational(), Rational()};
      for (const Node& child : node.children) {
        std::optional<GaussianRational> term = evaluate_exact(child, budget);
        if (!term) return std::nullopt;
        budget.charge(cost_of(sum.bits() + term->bits()));
        sum = sum + *term;
      }
      return sum;
    }
    case NodeKind::kMul: {
      GaussianRational product{Rational(1), Rational()};
      for (const Node& child : node.children) {
        std::optional<GaussianRational> factor = evaluate_exact(child, budget);
        if (!factor) return std::nullopt;
        const std::size_t bits = product.bits() + factor->bits();
        if (bits > kMaxExactBits) throw BudgetExceeded();
        budget.charge(cost_of(bits));
        product = product * *factor;
      }
      return product;
    }
    case NodeKind::kDiv: {
      std::optional<GaussianRational> numerator = evaluate_exact(node.children[0], budget);
      if (!numerator) return std::nullopt;
      std::optional<GaussianRational> denominator = evaluate_exact(node.children[1], budget);
      if (!denominator) return std::nullopt;
      budget.charge(cost_of(numerator->bits() + denominator->bits()));
      return divide(*numerator, *denominator);
    }
    case NodeKind::kNeg: {
      std::optional<GaussianRational> value = evaluate_exact(node.children[0], budget);
      if (!value) return std::nullopt;
      return GaussianRational{-value->re, -value->im};
    }
    case NodeKind::kPow: {
      std::optional<GaussianRational> base = evaluate_exact(node.children[0], budget);
      if (!base) return std::nullopt;
      std::optional<GaussianRational> exponent = evaluate_exact(node.children[1], budget);
      if (!exponent) return std::nullopt;
      return power_exact(*base, *exponent, budget);
    }
    case NodeKind::kFactorial: {
      std::optional<GaussianRational> value = evaluate_exact(node.children[0], budget);
      if (!value || !value->is_real() || !value->re.is_integer() || value->re.sign() < 0) return std::nullopt;
      if (!value->re.fits_long() || value->re.to_long() > static_cast<long>(kMaxFactorial)) throw BudgetExceeded();
      const unsigned long n = static_cast<unsigned long>(value->re.to_long());
      budget.charge(cost_of(n * 14));
      return real(Rational::factorial(n));
    }
    case NodeKind::kFunction:
      return function_exact(node, budget);
    default:
      return std::nullopt;
  }
}

std::optional<Complex> evaluate_numeric(const Node& node, std::uint64_t point, StepBudget& budget) {
  budget.charge();
  std::optional<Complex> result;
  switch (node.kind) {
    case NodeKind::kNumber:
      result = Complex(std::strtod(node.text.c_str(), nullptr), 0.0);
      break;
    case NodeKind::kSymbol:
      result = Complex(symbol_value(node.text, point), 0.0);
      break;
    case NodeKind::kPi:
      result = Complex(3.14159265358979323846, 0.0);
      break;
    case NodeKind::kEuler:
      result = Complex(2.71828182845904523536, 0.0);
      break;
    case NodeKind::kImaginary:
      result = Complex(0.0, 1.0);
      break;
    case NodeKind::kAdd: {
      Complex sum(0.0, 0.0);
      for (const Node& child : node.children) {
        std::optional<Complex> term = evaluate_numeric(child, point, budget);
        if (!term) return std::nullopt;
        sum += *term;
      }
      result = sum;
      break;
    }
    case NodeKind::kMul: {
      Complex product(1.0, 0.0);
      for (const Node& child : node.children) {
        std::optional<Complex> factor = evaluate_numeric(child, point, budget);
        if (!factor) return std::nullopt;
        product *= *factor;
      }
      result = product;
      break;
    }
    case NodeKind::kDiv: {
      std::optional<Complex> numerator = evaluate_numeric(node.children[0], point, budget);
      std::optional<Complex> denominator = evaluate_numeric(node.children[1], point, budget);
      if (!numerator || !denominator || std::abs(*denominator) < 1e-300) return std::nullopt;
      result = *numerator / *denominator;
      break;
    }
    case NodeKind::kNeg: {
      std::optional<Complex> value = evaluate_numeric(node.children[0], point, budget);
      if (!value) return std::nullopt;
      result = Complex(0.0, 0.0) - *value;  // not -value: no negative zeros to flip a branch cut (sqrt(-12))
      break;
    }
    case NodeKind::kPow: {
      std::optional<Complex> base = evaluate_numeric(node.children[0], point, budget);
      std::optional<Complex> exponent = evaluate_numeric(node.children[1], point, budget);
      if (!base || !exponent) return std::nullopt;
      const bool real_base = base->imag() == 0.0;
      const bool integer_exponent = exponent->imag() == 0.0 && std::nearbyint(exponent->real()) == exponent->real();
      if (real_base && integer_exponent) {
        result = Complex(std::pow(base->real(), exponent->real()), 0.0);
      } else if (real_base && exponent->imag() == 0.0 && base->real() >= 0.0) {
        result = Complex(std::pow(base->real(), exponent->real()), 0.0);
      } else {
        result = std::pow(*base, *exponent);
      }
      break;
    }
    case NodeKind::kFactorial: {
      std::optional<Complex> value = evaluate_numeric(node.children[0], point, budget);
      if (!value || value->imag() != 0.0 || value->real() < 0.0 || value->real() > 170.0) return std::nullopt;
      result = Complex(std::tgamma(value->real() + 1.0), 0.0);
      break;
    }
    case NodeKind::kFunction:
      result = function_numeric(node, point, budget);
      break;
    default:
      return std::nullopt;
  }
  if (!result || !finite(*result)) return std::nullopt;
  return result;
}

}  // namespace r1eval::graders::math
