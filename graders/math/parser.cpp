// Recursive descent over a lazily scanned token stream. Precedence, loosest first: top-level commas, \cup,
// relations, + - \pm, explicit and implicit products, unary minus, ^, postfix !, primaries.
#include "graders/math/parser.h"

#include <cctype>
#include <string>

#include "graders/math/text_scan.h"

namespace r1eval::graders::math {
namespace {

struct ParseFailure {};

enum class TokenType { kEnd, kNumber, kLetter, kCommand, kPunct };

struct Token {
  TokenType type = TokenType::kEnd;
  std::string text;  // number literal, letter, command name (without '\'), or the punctuation character
  std::size_t end = 0;
};

constexpr int kMaxDepth = 150;

bool is_function_name(std::string_view name) {
  static constexpr std::string_view kNames[] = {"sin",  "cos",  "tan",    "cot",    "sec",    "csc",
                                                "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
                                                "ln",   "log",  "exp"};
  for (std::string_view known : kNames) {
    if (known == name) return true;
  }
  return false;
}

bool is_greek(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
      "iota",  "kappa", "lambda", "mu",  "nu",      "xi",         "rho",  "sigma", "tau", "upsilon",
      "phi",   "varphi", "chi",  "psi", "omega",   "Gamma",      "Delta", "Theta", "Lambda", "Xi",
      "Sigma", "Phi", "Psi", "Omega"};
  for (std::string_view known : kNames) {
    if (known == name) return true;
  }
  return false;
}

// Relation operators, by command name or punctuation, mapped to their canonical spelling.
std::string relation_of(const Token& token) {
  if (token.type == TokenType::kPunct) {
    if (token.text == "=" || token.text == "<" || token.text == ">" || token.text == "<=" || token.text == ">=" ||
        token.text == "!=") {
      return token.text;
    }
    return {};
  }
  if (token.type != TokenType::kCommand) return {};
  const std::string& c = token.text;
  if (c == "le" || c == "leq" || c == "leqslant") return "<=";
  if (c == "ge" || c == "geq" || c == "geqslant") return ">=";
  if (c == "lt") return "<";
  if (c == "gt") return ">";
  if (c == "ne" || c == "neq") return "!=";
  if (c == "approx") return "approx";  // settled against the exact value before it (relations.h)
  if (c == "equiv") return "=";
  if (c == "in") return "in";
  return {};
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Node parse_top() {
    std::vector<Node> items = parse_comma_list();
    if (peek().type != TokenType::kEnd) throw ParseFailure{};
    if (items.size() == 1) return std::move(items[0]);
    return make_node(NodeKind::kList, std::move(items));
  }

 private:
  // ---- scanning ----
  void skip_spaces(std::size_t& pos) const {
    while (pos < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos])) != 0) ++pos;
  }

  Token scan(std::size_t pos) const {
    skip_spaces(pos);
    Token token;
    if (pos >= text_.size()) {
      token.end = pos;
      return token;
    }
    const char c = text_[pos];
    if (is_digit(c) || (c == '.' && pos + 1 < text_.size() && is_digit(text_[pos + 1]))) {
      std::size_t end = pos;
      while (end < text_.size() && is_digit(text_[end])) ++end;
      if (end < text_.size() && text_[end] == '.') {
        ++end;
        while (end < text_.size() && is_digit(text_[end])) ++end;
      }
      // Scientific notation only when digits follow the e: "2e" alone is 2·e.
      if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
        std::size_t exponent = end + 1;
        if (exponent < text_.size() && (text_[exponent] == '+' || text_[exponent] == '-')) ++exponent;
        if (exponent < text_.size() && is_digit(text_[exponent])) {
          while (exponent < text_.size() && is_digit(text_[exponent])) ++exponent;
          end = exponent;
        }
      }
      token.type = TokenType::kNumber;
      token.text = std::string(text_.substr(pos, end - pos));
      token.end = end;
      return token;
    }
    if (is_alpha(c)) {
      token.type = TokenType::kLetter;
      token.text = std::string(1, c);
      token.end = pos + 1;
      return token;
    }
    if (c == '\\') {
      std::size_t end = pos + 1;
      if (end < text_.size() && is_alpha(text_[end])) {
        while (end < text_.size() && is_alpha(text_[end])) ++end;
      } else if (end < text_.size()) {
        ++end;  // \{ \} \\ and other one-character commands
      }
      token.type = TokenType::kCommand;
      token.text = std::string(text_.substr(pos + 1, end - pos - 1));
      token.end = end;
      return token;
    }
    token.type = TokenType::kPunct;
    token.end = pos + 1;
    if ((c == '<' || c == '>' || c == '!') && pos + 1 < text_.size() && text_[pos + 1] == '=') {
      token.text = std::string(1, c) + "=";
      token.end = pos + 2;
    } else {
      token.text = std::string(1, c);
    }
    return token;
  }

  const Token& peek() {
    if (!peeked_) {
      current_ = scan(pos_);
      peeked_ = true;
    }
    return current_;
  }
  Token next() {
    Token token = peek();
    pos_ = token.end;
    peeked_ = false;
    return token;
  }
  bool at_punct(std::string_view p) { return peek().type == TokenType::kPunct && peek().text == p; }
  bool at_command(std::string_view c) { return peek().type == TokenType::kCommand && peek().text == c; }
  void expect_punct(std::string_view p) {
    if (!at_punct(p)) throw ParseFailure{};
    next();
  }

  struct DepthGuard {
    explicit DepthGuard(int& depth) : depth_(depth) {
      if (++depth_ > kMaxDepth) throw ParseFailure{};
    }
    ~DepthGuard() { --depth_; }
    int& depth_;
  };

  // ---- grammar ----
  std::vector<Node> parse_comma_list() {
    std::vector<Node> items;
    items.push_back(parse_union());
    while (at_punct(",") || at_punct(";")) {
      next();
      items.push_back(parse_union());
    }
    return items;
  }

  Node parse_union() {
    DepthGuard guard(depth_);
    Node first = parse_relation();
    if (!at_command("cup")) return first;
    std::vector<Node> parts;
    parts.push_back(std::move(first));
    while (at_command("cup")) {
      next();
      parts.push_back(parse_relation());
    }
    return make_node(NodeKind::kUnion, std::move(parts));
  }

  Node parse_relation() {
    Node first = parse_additive();
    std::string op = relation_of(peek());
    if (op.empty()) return first;
    Node relation = make_node(NodeKind::kRelation, {});
    relation.children.push_back(std::move(first));
    while (!op.empty()) {
      next();
      relation.relations.push_back(op);
      relation.children.push_back(parse_additive());
      op = relation_of(peek());
    }
    return relation;
  }

  Node parse_additive() {
    DepthGuard guard(depth_);
    Node left;
    if (at_punct("-")) {
      next();
      left = make_node(NodeKind::kNeg, {parse_term()});
    } else if (at_command("pm") || at_command("mp")) {
      next();
      left = make_node(NodeKind::kPlusMinus, {make_node(NodeKind::kNumber, {}, "0"), parse_term()});
    } else {
      if (at_punct("+")) next();
      left = parse_term();
    }
    while (true) {
      if (at_punct("+")) {
        next();
        left = combine_add(std::move(left), parse_term());
      } else if (at_punct("-")) {
        next();
        left = combine_add(std::move(left), make_node(NodeKind::kNeg, {parse_term()}));
      } else if (at_command("pm") || at_command("mp")) {
        next();
        left = make_node(NodeKind::kPlusMinus, {std::move(left), parse_term()});
      } else {
        return left;
      }
    }
  }

  static Node combine_add(Node left, Node right) {
    if (left.kind == NodeKind::kAdd) {
      left.children.push_back(std::move(right));
      return left;
    }
    return make_node(NodeKind::kAdd, {std::move(left), std::move(right)});
  }

  bool starts_implicit_factor() {
    const Token& token = peek();
    switch (token.type) {
      case TokenType::kNumber:
      case TokenType::kLetter:
        return true;
      case TokenType::kPunct:
        return token.text == "(";
      case TokenType::kCommand:
        return token.text == "frac" || token.text == "sqrt" || token.text == "pi" || token.text == "binom" ||
               token.text == "infty" || token.text == "lfloor" || token.text == "lceil" ||
               token.text == "begin" || is_function_name(token.text) || is_greek(token.text);
      default:
        return false;
    }
  }

  static bool is_integer_literal(const Node& node) {
    if (node.kind != NodeKind::kNumber) return false;
    for (char c : node.text) {
      if (!is_digit(c)) return false;
    }
    return true;
  }

  Node parse_term() {
    DepthGuard guard(depth_);
    Node left = parse_unary();
    bool first_factor = true;
    while (true) {
      if (at_punct("*") || at_command("cdot") || at_command("times") || at_command("ast")) {
        next();
        left = combine_mul(std::move(left), parse_unary());
      } else if (at_punct("/") || at_command("div")) {
        next();
        left = make_node(NodeKind::kDiv, {std::move(left), parse_unary()});
      } else if (starts_implicit_factor()) {
        const bool mixed_candidate = first_factor && is_integer_literal(left) && at_command("frac");
        Node right = parse_power();
        // "11 \frac{2}{3}" is the mixed number 11 + 2/3, as MATH writes it.
        if (mixed_candidate && right.kind == NodeKind::kDiv && is_integer_literal(right.children[0]) &&
            is_integer_literal(right.children[1])) {
          left = make_node(NodeKind::kAdd, {std::move(left), std::move(right)});
        } else {
          left = combine_mul(std::move(left), std::move(right));
        }
      } else {
        return left;
      }
      first_factor = false;
    }
  }

  static Node combine_mul(Node left, Node right) {
    if (left.kind == NodeKind::kMul) {
      left.children.push_back(std::move(right));
      return left;
    }
    return make_node(NodeKind::kMul, {std::move(left), std::move(right)});
  }

  Node parse_unary() {
    DepthGuard guard(depth_);
    if (at_punct("-")) {
      next();
      return make_node(NodeKind::kNeg, {parse_unary()});
    }
    if (at_punct("+")) {
      next();
      return parse_unary();
    }
    return parse_power();
  }

  Node parse_power() {
    DepthGuard guard(depth_);
    Node base = parse_postfix();
    if (!at_punct("^")) return base;
    next();
    Node exponent = parse_exponent();
    // Right associative: a^b^c = a^(b^c).
    if (at_punct("^")) {
      next();
      exponent = make_node(NodeKind::kPow, {std::move(exponent), parse_exponent()});
    }
    return make_node(NodeKind::kPow, {std::move(base), std::move(exponent)});
  }

  Node parse_postfix() {
    Node node = parse_primary();
    while (true) {
      if (at_punct("!")) {
        next();
        node = make_node(NodeKind::kFactorial, {std::move(node)});
      } else if (at_command("degree")) {  // inside trigonometry (see normalize.cpp): x° = x·π/180
        next();
        node =
            make_node(NodeKind::kMul,
                      {std::move(node),
                       make_node(NodeKind::kDiv, {make_node(NodeKind::kPi), make_node(NodeKind::kNumber, {}, "180")})});
      } else {
        return node;
      }
    }
  }

  // "0.1\\overline{6}": a repeating decimal, as the exact fraction it denotes.
  Node repeating_decimal(const std::string& literal) {
    const std::string repeating = read_braced_word();
    if (repeating.empty() || repeating.size() > 50 || literal.find_first_of("eE") != std::string::npos) {
      throw ParseFailure{};
    }
    for (char c : repeating) {
      if (!is_digit(c)) throw ParseFailure{};
    }
    const std::size_t dot = literal.find('.');
    const std::string whole = dot == std::string::npos ? literal : literal.substr(0, dot);
    const std::string fixed = dot == std::string::npos ? "" : literal.substr(dot + 1);
    if (fixed.size() > 50) throw ParseFailure{};
    // whole.fixed(repeating)... = (whole fixed repeating - whole fixed) / (10^|fixed| · (10^|repeating| - 1))
    const std::string all = (whole.empty() ? "0" : whole) + fixed + repeating;
    const std::string head = (whole.empty() ? "0" : whole) + fixed;
    Node numerator = make_node(NodeKind::kAdd, {make_node(NodeKind::kNumber, {}, all),
                                                make_node(NodeKind::kNeg, {make_node(NodeKind::kNumber, {}, head)})});
    const std::string nines(repeating.size(), '9');
    Node denominator = make_node(NodeKind::kNumber, {}, nines + std::string(fixed.size(), '0'));
    return make_node(NodeKind::kDiv, {std::move(numerator), std::move(denominator)});
  }

  // The argument of ^, _, \frac, \sqrt written without braces takes one character (LaTeX's rule: \frac12 is
  // 1/2, x^23 is x^2·3); with braces, the whole group.
  Node parse_script_argument() {
    DepthGuard guard(depth_);
    skip_spaces(pos_);
    peeked_ = false;
    if (pos_ >= text_.size()) throw ParseFailure{};
    const char c = text_[pos_];
    if (c == '{') {
      ++pos_;
      Node inner = parse_group_body("}");
      return inner;
    }
    if (c == '-') {
      ++pos_;
      return make_node(NodeKind::kNeg, {parse_script_argument()});
    }
    if (is_digit(c)) {
      ++pos_;
      return make_node(NodeKind::kNumber, {}, std::string(1, c));
    }
    if (is_alpha(c)) return parse_primary();
    if (c == '\\') return parse_postfix();
    if (c == '(') return parse_primary();
    throw ParseFailure{};
  }

  // An unbraced exponent that is a number is read whole: answers write "2^10" for 1024, not LaTeX's 2^1·0.
  Node parse_exponent() {
    if (peek().type == TokenType::kNumber) return make_node(NodeKind::kNumber, {}, next().text);
    return parse_script_argument();
  }

  // Parses until the closing punctuation `close` and consumes it; one element is a group, several a set.
  Node parse_group_body(std::string_view close) {
    std::vector<Node> items = parse_comma_list();
    expect_punct(close);
    if (items.size() == 1) return std::move(items[0]);
    return make_node(NodeKind::kSet, std::move(items));
  }

  Node parse_bracketed(char open) {
    std::vector<Node> items = parse_comma_list();
    const Token& closing = peek();
    if (closing.type != TokenType::kPunct || (closing.text != ")" && closing.text != "]")) throw ParseFailure{};
    const char close = closing.text[0];
    next();
    if (items.size() == 1 && ((open == '(' && close == ')') || (open == '[' && close == ']'))) {
      return std::move(items[0]);
    }
    Node tuple = make_node(NodeKind::kTuple, std::move(items));
    tuple.open = open;
    tuple.close = close;
    return tuple;
  }

  Node parse_function_argument() {
    if (at_punct("(")) {
      next();
      return parse_bracketed('(');
    }
    // \sin 3x: a product of powers, without a sign.
    Node argument = parse_power();
    while (peek().type == TokenType::kNumber || peek().type == TokenType::kLetter) {
      argument = combine_mul(std::move(argument), parse_power());
    }
    return argument;
  }

  Node parse_matrix(const std::string& environment) {
    Node matrix = make_node(NodeKind::kMatrix);
    if (environment == "array") {  // skip the column specification {cc}
      skip_spaces(pos_);
      peeked_ = false;
      if (pos_ < text_.size() && text_[pos_] == '{') {
        const std::size_t close = text_.find('}', pos_);
        if (close == std::string_view::npos) throw ParseFailure{};
        pos_ = close + 1;
      }
    }
    std::size_t row_width = 0;
    std::size_t rows = 0;
    while (true) {
      std::size_t width = 0;
      while (true) {
        matrix.children.push_back(parse_union());
        ++width;
        if (at_punct("&")) {
          next();
          continue;
        }
        break;
      }
      if (rows == 0) row_width = width;
      if (width != row_width) throw ParseFailure{};
      ++rows;
      if (at_command("\\")) {
        next();
        if (at_command("end")) break;  // a trailing \\ before \end
        continue;
      }
      break;
    }
    if (!at_command("end")) throw ParseFailure{};
    next();
    read_braced_word();
    matrix.columns = row_width;
    return matrix;
  }

  std::string read_braced_word() {
    skip_spaces(pos_);
    peeked_ = false;
    if (pos_ >= text_.size() || text_[pos_] != '{') throw ParseFailure{};
    const std::size_t close = text_.find('}', pos_);
    if (close == std::string_view::npos) throw ParseFailure{};
    std::string word(text_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    return word;
  }

  Node parse_primary() {
    DepthGuard guard(depth_);
    Token token = next();
    switch (token.type) {
      case TokenType::kEnd:
        throw ParseFailure{};
      case TokenType::kNumber: {
        if (at_punct("_")) throw ParseFailure{};  // a number in another base: compared as text
        if (at_command("overline")) {
          next();
          return repeating_decimal(token.text);
        }
        return make_node(NodeKind::kNumber, {}, token.text);
      }
      case TokenType::kLetter: {
        if (at_punct("_")) {
          next();
          Node subscript = parse_script_argument();
          if (subscript.kind != NodeKind::kNumber && subscript.kind != NodeKind::kSymbol) throw ParseFailure{};
          return make_node(NodeKind::kSymbol, {}, token.text + "_" + subscript.text);
        }
        if (token.text == "i") return make_node(NodeKind::kImaginary);
        if (token.text == "e") return make_node(NodeKind::kEuler);
        return make_node(NodeKind::kSymbol, {}, token.text);
      }
      case TokenType::kPunct: {
        if (token.text == "(" || token.text == "[") return parse_bracketed(token.text[0]);
        if (token.text == "{") return parse_group_body("}");
        if (token.text == "|") {
          Node inner = parse_additive();
          expect_punct("|");
          return make_node(NodeKind::kFunction, {std::move(inner)}, "abs");
        }
        throw ParseFailure{};
      }
      case TokenType::kCommand:
        return parse_command(token.text);
    }
    throw ParseFailure{};
  }

  Node parse_command(const std::string& name) {
    if (name == "pi") return make_node(NodeKind::kPi);
    if (name == "infty" || name == "infinity") return make_node(NodeKind::kInfinity);
    if (is_greek(name)) return make_node(NodeKind::kSymbol, {}, "\\" + name);
    if (name == "frac") {
      Node numerator = parse_script_argument();
      Node denominator = parse_script_argument();
      return make_node(NodeKind::kDiv, {std::move(numerator), std::move(denominator)});
    }
    if (name == "binom") {
      Node n = parse_script_argument();
      Node k = parse_script_argument();
      return make_node(NodeKind::kFunction, {std::move(n), std::move(k)}, "binom");
    }
    if (name == "sqrt") {
      skip_spaces(pos_);
      peeked_ = false;
      if (pos_ < text_.size() && text_[pos_] == '[') {
        ++pos_;
        Node index = parse_additive();
        expect_punct("]");
        Node radicand = parse_script_argument();
        return make_node(NodeKind::kFunction, {std::move(radicand), std::move(index)}, "root");
      }
      return make_node(NodeKind::kFunction, {parse_script_argument()}, "sqrt");
    }
    if (name == "{") {
      std::vector<Node> items;
      if (!at_command("}")) items = parse_comma_list();
      if (!at_command("}")) throw ParseFailure{};
      next();
      return make_node(NodeKind::kSet, std::move(items));
    }
    if (name == "lfloor" || name == "lceil") {
      Node inner = parse_additive();
      if (!at_command(name == "lfloor" ? "rfloor" : "rceil")) throw ParseFailure{};
      next();
      return make_node(NodeKind::kFunction, {std::move(inner)}, name == "lfloor" ? "floor" : "ceil");
    }
    if (name == "begin") {
      const std::string environment = read_braced_word();
      if (environment != "pmatrix" && environment != "bmatrix" && environment != "matrix" && environment != "array" &&
          environment != "Bmatrix" && environment != "vmatrix") {
        throw ParseFailure{};
      }
      Node matrix = parse_matrix(environment);
      // A vmatrix is a determinant, a number written as a matrix: it equals only another vmatrix.
      if (environment == "vmatrix") matrix.open = '|';
      return matrix;
    }
    if (is_function_name(name)) {
      Node power;
      bool has_power = false;
      Node base;
      bool has_base = false;
      for (int round = 0; round < 2; ++round) {
        if (at_punct("^") && !has_power) {
          next();
          power = parse_script_argument();
          has_power = true;
        } else if (at_punct("_") && !has_base && name == "log") {
          next();
          base = parse_script_argument();
          has_base = true;
        }
      }
      Node argument = parse_function_argument();
      Node call = make_node(NodeKind::kFunction, {std::move(argument)}, name);
      if (has_base) call.children.push_back(std::move(base));
      // \sin^{-1} x is the inverse function; \sin^2 x is the square.
      if (has_power) {
        if (power.kind == NodeKind::kNeg && power.children[0].kind == NodeKind::kNumber &&
            power.children[0].text == "1") {
          if (name != "sin" && name != "cos" && name != "tan") throw ParseFailure{};
          call.text = "arc" + name;
          return call;
        }
        return make_node(NodeKind::kPow, {std::move(call), std::move(power)});
      }
      return call;
    }
    throw ParseFailure{};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool peeked_ = false;
  Token current_;
  int depth_ = 0;
};

}  // namespace

std::optional<Node> parse_answer(std::string_view text) {
  try {
    Parser parser(text);
    return parser.parse_top();
  } catch (const ParseFailure&) {
    return std::nullopt;
  }
}

}  // namespace r1eval::graders::math
