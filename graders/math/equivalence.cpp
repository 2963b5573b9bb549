// Structural comparison of parsed answers; scalars go exact first, numeric second.
#include "graders/math/equivalence.h"

#include <algorithm>
#include <complex>
#include <optional>
#include <vector>

#include "graders/math/evaluate.h"
#include "graders/math/normalize.h"
#include "graders/math/parser.h"

namespace r1eval::graders::math {
namespace {

using Complex = std::complex<double>;

constexpr double kRelativeTolerance = 1e-9;
constexpr double kAbsoluteTolerance = 1e-12;
constexpr std::uint64_t kPointCount = 8;    // seeds tried for numeric comparison
constexpr int kPointsNeeded = 3;             // agreeing points that settle "equal"
constexpr int kMaxPlusMinusExpansions = 3;   // 2^3 alternatives at most

bool close(const Complex& a, const Complex& b) {
  const double difference = std::abs(a - b);
  return difference <= kAbsoluteTolerance || difference <= kRelativeTolerance * std::max(std::abs(a), std::abs(b));
}

bool is_collection(NodeKind kind) { return kind == NodeKind::kList || kind == NodeKind::kSet; }

bool is_structure(NodeKind kind) {
  return kind == NodeKind::kTuple || kind == NodeKind::kSet || kind == NodeKind::kList || kind == NodeKind::kUnion ||
         kind == NodeKind::kMatrix || kind == NodeKind::kRelation || kind == NodeKind::kPlusMinus;
}

bool contains(const Node& node, NodeKind kind) {
  if (node.kind == kind) return true;
  return std::any_of(node.children.begin(), node.children.end(),
                     [kind](const Node& child) { return contains(child, kind); });
}

bool is_inequality(const std::string& op) { return op == "<" || op == "<=" || op == ">" || op == ">="; }

// The left side of a definition: "x", or a function of one variable "f(x)" (parsed as the product f·x).
bool is_defined_name(const Node& node) {
  if (node.kind == NodeKind::kSymbol) return true;
  if (node.kind != NodeKind::kMul || node.children.size() != 2) return false;
  const Node& function = node.children[0];
  const bool function_name = function.kind == NodeKind::kSymbol &&
                             (function.text == "f" || function.text == "g" || function.text == "h" ||
                              function.text == "p" || function.text == "q");
  return function_name && node.children[1].kind == NodeKind::kSymbol;
}

// "x = 5", "f(x) = 2x+1", "x \in [1,2]": a name, then its value.
bool is_assignment(const Node& node) {
  return node.kind == NodeKind::kRelation && node.relations.size() == 1 &&
         (node.relations[0] == "=" || node.relations[0] == "in") && is_defined_name(node.children[0]);
}

bool is_constant_chain(const Node& node) {
  if (node.kind != NodeKind::kRelation) return false;
  for (const std::string& op : node.relations) {
    if (op != "=") return false;
  }
  return !contains(node, NodeKind::kSymbol);
}

// Replaces the first ± in `node` by + (sign = 1) or - (sign = -1). Returns false when there is none.
bool resolve_first_plus_minus(Node& node, int sign) {
  if (node.kind == NodeKind::kPlusMinus) {
    Node left = std::move(node.children[0]);
    Node right = std::move(node.children[1]);
    if (sign < 0) right = make_node(NodeKind::kNeg, {std::move(right)});
    node = make_node(NodeKind::kAdd, {std::move(left), std::move(right)});
    return true;
  }
  for (Node& child : node.children) {
    if (resolve_first_plus_minus(child, sign)) return true;
  }
  return false;
}

void expand_plus_minus(const Node& node, int depth, std::vector<Node>& out) {
  if (depth >= kMaxPlusMinusExpansions || !contains(node, NodeKind::kPlusMinus)) {
    out.push_back(node);
    return;
  }
  for (int sign : {1, -1}) {
    Node copy = node;
    resolve_first_plus_minus(copy, sign);
    expand_plus_minus(copy, depth + 1, out);
  }
}

// The members of a set-like answer: list and set elements, with ± expanded.
std::vector<Node> members(const Node& node) {
  std::vector<Node> out;
  if (is_collection(node.kind)) {
    for (const Node& child : node.children) expand_plus_minus(child, 0, out);
  } else {
    expand_plus_minus(node, 0, out);
  }
  return out;
}

Node negative_infinity() { return make_node(NodeKind::kNeg, {make_node(NodeKind::kInfinity)}); }

// An inequality in one variable as an interval: "x \le 3" -> (-\infty, 3], "1 < x \le 2" -> (1, 2].
std::optional<Node> inequality_to_interval(const Node& relation) {
  if (relation.kind != NodeKind::kRelation) return std::nullopt;
  for (const std::string& op : relation.relations) {
    if (!is_inequality(op)) return std::nullopt;
  }
  auto interval = [](Node low, bool low_closed, Node high, bool high_closed) {
    Node tuple = make_node(NodeKind::kTuple, {std::move(low), std::move(high)});
    tuple.open = low_closed ? '[' : '(';
    tuple.close = high_closed ? ']' : ')';
    return tuple;
  };
  const auto& c = relation.children;
  const auto& ops = relation.relations;
  auto is_less = [](const std::string& op) { return op == "<" || op == "<="; };
  auto is_closed = [](const std::string& op) { return op == "<=" || op == ">="; };
  if (c.size() == 2) {
    const bool left_variable = c[0].kind == NodeKind::kSymbol && !contains(c[1], NodeKind::kSymbol);
    const bool right_variable = c[1].kind == NodeKind::kSymbol && !contains(c[0], NodeKind::kSymbol);
    if (!left_variable && !right_variable) return std::nullopt;
    const Node& bound = left_variable ? c[1] : c[0];
    // Variable below the bound: "x < b" or "b > x".
    const bool below = left_variable == is_less(ops[0]);
    if (below) return interval(negative_infinity(), false, bound, is_closed(ops[0]));
    return interval(bound, is_closed(ops[0]), make_node(NodeKind::kInfinity), false);
  }
  if (c.size() == 3 && c[1].kind == NodeKind::kSymbol && !contains(c[0], NodeKind::kSymbol) &&
      !contains(c[2], NodeKind::kSymbol) && is_less(ops[0]) == is_less(ops[1])) {
    if (is_less(ops[0])) return interval(c[0], is_closed(ops[0]), c[2], is_closed(ops[1]));
    return interval(c[2], is_closed(ops[1]), c[0], is_closed(ops[0]));
  }
  return std::nullopt;
}

class Comparer {
 public:
  explicit Comparer(StepBudget& budget) : budget_(budget) {}

  const std::string& method() const { return method_; }

  bool nodes(const Node& a, const Node& b) {
    budget_.charge();
    if (is_assignment(a) && b.kind != NodeKind::kRelation) return nodes(a.children[1], b);
    if (is_assignment(b) && a.kind != NodeKind::kRelation) return nodes(a, b.children[1]);
    // "\\frac{6}{12} = \\frac12": a chain of equal constants stands for its last member.
    if (is_constant_chain(a) && b.kind != NodeKind::kRelation) return nodes(a.children.back(), b);
    if (is_constant_chain(b) && a.kind != NodeKind::kRelation) return nodes(a, b.children.back());
    if (a.kind == NodeKind::kRelation || b.kind == NodeKind::kRelation) {
      std::optional<Node> interval_a = inequality_to_interval(a);
      std::optional<Node> interval_b = inequality_to_interval(b);
      if (interval_a || interval_b) return nodes(interval_a ? *interval_a : a, interval_b ? *interval_b : b);
    }
    if (a.kind == NodeKind::kTuple && b.kind == NodeKind::kTuple) {
      note("tuple");
      return a.open == b.open && a.close == b.close && ordered(a.children, b.children);
    }
    // "x < -1, x > 1" (from "x<-1 or x>1") against a union of intervals.
    if ((a.kind == NodeKind::kList && b.kind == NodeKind::kUnion) ||
        (a.kind == NodeKind::kUnion && b.kind == NodeKind::kList)) {
      note("union");
      return unordered(as_intervals(a), as_intervals(b));
    }
    const bool a_many = is_collection(a.kind) || contains(a, NodeKind::kPlusMinus);
    const bool b_many = is_collection(b.kind) || contains(b, NodeKind::kPlusMinus);
    if (a_many || b_many) {
      // A bare list against a tuple: the tuple's order counts ("1, 2" vs "(1, 2)").
      if ((a.kind == NodeKind::kList && b.kind == NodeKind::kTuple) ||
          (a.kind == NodeKind::kTuple && b.kind == NodeKind::kList)) {
        note("ordered list");
        return ordered(a.children, b.children);
      }
      if (a.kind == NodeKind::kTuple || b.kind == NodeKind::kTuple) return false;
      note("unordered");
      const std::vector<Node> members_a = members(a);
      const std::vector<Node> members_b = members(b);
      // More ± than we expand: refuse rather than expand again at every level.
      for (const std::vector<Node>* side : {&members_a, &members_b}) {
        for (const Node& member : *side) {
          if (contains(member, NodeKind::kPlusMinus)) return false;
        }
      }
      return unordered(members_a, members_b);
    }
    if (a.kind == NodeKind::kUnion || b.kind == NodeKind::kUnion) {
      note("union");
      return unordered(union_parts(a), union_parts(b));
    }
    if (a.kind == NodeKind::kMatrix || b.kind == NodeKind::kMatrix) return matrices(a, b);
    if (a.kind == NodeKind::kRelation && b.kind == NodeKind::kRelation) return relations(a, b);
    if (is_structure(a.kind) || is_structure(b.kind)) return false;
    return scalars(a, b);
  }

 private:
  void note(const char* method) {
    if (method_.empty()) method_ = method;
  }

  static std::vector<Node> as_intervals(const Node& node) {
    if (node.kind != NodeKind::kList) return union_parts(node);
    std::vector<Node> parts;
    for (const Node& child : node.children) {
      std::optional<Node> interval = inequality_to_interval(child);
      parts.push_back(interval ? std::move(*interval) : child);
    }
    return parts;
  }

  static std::vector<Node> union_parts(const Node& node) {
    if (node.kind == NodeKind::kUnion) return node.children;
    return {node};
  }

  bool ordered(const std::vector<Node>& a, const std::vector<Node>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!nodes(a[i], b[i])) return false;
    }
    return true;
  }

  // Set semantics: repeated members count once ("\\boxed{x+11} or \\boxed{11+x}" is one answer).
  std::vector<Node> distinct(const std::vector<Node>& members) {
    std::vector<Node> out;
    for (const Node& member : members) {
      bool seen = false;
      for (const Node& kept : out) {
        if (nodes(kept, member)) {
          seen = true;
          break;
        }
      }
      if (!seen) out.push_back(member);
    }
    return out;
  }

  bool unordered(const std::vector<Node>& all_a, const std::vector<Node>& all_b) {
    const std::vector<Node> a = distinct(all_a);
    const std::vector<Node> b = distinct(all_b);
    if (a.size() != b.size()) return false;
    std::vector<bool> used(b.size(), false);
    for (const Node& x : a) {
      bool found = false;
      for (std::size_t j = 0; j < b.size() && !found; ++j) {
        if (!used[j] && nodes(x, b[j])) {
          used[j] = true;
          found = true;
        }
      }
      if (!found) return false;
    }
    return true;
  }

  bool matrices(const Node& a, const Node& b) {
    note("matrix");
    if (a.kind == NodeKind::kMatrix && b.kind == NodeKind::kMatrix) {
      return a.columns == b.columns && ordered(a.children, b.children);
    }
    // A column or row vector against a parenthesized tuple.
    const Node& matrix = a.kind == NodeKind::kMatrix ? a : b;
    const Node& other = a.kind == NodeKind::kMatrix ? b : a;
    const std::size_t rows = matrix.columns == 0 ? 0 : matrix.children.size() / matrix.columns;
    if (other.kind != NodeKind::kTuple || other.open != '(' || other.close != ')') return false;
    if (matrix.columns != 1 && rows != 1) return false;
    return ordered(matrix.children, other.children);
  }

  bool relations(const Node& a, const Node& b) {
    note("relation");
    if (a.relations.size() == 1 && b.relations.size() == 1 && a.relations[0] == "=" && b.relations[0] == "=") {
      return proportional_equations(a, b);
    }
    if (a.relations.size() != b.relations.size()) return false;
    // Compare with every > turned into <: "a > b" is "b < a".
    auto oriented = [](const Node& relation) {
      Node copy = relation;
      if (!copy.relations.empty() && (copy.relations[0] == ">" || copy.relations[0] == ">=")) {
        std::reverse(copy.children.begin(), copy.children.end());
        std::reverse(copy.relations.begin(), copy.relations.end());
        for (std::string& op : copy.relations) {
          if (op == ">") op = "<";
          else if (op == ">=") op = "<=";
          else if (op == "<") op = ">";
          else if (op == "<=") op = ">=";
        }
      }
      return copy;
    };
    const Node x = oriented(a);
    const Node y = oriented(b);
    return x.relations == y.relations && ordered(x.children, y.children);
  }

  // Same equation: lhs - rhs of one is a constant non-zero multiple of the other's at every sampled point.
  bool proportional_equations(const Node& a, const Node& b) {
    const Node da = make_node(NodeKind::kAdd, {a.children[0], make_node(NodeKind::kNeg, {a.children[1]})});
    const Node db = make_node(NodeKind::kAdd, {b.children[0], make_node(NodeKind::kNeg, {b.children[1]})});
    std::optional<Complex> ratio;
    int agreeing = 0;
    bool both_vanish = true;
    for (std::uint64_t point = 1; point <= kPointCount; ++point) {
      std::optional<Complex> va = evaluate_numeric(da, point, budget_);
      std::optional<Complex> vb = evaluate_numeric(db, point, budget_);
      if (!va || !vb) continue;
      const bool a_zero = std::abs(*va) <= kAbsoluteTolerance;
      const bool b_zero = std::abs(*vb) <= kAbsoluteTolerance;
      if (a_zero != b_zero) return false;
      if (a_zero) {
        ++agreeing;
        continue;
      }
      both_vanish = false;
      const Complex r = *va / *vb;
      if (!ratio) ratio = r;
      else if (!close(*ratio, r)) return false;
      ++agreeing;
    }
    return agreeing > 0 && (ratio.has_value() || both_vanish);
  }

  bool scalars(const Node& a, const Node& b) {
    const int infinity_a = infinity_sign(a);
    const int infinity_b = infinity_sign(b);
    if (infinity_a != 0 || infinity_b != 0) return infinity_a == infinity_b;
    std::optional<GaussianRational> exact_a = evaluate_exact(a, budget_);
    if (exact_a) {
      std::optional<GaussianRational> exact_b = evaluate_exact(b, budget_);
      if (exact_b) {
        note("exact");
        return *exact_a == *exact_b;
      }
    }
    note("numeric");
    int agreeing = 0;
    for (std::uint64_t point = 1; point <= kPointCount && agreeing < kPointsNeeded; ++point) {
      std::optional<Complex> va = evaluate_numeric(a, point, budget_);
      std::optional<Complex> vb = evaluate_numeric(b, point, budget_);
      if (va.has_value() != vb.has_value()) return false;  // defined on one side only
      if (!va) continue;
      if (!close(*va, *vb)) return false;
      ++agreeing;
    }
    return agreeing > 0;
  }

  StepBudget& budget_;
  std::string method_;
};

Node divided_by_hundred(const Node& node) {
  return make_node(NodeKind::kDiv, {node, make_node(NodeKind::kNumber, {}, "100")});
}

}  // namespace

Equivalence compare_answers(std::string_view gold, std::string_view predicted, StepBudget& budget) {
  const NormalizedAnswer g = normalize_answer(gold);
  const NormalizedAnswer p = normalize_answer(predicted);
  budget.charge(static_cast<std::int64_t>((g.text.size() + p.text.size()) / 16));
  if (p.text.empty()) return {false, "empty"};
  if (text_key(g.text) == text_key(p.text)) return {true, "identical"};
  if (const char letter = choice_letter(g.text); letter != 0) {
    return {choice_letter(p.text) == letter, "choice"};
  }
  if (looks_like_words(g.text) || looks_like_words(p.text)) return {false, "text"};
  const std::optional<Node> gold_tree = parse_answer(g.text);
  const std::optional<Node> predicted_tree = parse_answer(p.text);
  if (!gold_tree || !predicted_tree) return {false, "unparsed"};
  Comparer comparer(budget);
  bool equal = comparer.nodes(*gold_tree, *predicted_tree);
  // A percent sign on either side also allows the fraction reading: 50\% = 0.5.
  if (!equal && g.percent && !is_structure(gold_tree->kind)) {
    equal = comparer.nodes(divided_by_hundred(*gold_tree), *predicted_tree);
  }
  if (!equal && p.percent && !is_structure(predicted_tree->kind)) {
    equal = comparer.nodes(*gold_tree, divided_by_hundred(*predicted_tree));
  }
  return {equal, comparer.method().empty() ? "structure" : comparer.method()};
}

bool answers_equivalent(std::string_view a, std::string_view b) {
  StepBudget budget(kDefaultComparisonSteps);
  try {
    return compare_answers(a, b, budget).equivalent;
  } catch (const BudgetExceeded&) {
    return false;
  }
}

}  // namespace r1eval::graders::math
