// Internal: the syntax tree shared by the Jinja parser and renderer.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/tokenizer/jinja_value.h"

namespace r1eval::engine::tokenizer::jinja {

struct Expr {
  enum class Kind {
    kLiteral,    // value
    kName,       // name
    kList,       // args
    kDict,       // kwargs (string keys)
    kAttr,       // args[0].name
    kItem,       // args[0][args[1]]
    kSlice,      // args[0][args[1]:args[2]:args[3]] (null children allowed)
    kCall,       // args[0](args[1..], kwargs)
    kFilter,     // args[0] | name(args[1..], kwargs)
    kTest,       // args[0] is [not] name(args[1..])
    kUnary,      // name in {"-", "+", "not"} applied to args[0]
    kBinary,     // args[0] name args[1]: + - * / // % ~ == != < <= > >= in "not in"
    kAnd,
    kOr,
    kCondition,  // args[0] if args[1] else args[2] (args[2] may be null)
  };
  Kind kind = Kind::kLiteral;
  Value value;
  std::string name;
  bool negated = false;
  std::vector<std::unique_ptr<Expr>> args;
  std::vector<std::pair<std::string, std::unique_ptr<Expr>>> kwargs;
  std::size_t line = 1;
};

struct Node {
  enum class Kind { kSequence, kText, kOutput, kIf, kFor, kSet };
  Kind kind = Kind::kSequence;
  std::string text;                                 // kText
  std::unique_ptr<Expr> expr;                       // kOutput value, kFor iterable, kSet value
  std::vector<std::unique_ptr<Node>> children;      // kSequence
  std::vector<std::pair<std::unique_ptr<Expr>, std::unique_ptr<Node>>> branches;  // kIf (condition, body)
  std::unique_ptr<Node> body;                       // kFor body
  std::unique_ptr<Node> else_body;                  // kIf / kFor else
  std::vector<std::string> targets;                 // kFor loop variables; kSet: {name} or {namespace, attribute}
  std::unique_ptr<Expr> filter;                     // kFor "if" filter (may be null)
  std::size_t line = 1;
};

}  // namespace r1eval::engine::tokenizer::jinja
