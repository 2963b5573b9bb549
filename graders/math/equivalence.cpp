// Structural comparison of parsed answers; scalars go exact first, numeric second.
#include "graders/math/equivalence.h"

#include <algorithm>
#include <complex>
#include <optional>
#include <vector>

#include "graders/math/evaluate.h"
#include "graders/math/normalize.h"
#include "graders/math/number_text.h"
#include "graders/math/parser.h"
#include "graders/math/relations.h"

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

class Comparer {
 public:
  explicit Comparer(StepBudget& budget) : budget_(budget) {}

  const std::string& method() const { return method_; }

  bool nodes(const Node& a, const Node& b) {
    budget_.charge();
    // "x = 5+5+1 = 11" answers "x = 11", "\\frac{6}{12} = \\frac12" answers "\\frac12".
    std::optional<Node> settled_a = settle_chain(a);
    std::optional<Node> settled_b = settle_chain(b);
    if (settled_a || settled_b) return nodes(settled_a ? *settled_a : a, settled_b ? *settled_b : b);
    if (is_assignment(a) && b.kind != NodeKind::kRelation) return nodes(a.children[1], b);
    if (is_assignment(b) && a.kind != NodeKind::kRelation) return nodes(a, b.children[1]);
    if (a.kind == NodeKind::kRelation || b.kind == NodeKind::kRelation) {
      std::optional<Node> interval_a = inequality_to_interval(a, budget_);
      std::optional<Node> interval_b = inequality_to_interval(b, budget_);
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

  std::vector<Node> as_intervals(const Node& node) {
    if (node.kind != NodeKind::kList) return union_parts(node);
    std::vector<Node> parts;
    for (const Node& child : node.children) {
      std::optional<Node> interval = inequality_to_interval(child, budget_);
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
      return a.open == b.open && a.columns == b.columns && ordered(a.children, b.children);
    }
    // A column or row vector against a parenthesized tuple.
    const Node& matrix = a.kind == NodeKind::kMatrix ? a : b;
    const Node& other = a.kind == NodeKind::kMatrix ? b : a;
    const std::size_t rows = matrix.columns == 0 ? 0 : matrix.children.size() / matrix.columns;
    if (other.kind != NodeKind::kTuple || other.open != '(' || other.close != ')') return false;
    if (matrix.open == '|' || (matrix.columns != 1 && rows != 1)) return false;
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
  // Against a gold that is one number, a predicted "1,22" can only mean 1.22 (number_text.h).
  if (!equal && !is_structure(gold_tree->kind)) {
    if (const std::optional<std::string> reading = decimal_comma_reading(p.text)) {
      if (const std::optional<Node> decimal = parse_answer(*reading)) equal = comparer.nodes(*gold_tree, *decimal);
    }
  }
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
