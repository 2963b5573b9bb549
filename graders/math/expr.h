// The expression tree that normalized answers parse into, shared by the evaluator and the comparison.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace r1eval::graders::math {

enum class NodeKind {
  kNumber,  // text: a decimal literal ("12", "0.5", "1.5e3")
  kSymbol,  // text: a variable name ("x", "x_1", "\alpha")
  kPi,
  kEuler,      // the constant e
  kImaginary,  // i
  kInfinity,
  kAdd,        // children summed
  kMul,        // children multiplied
  kDiv,        // children[0] / children[1]
  kNeg,        // -children[0]
  kPow,        // children[0] ^ children[1]
  kFunction,   // text: name ("sqrt", "sin", "log", "abs", "floor", "binom", "root"); children: arguments
  kFactorial,  // children[0]!
  kPlusMinus,  // children[0] ± children[1]: stands for two answers
  kTuple,      // open/close: the brackets ('(' ')' '[' ']'); children: elements (intervals are tuples too)
  kSet,        // \{ ... \}: unordered
  kList,       // a bare top-level comma list: "1, 2, 3"
  kUnion,      // children joined by \cup
  kMatrix,     // children: cells, row-major; columns: the row width; open: '|' for a vmatrix (a determinant)
  kRelation,   // children: operands; relations: one operator between each pair ("=", "<", "<=", ">", ">=", "!=",
               // "in", "approx")
};

struct Node {
  NodeKind kind = NodeKind::kNumber;
  std::string text;
  char open = 0;
  char close = 0;
  std::size_t columns = 0;
  std::vector<std::string> relations;
  std::vector<Node> children;
};

inline Node make_node(NodeKind kind, std::vector<Node> children = {}, std::string text = {}) {
  Node node;
  node.kind = kind;
  node.children = std::move(children);
  node.text = std::move(text);
  return node;
}

inline bool contains(const Node& node, NodeKind kind) {
  if (node.kind == kind) return true;
  return std::any_of(node.children.begin(), node.children.end(),
                     [kind](const Node& child) { return contains(child, kind); });
}

}  // namespace r1eval::graders::math
