// Jinja renderer: evaluates the syntax tree with Python/Jinja semantics for the value types of jinja_value.h.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "engine/tokenizer/jinja_ast.h"
#include "engine/tokenizer/jinja_template.h"
#include "engine/tokenizer/tokenizer_error.h"
#include "engine/tokenizer/utf8.h"

namespace r1eval::engine::tokenizer::jinja {
namespace {

// Python's str.isspace() set (what strip()/split() with no argument remove).
bool is_python_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// The character at s[pos] (an ill-formed byte is one non-space character).
char32_t char_at(std::string_view s, std::size_t pos, std::size_t& len) { return utf8::decode(s, pos, len); }

std::string strip(std::string_view s, bool left, bool right, const Value* chars) {
  const auto removable = [&](std::size_t pos, std::size_t& len) {
    const char32_t c = char_at(s, pos, len);
    if (chars == nullptr || chars->is_none()) return is_python_space(c);
    return chars->string.find(std::string(s.substr(pos, len))) != std::string::npos;
  };
  std::size_t begin = 0;
  std::size_t end = s.size();
  std::size_t len = 0;
  if (left) {
    while (begin < end && removable(begin, len)) begin += len;
  }
  if (right) {
    while (end > begin) {
      const std::size_t start = utf8::last_char_start(s, end);
      if (!removable(start, len) || start + len != end) break;
      end = start;
    }
  }
  return std::string(s.substr(begin, end - begin));
}

List python_split(const std::string& s, const Value* sep, std::int64_t maxsplit) {
  List parts;
  if (sep == nullptr || sep->is_none()) {
    std::size_t pos = 0;
    std::size_t len = 0;
    while (pos < s.size()) {
      while (pos < s.size() && is_python_space(char_at(s, pos, len))) pos += len;
      if (pos >= s.size()) break;
      if (maxsplit >= 0 && static_cast<std::int64_t>(parts.size()) == maxsplit) {
        parts.push_back(Value::from_string(strip(s.substr(pos), false, true, nullptr)));
        break;
      }
      std::size_t end = pos;
      while (end < s.size() && !is_python_space(char_at(s, end, len))) end += len;
      parts.push_back(Value::from_string(s.substr(pos, end - pos)));
      pos = end;
    }
    return parts;
  }
  if (sep->string.empty()) throw TokenizerError("chat template: split() with an empty separator");
  std::size_t pos = 0;
  while (true) {
    const std::size_t found = s.find(sep->string, pos);
    if (found == std::string::npos || (maxsplit >= 0 && static_cast<std::int64_t>(parts.size()) == maxsplit)) {
      parts.push_back(Value::from_string(s.substr(pos)));
      return parts;
    }
    parts.push_back(Value::from_string(s.substr(pos, found - pos)));
    pos = found + sep->string.size();
  }
}

// json.dumps(value, ensure_ascii=False) with Python's default separators (", " and ": ") or an indent.
void python_json(const Value& v, std::string& out, int indent, int depth) {
  const auto newline = [&](int d) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent * d), ' ');
  };
  switch (v.kind) {
    case Value::Kind::kList: {
      if (v.list->empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (std::size_t i = 0; i < v.list->size(); ++i) {
        if (i) out += indent < 0 ? ", " : ",";
        newline(depth + 1);
        python_json((*v.list)[i], out, indent, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    }
    case Value::Kind::kDict: {
      if (v.dict->empty()) {
        out += "{}";
        return;
      }
      out += '{';
      for (std::size_t i = 0; i < v.dict->size(); ++i) {
        if (i) out += indent < 0 ? ", " : ",";
        newline(depth + 1);
        out += nlohmann::json((*v.dict)[i].first).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out += ": ";
        python_json((*v.dict)[i].second, out, indent, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
    case Value::Kind::kFloat: out += v.to_output(); return;
    case Value::Kind::kUndefined: throw TokenizerError("chat template: tojson of an undefined value");
    default: out += v.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

class Renderer {
 public:
  explicit Renderer(const std::string& name) : name_(name) {}

  void render(const Node& n, std::string& out) {
    // Templates come from model files: bound their work and output so a hostile one cannot hang the harness.
    if (++steps_ > kMaxSteps) fail(n.line, "the template takes more than " + std::to_string(kMaxSteps) + " steps");
    if (out.size() > kMaxOutputBytes)
      fail(n.line, "the template output exceeds " + std::to_string(kMaxOutputBytes) + " bytes");
    switch (n.kind) {
      case Node::Kind::kSequence:
        for (const auto& child : n.children) render(*child, out);
        return;
      case Node::Kind::kText: out += n.text; return;
      case Node::Kind::kOutput: out += eval(*n.expr).to_output(); return;
      case Node::Kind::kIf:
        for (const auto& [cond, body] : n.branches) {
          if (eval(*cond).truthy()) {
            render(*body, out);
            return;
          }
        }
        if (n.else_body) render(*n.else_body, out);
        return;
      case Node::Kind::kSet: {
        Value v = eval(*n.expr);
        if (n.targets.size() == 1) {
          scopes_.back()[n.targets[0]] = std::move(v);
        } else {
          Value ns = lookup(n.targets[0]);
          if (ns.kind != Value::Kind::kDict || !ns.is_namespace) {
            fail(n.line, "cannot assign the attribute \"" + n.targets[1] + "\" of \"" + n.targets[0] +
                             "\", which is not a namespace()");
          }
          ns.set(n.targets[1], std::move(v));
        }
        return;
      }
      case Node::Kind::kFor: render_for(n, out); return;
    }
  }

  void push_scope() { scopes_.emplace_back(); }
  void set_global(const std::string& key, Value v) { scopes_.front()[key] = std::move(v); }

 private:
  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw TokenizerError("chat template " + name_ + ", line " + std::to_string(line) + ": " + what);
  }

  Value lookup(const std::string& key) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      const auto found = it->find(key);
      if (found != it->end()) return found->second;
    }
    return builtin(key);
  }

  Value builtin(const std::string& key) const {
    if (key == "namespace") {
      return Value::from_function([](const std::vector<Value>& args, const Kwargs& kwargs) {
        Value ns = Value::from_dict({});
        ns.is_namespace = true;
        for (const auto& a : args) {
          if (a.kind == Value::Kind::kDict) {
            for (const auto& [k, v] : *a.dict) ns.set(k, v);
          }
        }
        for (const auto& [k, v] : kwargs) ns.set(k, v);
        return ns;
      });
    }
    if (key == "raise_exception") {
      const std::string name = name_;
      return Value::from_function([name](const std::vector<Value>& args, const Kwargs&) -> Value {
        throw TokenizerError("chat template " + name +
                             " raised an error: " + (args.empty() ? "" : args[0].to_output()));
      });
    }
    if (key == "range") {
      return Value::from_function([](const std::vector<Value>& args, const Kwargs&) {
        std::int64_t start = 0;
        std::int64_t stop = 0;
        std::int64_t step = 1;
        if (args.size() == 1) {
          stop = args[0].integer;
        } else if (args.size() >= 2) {
          start = args[0].integer;
          stop = args[1].integer;
          if (args.size() > 2) step = args[2].integer;
        }
        if (step == 0) throw TokenizerError("chat template: range() step must not be zero");
        List items;
        for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
          items.push_back(Value::from_int(i));
          if (items.size() > 1000000) throw TokenizerError("chat template: range() is too long");
        }
        return Value::from_list(std::move(items));
      });
    }
    return Value();
  }

  std::vector<Value> iterate(const Value& v, std::size_t line) const {
    switch (v.kind) {
      case Value::Kind::kUndefined:
      case Value::Kind::kNone: return {};  // Jinja's default Undefined iterates as empty
      case Value::Kind::kList: return *v.list;
      case Value::Kind::kDict: {
        std::vector<Value> keys;
        for (const auto& [k, _] : *v.dict) keys.push_back(Value::from_string(k));
        return keys;
      }
      case Value::Kind::kString: {
        std::vector<Value> chars;
        for (std::size_t pos = 0, len = 0; pos < v.string.size(); pos += len) {
          char_at(v.string, pos, len);
          chars.push_back(Value::from_string(v.string.substr(pos, len)));
        }
        return chars;
      }
      default: fail(line, std::string("cannot iterate over ") + v.type_name());
    }
  }

  void render_for(const Node& n, std::string& out) {
    std::vector<Value> items = iterate(eval(*n.expr), n.line);
    if (n.filter) {
      std::vector<Value> kept;
      for (auto& item : items) {
        push_scope();
        bind_targets(n, item);
        if (eval(*n.filter).truthy()) kept.push_back(item);
        scopes_.pop_back();
      }
      items = std::move(kept);
    }
    if (items.empty()) {
      if (n.else_body) render(*n.else_body, out);
      return;
    }
    const auto length = static_cast<std::int64_t>(items.size());
    for (std::int64_t i = 0; i < length; ++i) {
      push_scope();
      bind_targets(n, items[static_cast<std::size_t>(i)]);
      Value loop = Value::from_dict({});
      loop.set("index", Value::from_int(i + 1));
      loop.set("index0", Value::from_int(i));
      loop.set("revindex", Value::from_int(length - i));
      loop.set("revindex0", Value::from_int(length - i - 1));
      loop.set("first", Value::from_bool(i == 0));
      loop.set("last", Value::from_bool(i == length - 1));
      loop.set("length", Value::from_int(length));
      loop.set("previtem", i > 0 ? items[static_cast<std::size_t>(i - 1)] : Value());
      loop.set("nextitem", i + 1 < length ? items[static_cast<std::size_t>(i + 1)] : Value());
      scopes_.back()["loop"] = std::move(loop);
      render(*n.body, out);
      scopes_.pop_back();
    }
  }

  void bind_targets(const Node& n, const Value& item) {
    if (n.targets.size() == 1) {
      scopes_.back()[n.targets[0]] = item;
      return;
    }
    if (item.kind != Value::Kind::kList || item.list->size() != n.targets.size()) {
      fail(n.line, "cannot unpack " + std::string(item.type_name()) + " into " + std::to_string(n.targets.size()) +
                       " loop variables");
    }
    for (std::size_t k = 0; k < n.targets.size(); ++k) scopes_.back()[n.targets[k]] = (*item.list)[k];
  }

  static std::int64_t normalize_index(std::int64_t i, std::int64_t size) { return i < 0 ? i + size : i; }

  Value item(const Value& obj, const Value& key, std::size_t line) const {
    if (obj.is_undefined()) fail(line, "cannot subscript an undefined value");
    if (obj.kind == Value::Kind::kDict && key.is_string()) {
      const Value* found = obj.find(key.string);
      return found ? *found : Value();
    }
    if ((obj.kind == Value::Kind::kList || obj.kind == Value::Kind::kString) && key.kind == Value::Kind::kInt) {
      const auto size =
          static_cast<std::int64_t>(obj.kind == Value::Kind::kList ? obj.list->size() : obj.string.size());
      const std::int64_t i = normalize_index(key.integer, size);
      if (i < 0 || i >= size) return Value();
      if (obj.kind == Value::Kind::kList) return (*obj.list)[static_cast<std::size_t>(i)];
      return Value::from_string(obj.string.substr(static_cast<std::size_t>(i), 1));
    }
    if (key.is_string()) return attribute(obj, key.string, line);
    return Value();
  }

  Value slice(const Value& obj, const Value& start, const Value& stop, const Value& step, std::size_t line) const {
    if (obj.kind != Value::Kind::kList && obj.kind != Value::Kind::kString)
      fail(line, std::string("cannot slice ") + obj.type_name());
    const auto size = static_cast<std::int64_t>(obj.kind == Value::Kind::kList ? obj.list->size() : obj.string.size());
    const std::int64_t st = step.kind == Value::Kind::kInt ? step.integer : 1;
    if (st == 0) fail(line, "slice step cannot be zero");
    const auto clamp = [&](const Value& v, std::int64_t def) {
      if (v.kind != Value::Kind::kInt) return def;
      std::int64_t i = normalize_index(v.integer, size);
      if (st > 0) return std::clamp<std::int64_t>(i, 0, size);
      return std::clamp<std::int64_t>(i, -1, size - 1);
    };
    const std::int64_t b = clamp(start, st > 0 ? 0 : size - 1);
    const std::int64_t e = clamp(stop, st > 0 ? size : -1);
    List items;
    std::string s;
    for (std::int64_t i = b; st > 0 ? i < e : i > e; i += st) {
      if (obj.kind == Value::Kind::kList) {
        items.push_back((*obj.list)[static_cast<std::size_t>(i)]);
      } else {
        s += obj.string[static_cast<std::size_t>(i)];
      }
    }
    return obj.kind == Value::Kind::kList ? Value::from_list(std::move(items)) : Value::from_string(std::move(s));
  }

  Value attribute(const Value& obj, const std::string& attr, std::size_t line) const {
    if (obj.is_undefined()) fail(line, "cannot read \"" + attr + "\" of an undefined value");
    if (obj.kind == Value::Kind::kString) return string_method(obj, attr, line);
    if (obj.kind == Value::Kind::kDict) {
      if (!obj.is_namespace && (attr == "items" || attr == "keys" || attr == "values" || attr == "get")) {
        return dict_method(obj, attr);
      }
      const Value* found = obj.find(attr);
      return found ? *found : Value();
    }
    return Value();
  }

  static Value dict_method(const Value& obj, const std::string& attr) {
    return Value::from_function([obj, attr](const std::vector<Value>& args, const Kwargs&) {
      if (attr == "get") {
        const Value* found = args.empty() || !args[0].is_string() ? nullptr : obj.find(args[0].string);
        return found ? *found : (args.size() > 1 ? args[1] : Value::none());
      }
      List out;
      for (const auto& [k, v] : *obj.dict) {
        if (attr == "items") {
          out.push_back(Value::from_list({Value::from_string(k), v}));
        } else {
          out.push_back(attr == "keys" ? Value::from_string(k) : v);
        }
      }
      return Value::from_list(std::move(out));
    });
  }

  Value string_method(const Value& obj, const std::string& attr, std::size_t line) const {
    static const char* const kMethods[] = {"split", "strip", "lstrip", "rstrip", "startswith", "endswith", "upper",
                                           "lower", "replace", "title", "capitalize", "join", "find", "count"};
    if (std::find_if(std::begin(kMethods), std::end(kMethods), [&](const char* m) { return attr == m; }) ==
        std::end(kMethods)) {
      fail(line, "strings have no method \"" + attr + "\" in r1eval's template interpreter");
    }
    const std::string s = obj.string;
    return Value::from_function([s, attr](const std::vector<Value>& args, const Kwargs& kwargs) -> Value {
      const auto arg = [&](std::size_t i, const char* kw) -> const Value* {
        if (i < args.size()) return &args[i];
        for (const auto& [k, v] : kwargs) {
          if (k == kw) return &v;
        }
        return nullptr;
      };
      if (attr == "split") {
        const Value* maxsplit = arg(1, "maxsplit");
        return Value::from_list(python_split(s, arg(0, "sep"), maxsplit ? maxsplit->integer : -1));
      }
      if (attr == "strip" || attr == "lstrip" || attr == "rstrip") {
        return Value::from_string(strip(s, attr != "rstrip", attr != "lstrip", arg(0, "chars")));
      }
      if (attr == "startswith" || attr == "endswith") {
        const Value* p = arg(0, "prefix");
        std::vector<std::string> options;
        if (p && p->is_string()) options.push_back(p->string);
        if (p && p->kind == Value::Kind::kList) {
          for (const auto& o : *p->list) options.push_back(o.string);
        }
        for (const auto& o : options) {
          const bool hit = attr == "startswith"
                               ? s.compare(0, o.size(), o) == 0 && s.size() >= o.size()
                               : s.size() >= o.size() && s.compare(s.size() - o.size(), o.size(), o) == 0;
          if (hit) return Value::from_bool(true);
        }
        return Value::from_bool(false);
      }
      if (attr == "upper" || attr == "lower") {
        std::string r = s;
        for (char& c : r)
          c = static_cast<char>(attr == "upper" ? std::toupper(static_cast<unsigned char>(c))
                                                : std::tolower(static_cast<unsigned char>(c)));
        return Value::from_string(std::move(r));
      }
      if (attr == "title" || attr == "capitalize") {
        std::string r = s;
        bool start = true;
        for (char& c : r) {
          const auto u = static_cast<unsigned char>(c);
          c = static_cast<char>(start ? std::toupper(u)
                                      : (attr == "capitalize" || std::isalpha(u) ? std::tolower(u) : u));
          start = attr == "title" ? !std::isalpha(u) : false;
        }
        return Value::from_string(std::move(r));
      }
      if (attr == "replace") {
        const Value* from = arg(0, "old");
        const Value* to = arg(1, "new");
        if (!from || !to || from->string.empty()) return Value::from_string(s);
        std::string r;
        std::size_t pos = 0;
        for (std::size_t found; (found = s.find(from->string, pos)) != std::string::npos;
             pos = found + from->string.size()) {
          r += s.substr(pos, found - pos) + to->string;
        }
        return Value::from_string(r + s.substr(pos));
      }
      if (attr == "join") {
        const Value* items = arg(0, "iterable");
        std::string r;
        if (items && items->kind == Value::Kind::kList) {
          for (std::size_t i = 0; i < items->list->size(); ++i) r += (i ? s : "") + (*items->list)[i].to_output();
        }
        return Value::from_string(std::move(r));
      }
      const Value* sub = arg(0, "sub");
      const std::string needle = sub ? sub->string : "";
      if (attr == "find") {
        const std::size_t found = s.find(needle);
        return Value::from_int(found == std::string::npos ? -1 : static_cast<std::int64_t>(found));
      }
      std::int64_t count = 0;  // "count"
      for (std::size_t pos = 0; !needle.empty() && (pos = s.find(needle, pos)) != std::string::npos;
           pos += needle.size())
        ++count;
      return Value::from_int(count);
    });
  }

  Value call(const Expr& e) {
    Value callee = eval(*e.args[0]);
    if (callee.kind != Value::Kind::kFunction) fail(e.line, std::string("cannot call ") + callee.type_name());
    std::vector<Value> args;
    for (std::size_t i = 1; i < e.args.size(); ++i) args.push_back(eval(*e.args[i]));
    Kwargs kwargs;
    for (const auto& [k, v] : e.kwargs) kwargs.emplace_back(k, eval(*v));
    return (*callee.function)(args, kwargs);
  }

  Value filter(const Expr& e) {
    Value v = eval(*e.args[0]);
    std::vector<Value> args;
    for (std::size_t i = 1; i < e.args.size(); ++i) args.push_back(eval(*e.args[i]));
    const auto kwarg = [&](const char* key, std::size_t index) -> const Value* {
      for (const auto& [k, x] : e.kwargs) {
        if (k == key) {
          static thread_local Value holder;
          holder = eval(*x);
          return &holder;
        }
      }
      return index < args.size() ? &args[index] : nullptr;
    };
    const std::string& f = e.name;
    if (f == "length" || f == "count") {
      if (v.kind == Value::Kind::kList) return Value::from_int(static_cast<std::int64_t>(v.list->size()));
      if (v.kind == Value::Kind::kDict) return Value::from_int(static_cast<std::int64_t>(v.dict->size()));
      if (v.kind == Value::Kind::kString) return Value::from_int(static_cast<std::int64_t>(iterate(v, e.line).size()));
      if (v.is_undefined()) return Value::from_int(0);
      fail(e.line, std::string("length of ") + v.type_name());
    }
    if (f == "trim") return Value::from_string(strip(v.to_output(), true, true, nullptr));
    if (f == "string") return Value::from_string(v.to_output());
    if (f == "safe" || f == "e" || f == "escape") {
      if (f != "safe") fail(e.line, "the filter \"" + f + "\" is not supported");
      return v;
    }
    if (f == "upper" || f == "lower" || f == "capitalize" || f == "title") {
      return (*string_method(Value::from_string(v.to_output()), f, e.line).function)({}, {});
    }
    if (f == "replace") {
      return (*string_method(Value::from_string(v.to_output()), "replace", e.line).function)(args, {});
    }
    if (f == "tojson") {
      const Value* indent = kwarg("indent", 0);
      std::string out;
      python_json(v, out, indent && indent->kind == Value::Kind::kInt ? static_cast<int>(indent->integer) : -1, 0);
      return Value::from_string(std::move(out));
    }
    if (f == "default" || f == "d") {
      const Value* boolean = kwarg("boolean", 1);
      const bool use_default = v.is_undefined() || (boolean && boolean->truthy() && !v.truthy());
      return use_default ? (args.empty() ? Value::from_string("") : args[0]) : v;
    }
    if (f == "first" || f == "last") {
      const std::vector<Value> items = iterate(v, e.line);
      if (items.empty()) return Value();
      return f == "first" ? items.front() : items.back();
    }
    if (f == "join") {
      const std::vector<Value> items = iterate(v, e.line);
      const std::string sep = args.empty() ? "" : args[0].to_output();
      std::string out;
      for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i].to_output();
      return Value::from_string(std::move(out));
    }
    if (f == "list") return Value::from_list(iterate(v, e.line));
    if (f == "reverse") {
      if (v.kind == Value::Kind::kString) {
        std::string s(v.string.rbegin(), v.string.rend());
        return Value::from_string(std::move(s));
      }
      std::vector<Value> items = iterate(v, e.line);
      std::reverse(items.begin(), items.end());
      return Value::from_list(std::move(items));
    }
    if (f == "items")
      return (*dict_method(v.kind == Value::Kind::kDict ? v : Value::from_dict({}), "items").function)({}, {});
    if (f == "int") {
      if (v.kind == Value::Kind::kInt) return v;
      if (v.kind == Value::Kind::kFloat) return Value::from_int(static_cast<std::int64_t>(v.number));
      if (v.kind == Value::Kind::kBool) return Value::from_int(v.boolean ? 1 : 0);
      return Value::from_int(v.is_string() ? std::strtoll(v.string.c_str(), nullptr, 10) : 0);
    }
    if (f == "float") {
      if (v.is_number()) return Value::from_float(v.as_double());
      return Value::from_float(v.is_string() ? std::strtod(v.string.c_str(), nullptr) : 0.0);
    }
    if (f == "abs" && v.is_number()) {
      return v.kind == Value::Kind::kInt ? Value::from_int(v.integer < 0 ? -v.integer : v.integer)
                                         : Value::from_float(std::fabs(v.number));
    }
    fail(e.line, "the filter \"" + f + "\" is not supported by r1eval's template interpreter");
  }

  Value test(const Expr& e) {
    const Value v = eval(*e.args[0]);
    const std::string& t = e.name;
    bool result = false;
    if (t == "defined") {
      result = !v.is_undefined();
    } else if (t == "undefined") {
      result = v.is_undefined();
    } else if (t == "none") {
      result = v.is_none();
    } else if (t == "string") {
      result = v.is_string();
    } else if (t == "number") {
      result = v.is_number();
    } else if (t == "integer") {
      result = v.kind == Value::Kind::kInt;
    } else if (t == "float") {
      result = v.kind == Value::Kind::kFloat;
    } else if (t == "boolean") {
      result = v.kind == Value::Kind::kBool;
    } else if (t == "true" || t == "false") {
      result = v.kind == Value::Kind::kBool && v.boolean == (t == "true");
    } else if (t == "mapping") {
      result = v.kind == Value::Kind::kDict;
    } else if (t == "sequence" || t == "iterable") {
      result = v.kind == Value::Kind::kList || v.kind == Value::Kind::kString || v.kind == Value::Kind::kDict;
    } else if (t == "callable") {
      result = v.kind == Value::Kind::kFunction;
    } else if (t == "odd" || t == "even") {
      if (v.kind != Value::Kind::kInt) fail(e.line, "\"" + t + "\" needs an integer");
      result = (v.integer % 2 != 0) == (t == "odd");
    } else if (t == "equalto" || t == "eq" || t == "sameas") {
      result = e.args.size() > 1 && equal(v, eval(*e.args[1]));
    } else {
      fail(e.line, "the test \"" + t + "\" is not supported by r1eval's template interpreter");
    }
    return Value::from_bool(result != e.negated);
  }

  bool contains(const Value& container, const Value& needle, std::size_t line) const {
    switch (container.kind) {
      case Value::Kind::kString:
        if (!needle.is_string()) fail(line, std::string("'in <string>' needs a string, not ") + needle.type_name());
        return container.string.find(needle.string) != std::string::npos;
      case Value::Kind::kList:
        return std::any_of(container.list->begin(), container.list->end(),
                           [&](const Value& x) { return equal(x, needle); });
      case Value::Kind::kDict: return needle.is_string() && container.find(needle.string) != nullptr;
      case Value::Kind::kUndefined:
      case Value::Kind::kNone: return false;
      default: fail(line, std::string("cannot test membership in ") + container.type_name());
    }
  }

  Value arithmetic(const std::string& op, const Value& a, const Value& b, std::size_t line) const {
    if (op == "~") return Value::from_string(a.to_output() + b.to_output());
    if (op == "+" && a.is_string() && b.is_string()) return Value::from_string(a.string + b.string);
    if (op == "+" && a.kind == Value::Kind::kList && b.kind == Value::Kind::kList) {
      List items = *a.list;
      items.insert(items.end(), b.list->begin(), b.list->end());
      return Value::from_list(std::move(items));
    }
    if (op == "*" && a.is_string() && b.kind == Value::Kind::kInt) {
      std::string r;
      for (std::int64_t i = 0; i < b.integer && r.size() < (1u << 24); ++i) r += a.string;
      return Value::from_string(std::move(r));
    }
    const auto numeric = [](const Value& v) { return v.is_number() || v.kind == Value::Kind::kBool; };
    if (!numeric(a) || !numeric(b)) {
      fail(line, std::string("cannot apply \"") + op + "\" to " + a.type_name() + " and " + b.type_name());
    }
    const auto as_int = [](const Value& v) { return v.kind == Value::Kind::kBool ? (v.boolean ? 1 : 0) : v.integer; };
    const bool ints = a.kind != Value::Kind::kFloat && b.kind != Value::Kind::kFloat;
    const double x = a.kind == Value::Kind::kBool ? static_cast<double>(as_int(a)) : a.as_double();
    const double y = b.kind == Value::Kind::kBool ? static_cast<double>(as_int(b)) : b.as_double();
    if (op == "/") {
      if (y == 0) fail(line, "division by zero");
      return Value::from_float(x / y);
    }
    if (ints) {
      const std::int64_t i = as_int(a);
      const std::int64_t j = as_int(b);
      if (op == "+") return Value::from_int(i + j);
      if (op == "-") return Value::from_int(i - j);
      if (op == "*") return Value::from_int(i * j);
      if (j == 0 && (op == "//" || op == "%")) fail(line, "division by zero");
      if (op == "//")
        return Value::from_int(static_cast<std::int64_t>(std::floor(static_cast<double>(i) / static_cast<double>(j))));
      if (op == "%") return Value::from_int(((i % j) + j) % j);
      if (op == "**")
        return Value::from_int(static_cast<std::int64_t>(std::pow(static_cast<double>(i), static_cast<double>(j))));
    }
    if (op == "+") return Value::from_float(x + y);
    if (op == "-") return Value::from_float(x - y);
    if (op == "*") return Value::from_float(x * y);
    if (op == "**") return Value::from_float(std::pow(x, y));
    if (y == 0) fail(line, "division by zero");
    if (op == "//") return Value::from_float(std::floor(x / y));
    return Value::from_float(x - y * std::floor(x / y));
  }

  Value binary(const Expr& e) {
    const Value a = eval(*e.args[0]);
    const Value b = eval(*e.args[1]);
    const std::string& op = e.name;
    if (op == "==") return Value::from_bool(equal(a, b));
    if (op == "!=") return Value::from_bool(!equal(a, b));
    if (op == "in") return Value::from_bool(contains(b, a, e.line));
    if (op == "not in") return Value::from_bool(!contains(b, a, e.line));
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      int cmp = 0;
      if (a.is_string() && b.is_string()) {
        cmp = a.string.compare(b.string);
      } else if (a.is_number() && b.is_number()) {
        cmp = a.as_double() < b.as_double() ? -1 : a.as_double() > b.as_double() ? 1 : 0;
      } else {
        fail(e.line, std::string("cannot compare ") + a.type_name() + " with " + b.type_name());
      }
      const bool r = op == "<" ? cmp < 0 : op == "<=" ? cmp <= 0 : op == ">" ? cmp > 0 : cmp >= 0;
      return Value::from_bool(r);
    }
    return arithmetic(op, a, b, e.line);
  }

  Value eval(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kLiteral: return e.value;
      case Expr::Kind::kName: return lookup(e.name);
      case Expr::Kind::kList: {
        List items;
        for (const auto& a : e.args) items.push_back(eval(*a));
        return Value::from_list(std::move(items));
      }
      case Expr::Kind::kDict: {
        Value d = Value::from_dict({});
        for (const auto& [k, v] : e.kwargs) d.set(k, eval(*v));
        return d;
      }
      case Expr::Kind::kAttr: return attribute(eval(*e.args[0]), e.name, e.line);
      case Expr::Kind::kItem: return item(eval(*e.args[0]), eval(*e.args[1]), e.line);
      case Expr::Kind::kSlice: {
        const auto opt = [&](std::size_t i) { return e.args[i] ? eval(*e.args[i]) : Value(); };
        return slice(eval(*e.args[0]), opt(1), opt(2), opt(3), e.line);
      }
      case Expr::Kind::kCall: return call(e);
      case Expr::Kind::kFilter: return filter(e);
      case Expr::Kind::kTest: return test(e);
      case Expr::Kind::kUnary: {
        const Value v = eval(*e.args[0]);
        if (e.name == "not") return Value::from_bool(!v.truthy());
        if (!v.is_number()) fail(e.line, std::string("unary \"") + e.name + "\" on " + v.type_name());
        if (e.name == "+") return v;
        return v.kind == Value::Kind::kInt ? Value::from_int(-v.integer) : Value::from_float(-v.number);
      }
      case Expr::Kind::kBinary: return binary(e);
      case Expr::Kind::kAnd: {
        Value a = eval(*e.args[0]);
        return a.truthy() ? eval(*e.args[1]) : a;
      }
      case Expr::Kind::kOr: {
        Value a = eval(*e.args[0]);
        return a.truthy() ? a : eval(*e.args[1]);
      }
      case Expr::Kind::kCondition:
        if (eval(*e.args[1]).truthy()) return eval(*e.args[0]);
        return e.args[2] ? eval(*e.args[2]) : Value();
    }
    return Value();
  }

  static constexpr std::size_t kMaxSteps = 2000000;
  static constexpr std::size_t kMaxOutputBytes = 64u << 20;
  const std::string& name_;
  std::vector<std::unordered_map<std::string, Value>> scopes_;
  std::size_t steps_ = 0;
};

}  // namespace

std::string Template::render(const nlohmann::json& variables) const {
  Renderer renderer(name_);
  renderer.push_scope();
  if (variables.is_object()) {
    for (const auto& [k, v] : variables.items()) renderer.set_global(k, Value::from_json(v));
  }
  renderer.push_scope();  // top-level {% set %} must not overwrite the caller's variables
  std::string out;
  renderer.render(*root_, out);
  return out;
}

}  // namespace r1eval::engine::tokenizer::jinja
