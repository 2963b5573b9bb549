// Chains are settled on the tree; a linear inequality is solved from the values g(p) of lhs - rhs at a few
// points p, which show the side linear, and its root is the tree g(0) / (g(0) - g(1)), exact where the sides are.
#include "graders/math/relations.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>
#include <string_view>
#include <utility>

#include "graders/math/evaluate.h"

namespace r1eval::graders::math {
namespace {

constexpr double kLinearTolerance = 1e-9;

// The left side of a definition: "x", a function of one variable "f(x)" (parsed as the product f·x), or a
// tuple of names "(p, q)".
bool is_defined_name(const Node& node) {
  if (node.kind == NodeKind::kSymbol) return true;
  if (node.kind == NodeKind::kTuple) {
    return node.open == '(' && std::all_of(node.children.begin(), node.children.end(),
                                           [](const Node& child) { return child.kind == NodeKind::kSymbol; });
  }
  if (node.kind != NodeKind::kMul || node.children.size() != 2) return false;
  const Node& function = node.children[0];
  const bool function_name =
      function.kind == NodeKind::kSymbol && (function.text == "f" || function.text == "g" || function.text == "h" ||
                                             function.text == "p" || function.text == "q");
  return function_name && node.children[1].kind == NodeKind::kSymbol;
}

Node negative_infinity() { return make_node(NodeKind::kNeg, {make_node(NodeKind::kInfinity)}); }

Node interval(Node low, bool low_closed, Node high, bool high_closed) {
  Node tuple = make_node(NodeKind::kTuple, {std::move(low), std::move(high)});
  tuple.open = low_closed ? '[' : '(';
  tuple.close = high_closed ? ']' : ')';
  return tuple;
}

bool is_inequality(const std::string& op) { return op == "<" || op == "<=" || op == ">" || op == ">="; }
bool is_less(const std::string& op) { return op == "<" || op == "<="; }
bool is_closed(const std::string& op) { return op == "<=" || op == ">="; }

// The variable below or above `bound`: "x < b" and "b > x" put it below.
Node one_sided(Node bound, bool below, const std::string& op) {
  if (below) return interval(negative_infinity(), false, std::move(bound), is_closed(op));
  return interval(std::move(bound), is_closed(op), make_node(NodeKind::kInfinity), false);
}

// The one symbol name in `node` (every symbol must have it); false when there are none or several.
bool single_symbol(const Node& node, std::string& name) {
  if (node.kind == NodeKind::kSymbol) {
    if (name.empty()) name = node.text;
    return name == node.text;
  }
  return std::all_of(node.children.begin(), node.children.end(),
                     [&name](const Node& child) { return single_symbol(child, name); });
}

Node substituted(const Node& node, const std::string& name, const Node& value) {
  if (node.kind == NodeKind::kSymbol && node.text == name) return value;
  Node copy = node;
  for (Node& child : copy.children) child = substituted(child, name, value);
  return copy;
}

std::optional<double> real_value(const Node& constant, StepBudget& budget) {
  const std::optional<std::complex<double>> value = evaluate_numeric(constant, 1, budget);
  if (!value || std::abs(value->imag()) > kLinearTolerance * std::max(1.0, std::abs(value->real()))) {
    return std::nullopt;
  }
  return value->real();
}

// "lhs op rhs" with both sides in one variable and lhs - rhs linear in it: the side of the root it holds on.
// Linear means g(p) = g(0) + p·(g(1) - g(0)) at probes off the integers too, so that neither a polynomial
// vanishing at a few integers nor sin(\pi x) passes.
std::optional<Node> linear_interval(const Node& lhs, const std::string& op, const Node& rhs, StepBudget& budget) {
  std::string name;
  if (!single_symbol(lhs, name) || !single_symbol(rhs, name) || name.empty()) return std::nullopt;
  const Node difference = make_node(NodeKind::kAdd, {lhs, make_node(NodeKind::kNeg, {rhs})});
  auto at = [&](std::string_view point) {
    const bool negative = point.front() == '-';
    Node number = make_node(NodeKind::kNumber, {}, std::string(negative ? point.substr(1) : point));
    return substituted(difference, name, negative ? make_node(NodeKind::kNeg, {std::move(number)}) : number);
  };
  const Node at_zero = at("0");
  const Node at_one = at("1");
  const std::optional<double> zero = real_value(at_zero, budget);
  const std::optional<double> one = real_value(at_one, budget);
  if (!zero || !one) return std::nullopt;
  const double slope = *one - *zero;
  double scale = std::max({1.0, std::abs(*zero), std::abs(*one)});
  if (std::abs(slope) <= kLinearTolerance * scale) return std::nullopt;
  for (const auto& [point, value] :
       {std::pair{"-1", -1.0}, std::pair{"2", 2.0}, std::pair{"0.5", 0.5}, std::pair{"-2.75", -2.75}}) {
    const std::optional<double> probe = real_value(at(point), budget);
    if (!probe) return std::nullopt;
    scale = std::max(scale, std::abs(*probe));
    if (std::abs(*probe - (*zero + value * slope)) > kLinearTolerance * scale) return std::nullopt;
  }
  Node root =
      make_node(NodeKind::kDiv, {at_zero, make_node(NodeKind::kAdd, {at_zero, make_node(NodeKind::kNeg, {at_one})})});
  // lhs - rhs rises with the variable when the slope is positive: then "<" holds below the root.
  return one_sided(std::move(root), is_less(op) == (slope > 0), op);
}

bool contains_symbol(const Node& node) { return contains(node, NodeKind::kSymbol); }

}  // namespace

bool is_assignment(const Node& node) {
  return node.kind == NodeKind::kRelation && node.relations.size() == 1 &&
         (node.relations[0] == "=" || node.relations[0] == "in") && is_defined_name(node.children[0]);
}

std::optional<Node> settle_chain(const Node& node) {
  if (node.kind != NodeKind::kRelation) return std::nullopt;
  for (const std::string& op : node.relations) {
    if (op != "=" && op != "approx") return std::nullopt;
  }
  const auto approx = std::find(node.relations.begin(), node.relations.end(), "approx");
  // Sides kept: up to the first \approx when an equality precedes it, else all of them.
  const std::size_t kept = approx == node.relations.begin() ? node.relations.size()
                                                            : static_cast<std::size_t>(approx - node.relations.begin());
  std::vector<Node> sides(node.children.begin(), node.children.begin() + static_cast<std::ptrdiff_t>(kept + 1));
  if (std::none_of(sides.begin(), sides.end(), contains_symbol)) return std::move(sides.back());
  const bool named = kept >= 2 && is_defined_name(sides.front());
  if (!named && approx == node.relations.end()) return std::nullopt;
  Node settled = make_node(NodeKind::kRelation);
  if (named) {
    settled.children.push_back(std::move(sides.front()));
    settled.children.push_back(std::move(sides.back()));
  } else {
    settled.children = std::move(sides);
  }
  settled.relations.assign(settled.children.size() - 1, "=");
  return settled;
}

std::optional<Node> inequality_to_interval(const Node& relation, StepBudget& budget) {
  if (relation.kind != NodeKind::kRelation) return std::nullopt;
  for (const std::string& op : relation.relations) {
    if (!is_inequality(op)) return std::nullopt;
  }
  const auto& c = relation.children;
  const auto& ops = relation.relations;
  if (c.size() == 2) {
    const bool left_variable = is_defined_name(c[0]) && !contains_symbol(c[1]);
    const bool right_variable = is_defined_name(c[1]) && !contains_symbol(c[0]);
    if (!left_variable && !right_variable) return linear_interval(c[0], ops[0], c[1], budget);
    return one_sided(left_variable ? c[1] : c[0], left_variable == is_less(ops[0]), ops[0]);
  }
  if (c.size() == 3 && is_defined_name(c[1]) && !contains_symbol(c[0]) && !contains_symbol(c[2]) &&
      is_less(ops[0]) == is_less(ops[1])) {
    if (is_less(ops[0])) return interval(c[0], is_closed(ops[0]), c[2], is_closed(ops[1]));
    return interval(c[2], is_closed(ops[1]), c[0], is_closed(ops[0]));
  }
  return std::nullopt;
}

}  // namespace r1eval::graders::math
