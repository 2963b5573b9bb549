// Jinja lexer and parser: template text -> chunks (text / {{ }} / {% %} / {# #}) with whitespace control applied,
// then each tag's contents -> tokens -> syntax tree (jinja_ast.h).
#include <cstdlib>
#include <set>

#include "engine/tokenizer/jinja_ast.h"
#include "engine/tokenizer/jinja_template.h"
#include "engine/tokenizer/tokenizer_error.h"
#include "engine/tokenizer/utf8.h"

namespace r1eval::engine::tokenizer::jinja {
namespace {

[[noreturn]] void fail(const std::string& name, std::size_t line, const std::string& what) {
  throw TokenizerError("chat template " + name + ", line " + std::to_string(line) + ": " + what);
}

// ---------------------------------------------------------------------------------------------- chunks

struct Chunk {
  enum class Type { kText, kExpr, kStmt, kComment } type = Type::kText;
  std::string content;
  bool strip_before = false;  // "{%-": strip whitespace left of the tag
  bool strip_after = false;   // "-%}": strip whitespace right of the tag
  bool keep_before = false;   // "{%+": disables lstrip_blocks
  bool keep_after = false;    // "+%}": disables trim_blocks
  std::size_t line = 1;
};

std::size_t count_lines(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// Finds the closing delimiter of a tag, skipping quoted strings inside expressions and statements.
std::size_t find_close(std::string_view src, std::size_t pos, std::string_view close, bool skip_strings) {
  while (pos < src.size()) {
    const char c = src[pos];
    if (skip_strings && (c == '\'' || c == '"')) {
      ++pos;
      while (pos < src.size() && src[pos] != c) pos += src[pos] == '\\' ? 2 : 1;
      ++pos;
      continue;
    }
    if (src.substr(pos, close.size()) == close) return pos;
    ++pos;
  }
  return std::string_view::npos;
}

std::vector<Chunk> split_chunks(std::string_view src, const std::string& name) {
  std::vector<Chunk> chunks;
  std::size_t pos = 0;
  std::size_t line = 1;
  while (pos < src.size()) {
    std::size_t open = pos;
    while (true) {
      open = src.find('{', open);
      if (open == std::string_view::npos || open + 1 >= src.size()) {
        open = std::string_view::npos;
        break;
      }
      const char next = src[open + 1];
      if (next == '{' || next == '%' || next == '#') break;
      ++open;
    }
    const std::size_t text_end = open == std::string_view::npos ? src.size() : open;
    if (text_end > pos) {
      chunks.push_back(
          {Chunk::Type::kText, std::string(src.substr(pos, text_end - pos)), false, false, false, false, line});
      line += count_lines(src.substr(pos, text_end - pos));
    }
    if (open == std::string_view::npos) break;
    Chunk tag;
    tag.line = line;
    const char kind = src[open + 1];
    tag.type = kind == '{' ? Chunk::Type::kExpr : kind == '%' ? Chunk::Type::kStmt : Chunk::Type::kComment;
    const std::string_view close = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
    std::size_t body = open + 2;
    if (body < src.size() && src[body] == '-') {
      tag.strip_before = true;
      ++body;
    } else if (body < src.size() && src[body] == '+') {
      tag.keep_before = true;
      ++body;
    }
    const std::size_t end = find_close(src, body, close, tag.type != Chunk::Type::kComment);
    if (end == std::string_view::npos)
      fail(name, line, std::string("a tag opened here is never closed with \"") + std::string(close) + "\"");
    std::size_t body_end = end;
    if (body_end > body && src[body_end - 1] == '-') {
      tag.strip_after = true;
      --body_end;
    } else if (body_end > body && src[body_end - 1] == '+') {
      tag.keep_after = true;
      --body_end;
    }
    tag.content = std::string(src.substr(body, body_end - body));
    line += count_lines(src.substr(open, end + 2 - open));
    pos = end + 2;
    chunks.push_back(std::move(tag));
  }

  // Whitespace control: "-" strips all whitespace; lstrip_blocks / trim_blocks act around {% %} and {# #}.
  const auto is_block = [](const Chunk& c) { return c.type == Chunk::Type::kStmt || c.type == Chunk::Type::kComment; };
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    Chunk& c = chunks[i];
    if (c.type != Chunk::Type::kText) continue;
    std::string& t = c.content;
    if (i + 1 < chunks.size()) {
      const Chunk& next = chunks[i + 1];
      if (next.strip_before) {
        t.erase(t.find_last_not_of(" \t\n\r\f\v") + 1);
      } else if (is_block(next) && !next.keep_before) {
        const std::size_t nl = t.find_last_of('\n');
        const std::size_t line_start = nl == std::string::npos ? 0 : nl + 1;
        if ((nl != std::string::npos || i == 0) && t.find_first_not_of(" \t", line_start) == std::string::npos) {
          t.erase(line_start);
        }
      }
    }
    if (i > 0) {
      const Chunk& prev = chunks[i - 1];
      if (prev.strip_after) {
        const std::size_t first = t.find_first_not_of(" \t\n\r\f\v");
        t.erase(0, first == std::string::npos ? t.size() : first);
      } else if (is_block(prev) && !prev.keep_after && !t.empty() && t[0] == '\n') {
        t.erase(0, 1);
      }
    }
    // Jinja normalises template newlines to "\n".
    std::string normalized;
    normalized.reserve(t.size());
    for (std::size_t k = 0; k < t.size(); ++k) {
      if (t[k] == '\r') {
        normalized += '\n';
        if (k + 1 < t.size() && t[k + 1] == '\n') ++k;
      } else {
        normalized += t[k];
      }
    }
    t = std::move(normalized);
  }
  return chunks;
}

// ---------------------------------------------------------------------------------------------- tokens

struct Token {
  enum class Type { kName, kString, kInt, kFloat, kOp, kEnd } type = Type::kEnd;
  std::string text;
};

// Decodes a Python/Jinja string literal body (between the quotes): \n \t \\ \' \" \xHH \uXXXX \UXXXXXXXX ...
std::string unescape(std::string_view body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 >= body.size()) {
      out += body[i];
      continue;
    }
    const char e = body[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '0': out += '\0'; break;
      case '\n': break;  // line continuation
      case 'x':
      case 'u':
      case 'U': {
        const std::size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        const std::string hex(body.substr(i + 1, digits));
        char* end = nullptr;
        const unsigned long cp = hex.size() == digits ? std::strtoul(hex.c_str(), &end, 16) : 0;
        if (hex.size() == digits && end == hex.c_str() + digits && cp <= 0x10FFFF) {
          utf8::append(out, static_cast<char32_t>(cp));
          i += digits;
        } else {
          out += '\\';
          out += e;
        }
        break;
      }
      default:
        out += '\\';
        out += e;
    }
  }
  return out;
}

std::vector<Token> tokenize(std::string_view s, const std::string& name, std::size_t line) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  static const char* const kOps[] = {"//", "**", "==", "!=", "<=", ">=", "(", ")", "[", "]", "{", "}", ".", ",", ":",
                                     "|", "~", "+", "-", "*", "/", "%", "<", ">", "="};
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      tokens.push_back({Token::Type::kName, std::string(s.substr(i, j - i))});
      i = j;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      bool is_float = false;
      if (j + 1 < s.size() && s[j] == '.' && std::isdigit(static_cast<unsigned char>(s[j + 1]))) {
        is_float = true;
        ++j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      }
      tokens.push_back({is_float ? Token::Type::kFloat : Token::Type::kInt, std::string(s.substr(i, j - i))});
      i = j;
      continue;
    }
    if (c == '\'' || c == '"') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != c) j += s[j] == '\\' ? 2 : 1;
      if (j >= s.size()) fail(name, line, "a string literal is not closed");
      std::string value = unescape(s.substr(i + 1, j - i - 1));
      // Jinja normalises newlines inside literals too.
      std::string normalized;
      for (std::size_t k = 0; k < value.size(); ++k) {
        if (value[k] == '\r' && k + 1 < value.size() && value[k + 1] == '\n') continue;
        normalized += value[k];
      }
      tokens.push_back({Token::Type::kString, std::move(normalized)});
      i = j + 1;
      continue;
    }
    bool matched = false;
    for (const char* op : kOps) {
      const std::string_view o(op);
      if (s.substr(i, o.size()) == o) {
        tokens.push_back({Token::Type::kOp, std::string(o)});
        i += o.size();
        matched = true;
        break;
      }
    }
    if (!matched) fail(name, line, std::string("unexpected character '") + c + "'");
  }
  tokens.push_back({Token::Type::kEnd, ""});
  return tokens;
}

// ---------------------------------------------------------------------------------------------- expressions

// Nesting is bounded so that a hostile template cannot exhaust the stack.
struct DepthGuard {
  int& depth;
  DepthGuard(int& d, const std::string& name, std::size_t line) : depth(d) {
    if (++depth > 100) fail(name, line, "expressions are nested too deeply");
  }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  ~DepthGuard() { --depth; }
};

class ExprParser {
 public:
  ExprParser(std::vector<Token> tokens, const std::string& name, std::size_t line)
      : tokens_(std::move(tokens)), name_(name), line_(line) {}

  std::unique_ptr<Expr> expression() {
    const DepthGuard guard(depth_, name_, line_);
    auto node = or_expr();
    if (is_name("if")) {
      ++pos_;
      auto cond = make(Expr::Kind::kCondition);
      auto test = or_expr();
      std::unique_ptr<Expr> otherwise;
      if (is_name("else")) {
        ++pos_;
        otherwise = expression();
      }
      cond->args.push_back(std::move(node));
      cond->args.push_back(std::move(test));
      cond->args.push_back(std::move(otherwise));
      return cond;
    }
    return node;
  }

  std::unique_ptr<Expr> or_expr() {
    auto left = and_expr();
    while (is_name("or")) {
      ++pos_;
      left = binary(Expr::Kind::kOr, "or", std::move(left), and_expr());
    }
    return left;
  }

  bool is_name(std::string_view n) const { return peek().type == Token::Type::kName && peek().text == n; }
  bool is_op(std::string_view o) const { return peek().type == Token::Type::kOp && peek().text == o; }
  bool at_end() const { return peek().type == Token::Type::kEnd; }
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  Token next() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }
  std::string expect_name() {
    if (peek().type != Token::Type::kName) fail(name_, line_, "expected a name, found \"" + peek().text + "\"");
    return next().text;
  }
  void expect_op(std::string_view o) {
    if (!is_op(o)) fail(name_, line_, "expected \"" + std::string(o) + "\", found \"" + peek().text + "\"");
    ++pos_;
  }
  void expect_end() {
    if (!at_end()) fail(name_, line_, "unexpected \"" + peek().text + "\" at the end of a tag");
  }

 private:
  std::unique_ptr<Expr> make(Expr::Kind k) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->line = line_;
    return e;
  }
  std::unique_ptr<Expr> binary(Expr::Kind k, std::string op, std::unique_ptr<Expr> a, std::unique_ptr<Expr> b) {
    auto e = make(k);
    e->name = std::move(op);
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }

  std::unique_ptr<Expr> and_expr() {
    auto left = not_expr();
    while (is_name("and")) {
      ++pos_;
      left = binary(Expr::Kind::kAnd, "and", std::move(left), not_expr());
    }
    return left;
  }

  std::unique_ptr<Expr> not_expr() {
    const DepthGuard guard(depth_, name_, line_);
    if (is_name("not")) {
      ++pos_;
      auto e = make(Expr::Kind::kUnary);
      e->name = "not";
      e->args.push_back(not_expr());
      return e;
    }
    return compare();
  }

  std::unique_ptr<Expr> compare() {
    auto left = math1();
    while (true) {
      std::string op;
      if (peek().type == Token::Type::kOp &&
          (is_op("==") || is_op("!=") || is_op("<") || is_op("<=") || is_op(">") || is_op(">="))) {
        op = next().text;
      } else if (is_name("in")) {
        ++pos_;
        op = "in";
      } else if (is_name("not") && peek(1).type == Token::Type::kName && peek(1).text == "in") {
        pos_ += 2;
        op = "not in";
      } else {
        return left;
      }
      left = binary(Expr::Kind::kBinary, op, std::move(left), math1());
    }
  }

  std::unique_ptr<Expr> math1() {
    auto left = concat();
    while (is_op("+") || is_op("-")) {
      const std::string op = next().text;
      left = binary(Expr::Kind::kBinary, op, std::move(left), concat());
    }
    return left;
  }

  std::unique_ptr<Expr> concat() {
    auto left = math2();
    while (is_op("~")) {
      ++pos_;
      left = binary(Expr::Kind::kBinary, "~", std::move(left), math2());
    }
    return left;
  }

  std::unique_ptr<Expr> math2() {
    auto left = power();
    while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
      const std::string op = next().text;
      left = binary(Expr::Kind::kBinary, op, std::move(left), power());
    }
    return left;
  }

  std::unique_ptr<Expr> power() {
    auto left = unary(true);
    while (is_op("**")) {
      ++pos_;
      left = binary(Expr::Kind::kBinary, "**", std::move(left), unary(true));
    }
    return left;
  }

  std::unique_ptr<Expr> unary(bool with_filter) {
    const DepthGuard guard(depth_, name_, line_);
    std::unique_ptr<Expr> node;
    if (is_op("-") || is_op("+")) {
      node = make(Expr::Kind::kUnary);
      node->name = next().text;
      node->args.push_back(unary(false));
    } else {
      node = primary();
    }
    node = postfix(std::move(node));
    if (with_filter) node = filters_and_tests(std::move(node));
    return node;
  }

  std::unique_ptr<Expr> primary() {
    const Token t = next();
    switch (t.type) {
      case Token::Type::kName: {
        auto e = make(Expr::Kind::kLiteral);
        if (t.text == "true" || t.text == "True") {
          e->value = Value::from_bool(true);
        } else if (t.text == "false" || t.text == "False") {
          e->value = Value::from_bool(false);
        } else if (t.text == "none" || t.text == "None") {
          e->value = Value::none();
        } else {
          e->kind = Expr::Kind::kName;
          e->name = t.text;
        }
        return e;
      }
      case Token::Type::kString: {
        std::string s = t.text;
        while (peek().type == Token::Type::kString) s += next().text;  // adjacent literals concatenate
        auto e = make(Expr::Kind::kLiteral);
        e->value = Value::from_string(std::move(s));
        return e;
      }
      case Token::Type::kInt: {
        auto e = make(Expr::Kind::kLiteral);
        e->value = Value::from_int(std::strtoll(t.text.c_str(), nullptr, 10));
        return e;
      }
      case Token::Type::kFloat: {
        auto e = make(Expr::Kind::kLiteral);
        e->value = Value::from_float(std::strtod(t.text.c_str(), nullptr));
        return e;
      }
      case Token::Type::kOp: {
        if (t.text == "(") {
          auto first = expression();
          if (is_op(",")) {  // a tuple: treated as a list
            auto list = make(Expr::Kind::kList);
            list->args.push_back(std::move(first));
            while (is_op(",")) {
              ++pos_;
              if (is_op(")")) break;
              list->args.push_back(expression());
            }
            expect_op(")");
            return list;
          }
          expect_op(")");
          return first;
        }
        if (t.text == "[") {
          auto list = make(Expr::Kind::kList);
          while (!is_op("]")) {
            list->args.push_back(expression());
            if (!is_op(",")) break;
            ++pos_;
          }
          expect_op("]");
          return list;
        }
        if (t.text == "{") {
          auto dict = make(Expr::Kind::kDict);
          while (!is_op("}")) {
            if (peek().type != Token::Type::kString) fail(name_, line_, "dict literal keys must be strings");
            std::string key = next().text;
            expect_op(":");
            dict->kwargs.emplace_back(std::move(key), expression());
            if (!is_op(",")) break;
            ++pos_;
          }
          expect_op("}");
          return dict;
        }
        break;
      }
      case Token::Type::kEnd: fail(name_, line_, "an expression ends too early");
    }
    fail(name_, line_, "unexpected \"" + t.text + "\" in an expression");
  }

  void call_arguments(Expr& call) {
    // After "(": positional and keyword arguments up to ")".
    while (!is_op(")")) {
      if (peek().type == Token::Type::kName && peek(1).type == Token::Type::kOp && peek(1).text == "=") {
        std::string key = next().text;
        ++pos_;
        call.kwargs.emplace_back(std::move(key), expression());
      } else {
        call.args.push_back(expression());
      }
      if (!is_op(",")) break;
      ++pos_;
    }
    expect_op(")");
  }

  std::unique_ptr<Expr> postfix(std::unique_ptr<Expr> node) {
    while (true) {
      if (is_op(".")) {
        ++pos_;
        auto e = make(Expr::Kind::kAttr);
        if (peek().type == Token::Type::kInt) {
          e->kind = Expr::Kind::kItem;
          auto index = make(Expr::Kind::kLiteral);
          index->value = Value::from_int(std::strtoll(next().text.c_str(), nullptr, 10));
          e->args.push_back(std::move(node));
          e->args.push_back(std::move(index));
        } else {
          e->name = expect_name();
          e->args.push_back(std::move(node));
        }
        node = std::move(e);
      } else if (is_op("[")) {
        ++pos_;
        std::unique_ptr<Expr> parts[3];
        int n = 0;
        bool slice = false;
        while (true) {
          if (!is_op(":") && !is_op("]")) parts[n] = expression();
          if (is_op(":") && n < 2) {
            ++pos_;
            slice = true;
            ++n;
            continue;
          }
          break;
        }
        expect_op("]");
        auto e = make(slice ? Expr::Kind::kSlice : Expr::Kind::kItem);
        e->args.push_back(std::move(node));
        if (!slice && !parts[0]) fail(name_, line_, "empty subscript []");
        e->args.push_back(std::move(parts[0]));
        if (slice) {
          e->args.push_back(std::move(parts[1]));
          e->args.push_back(std::move(parts[2]));
        }
        node = std::move(e);
      } else if (is_op("(")) {
        ++pos_;
        auto e = make(Expr::Kind::kCall);
        e->args.push_back(std::move(node));
        call_arguments(*e);
        node = std::move(e);
      } else {
        return node;
      }
    }
  }

  std::unique_ptr<Expr> filters_and_tests(std::unique_ptr<Expr> node) {
    while (true) {
      if (is_op("|")) {
        ++pos_;
        auto e = make(Expr::Kind::kFilter);
        e->name = expect_name();
        e->args.push_back(std::move(node));
        if (is_op("(")) {
          ++pos_;
          call_arguments(*e);
        }
        node = std::move(e);
      } else if (is_name("is")) {
        ++pos_;
        auto e = make(Expr::Kind::kTest);
        if (is_name("not")) {
          ++pos_;
          e->negated = true;
        }
        e->name = expect_name();
        e->args.push_back(std::move(node));
        if (is_op("(")) {
          ++pos_;
          call_arguments(*e);
        } else if (peek().type == Token::Type::kString || peek().type == Token::Type::kInt ||
                   peek().type == Token::Type::kFloat) {
          e->args.push_back(primary());  // e.g. `x is sameas none`-style single argument
        }
        node = std::move(e);
      } else {
        return node;
      }
    }
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  const std::string& name_;
  std::size_t line_;
  int depth_ = 0;
};

// ---------------------------------------------------------------------------------------------- statements

class StmtParser {
 public:
  StmtParser(std::vector<Chunk> chunks, const std::string& name) : chunks_(std::move(chunks)), name_(name) {}

  std::unique_ptr<Node> parse_all() {
    std::string end_keyword;
    auto root = sequence({}, end_keyword);
    return root;
  }

 private:
  static std::string first_word(const std::string& content) {
    std::size_t b = content.find_first_not_of(" \t\n\r");
    if (b == std::string::npos) return {};
    std::size_t e = b;
    while (e < content.size() && (std::isalnum(static_cast<unsigned char>(content[e])) || content[e] == '_')) ++e;
    return content.substr(b, e - b);
  }

  // Parses nodes until a statement whose keyword is in `ends` (returned in end_keyword, its chunk consumed).
  std::unique_ptr<Node> sequence(const std::set<std::string>& ends, std::string& end_keyword) {
    if (ends.size() > 0 && ++depth_ > 100)
      fail(name_, chunks_[pos_ > 0 ? pos_ - 1 : 0].line, "blocks are nested too deeply");
    struct Leave {
      int& depth;
      bool active;
      ~Leave() {
        if (active) --depth;
      }
    } leave{depth_, !ends.empty()};
    auto seq = std::make_unique<Node>();
    seq->kind = Node::Kind::kSequence;
    while (pos_ < chunks_.size()) {
      Chunk& c = chunks_[pos_];
      if (c.type == Chunk::Type::kComment) {
        ++pos_;
        continue;
      }
      if (c.type == Chunk::Type::kText) {
        ++pos_;
        if (c.content.empty()) continue;
        auto n = std::make_unique<Node>();
        n->kind = Node::Kind::kText;
        n->text = c.content;
        n->line = c.line;
        seq->children.push_back(std::move(n));
        continue;
      }
      if (c.type == Chunk::Type::kExpr) {
        ++pos_;
        ExprParser p(tokenize(c.content, name_, c.line), name_, c.line);
        auto n = std::make_unique<Node>();
        n->kind = Node::Kind::kOutput;
        n->expr = p.expression();
        p.expect_end();
        n->line = c.line;
        seq->children.push_back(std::move(n));
        continue;
      }
      const std::string keyword = first_word(c.content);
      if (ends.count(keyword)) {
        end_keyword = keyword;
        return seq;
      }
      ++pos_;
      if (keyword == "if") {
        seq->children.push_back(parse_if(c));
      } else if (keyword == "for") {
        seq->children.push_back(parse_for(c));
      } else if (keyword == "set") {
        seq->children.push_back(parse_set(c));
      } else if (keyword == "generation" || keyword == "endgeneration") {
        // transformers' {% generation %} marks assistant text for masks; it renders its body unchanged.
      } else if (keyword.empty()) {
        fail(name_, c.line, "empty {% %} tag");
      } else if (keyword == "elif" || keyword == "else" || keyword == "endif" || keyword == "endfor") {
        fail(name_, c.line, "\"" + keyword + "\" without a matching opening tag");
      } else {
        fail(name_, c.line, "the statement \"" + keyword + "\" is not supported by r1eval's template interpreter");
      }
    }
    if (!ends.empty()) {
      fail(name_, chunks_.empty() ? 1 : chunks_.back().line, "the template ends before {% " + *ends.rbegin() + " %}");
    }
    return seq;
  }

  ExprParser tag_parser(const Chunk& c, std::size_t skip_words) {
    auto tokens = tokenize(c.content, name_, c.line);
    tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(skip_words));
    return ExprParser(std::move(tokens), name_, c.line);
  }

  std::unique_ptr<Node> parse_if(const Chunk& first) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kIf;
    n->line = first.line;
    const Chunk* cond_chunk = &first;
    while (true) {
      ExprParser p = tag_parser(*cond_chunk, 1);
      auto cond = p.expression();
      p.expect_end();
      std::string end;
      auto body = sequence({"elif", "else", "endif"}, end);
      n->branches.emplace_back(std::move(cond), std::move(body));
      const Chunk& end_chunk = chunks_[pos_++];
      if (end == "elif") {
        cond_chunk = &end_chunk;
        continue;
      }
      if (end == "else") {
        std::string end2;
        n->else_body = sequence({"endif"}, end2);
        ++pos_;
      }
      return n;
    }
  }

  std::unique_ptr<Node> parse_for(const Chunk& c) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kFor;
    n->line = c.line;
    ExprParser p = tag_parser(c, 1);
    n->targets.push_back(p.expect_name());
    while (p.is_op(",")) {
      p.next();
      n->targets.push_back(p.expect_name());
    }
    if (!p.is_name("in")) fail(name_, c.line, "expected \"in\" in a for statement");
    p.next();
    n->expr = p.or_expr();
    if (p.is_name("if")) {
      p.next();
      n->filter = p.expression();
    }
    if (p.is_name("recursive")) fail(name_, c.line, "recursive for loops are not supported");
    p.expect_end();
    std::string end;
    n->body = sequence({"else", "endfor"}, end);
    ++pos_;
    if (end == "else") {
      std::string end2;
      n->else_body = sequence({"endfor"}, end2);
      ++pos_;
    }
    return n;
  }

  std::unique_ptr<Node> parse_set(const Chunk& c) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kSet;
    n->line = c.line;
    ExprParser p = tag_parser(c, 1);
    n->targets.push_back(p.expect_name());
    if (p.is_op(".")) {
      p.next();
      n->targets.push_back(p.expect_name());
    }
    if (!p.is_op("=")) fail(name_, c.line, "block {% set %} and multiple assignment are not supported");
    p.next();
    n->expr = p.expression();
    p.expect_end();
    return n;
  }

  std::vector<Chunk> chunks_;
  std::size_t pos_ = 0;
  const std::string& name_;
  int depth_ = 0;
};

}  // namespace

Template::Template() = default;
Template::~Template() = default;
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;

Template Template::parse(std::string_view source, const std::string& name) {
  // keep_trailing_newline=False: a single trailing newline of the template is dropped.
  if (!source.empty() && source.back() == '\n') {
    source.remove_suffix(1);
    if (!source.empty() && source.back() == '\r') source.remove_suffix(1);
  }
  Template t;
  t.name_ = name;
  StmtParser parser(split_chunks(source, name), t.name_);
  t.root_ = parser.parse_all();
  return t;
}

}  // namespace r1eval::engine::tokenizer::jinja
