#include "engine/tokenizer/jinja_value.h"

#include <cmath>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/tokenizer/tokenizer_error.h"

namespace r1eval::engine::tokenizer::jinja {

Value Value::from_bool(bool b) {
  Value v = make(Kind::kBool);
  v.boolean = b;
  return v;
}
Value Value::from_int(std::int64_t i) {
  Value v = make(Kind::kInt);
  v.integer = i;
  return v;
}
Value Value::from_float(double d) {
  Value v = make(Kind::kFloat);
  v.number = d;
  return v;
}
Value Value::from_string(std::string s) {
  Value v = make(Kind::kString);
  v.string = std::move(s);
  return v;
}
Value Value::from_list(List items) {
  Value v = make(Kind::kList);
  v.list = std::make_shared<List>(std::move(items));
  return v;
}
Value Value::from_dict(Dict items) {
  Value v = make(Kind::kDict);
  v.dict = std::make_shared<Dict>(std::move(items));
  return v;
}
Value Value::from_function(Function f) {
  Value v = make(Kind::kFunction);
  v.function = std::make_shared<Function>(std::move(f));
  return v;
}

Value Value::from_json(const nlohmann::json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::null: return none();
    case nlohmann::json::value_t::boolean: return from_bool(json.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return from_int(json.get<std::int64_t>());
    case nlohmann::json::value_t::number_float: return from_float(json.get<double>());
    case nlohmann::json::value_t::string: return from_string(json.get<std::string>());
    case nlohmann::json::value_t::array: {
      List items;
      for (const auto& e : json) items.push_back(from_json(e));
      return from_list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      Dict items;
      for (const auto& [k, e] : json.items()) items.emplace_back(k, from_json(e));
      return from_dict(std::move(items));
    }
    default: return none();
  }
}

nlohmann::json Value::to_json() const {
  switch (kind) {
    case Kind::kNone: return nullptr;
    case Kind::kBool: return boolean;
    case Kind::kInt: return integer;
    case Kind::kFloat: return number;
    case Kind::kString: return string;
    case Kind::kList: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : *list) out.push_back(e.to_json());
      return out;
    }
    case Kind::kDict: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& [k, e] : *dict) out[k] = e.to_json();
      return out;
    }
    default: throw TokenizerError(std::string("chat template: cannot convert ") + type_name() + " to JSON");
  }
}

bool Value::truthy() const {
  switch (kind) {
    case Kind::kUndefined:
    case Kind::kNone: return false;
    case Kind::kBool: return boolean;
    case Kind::kInt: return integer != 0;
    case Kind::kFloat: return number != 0.0;
    case Kind::kString: return !string.empty();
    case Kind::kList: return !list->empty();
    case Kind::kDict: return is_namespace || !dict->empty();
    case Kind::kFunction: return true;
  }
  return false;
}

const Value* Value::find(const std::string& key) const {
  if (kind != Kind::kDict) return nullptr;
  for (const auto& [k, v] : *dict) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Value::set(const std::string& key, Value v) {
  for (auto& [k, existing] : *dict) {
    if (k == key) {
      existing = std::move(v);
      return;
    }
  }
  dict->emplace_back(key, std::move(v));
}

namespace {

std::string python_float(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Python repr: the shortest string that round-trips, with ".0" for integral values.
  std::string s;
  for (int precision = 1; precision <= 17; ++precision) {
    s = fmt::format("{:.{}g}", d, precision);
    if (std::strtod(s.c_str(), nullptr) == d) break;
  }
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string quote(const std::string& s) {
  const char q = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, q);
  for (char c : s) {
    if (c == q || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += q;
  return out;
}

}  // namespace

std::string Value::repr() const { return kind == Kind::kString ? quote(string) : to_output(); }

std::string Value::to_output() const {
  switch (kind) {
    case Kind::kUndefined: return "";
    case Kind::kNone: return "None";
    case Kind::kBool: return boolean ? "True" : "False";
    case Kind::kInt: return std::to_string(integer);
    case Kind::kFloat: return python_float(number);
    case Kind::kString: return string;
    case Kind::kList: {
      std::string out = "[";
      for (std::size_t i = 0; i < list->size(); ++i) out += (i ? ", " : "") + (*list)[i].repr();
      return out + "]";
    }
    case Kind::kDict: {
      if (is_namespace) return "<Namespace>";
      std::string out = "{";
      for (std::size_t i = 0; i < dict->size(); ++i) {
        out += (i ? ", " : "") + quote((*dict)[i].first) + ": " + (*dict)[i].second.repr();
      }
      return out + "}";
    }
    case Kind::kFunction: return "<function>";
  }
  return "";
}

const char* Value::type_name() const {
  switch (kind) {
    case Kind::kUndefined: return "an undefined value";
    case Kind::kNone: return "none";
    case Kind::kBool: return "a boolean";
    case Kind::kInt: return "an integer";
    case Kind::kFloat: return "a float";
    case Kind::kString: return "a string";
    case Kind::kList: return "a list";
    case Kind::kDict: return is_namespace ? "a namespace" : "a dict";
    case Kind::kFunction: return "a function";
  }
  return "a value";
}

bool equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return a.as_double() == b.as_double();
  if (a.kind == Value::Kind::kBool && b.is_number()) return (a.boolean ? 1.0 : 0.0) == b.as_double();
  if (b.kind == Value::Kind::kBool && a.is_number()) return (b.boolean ? 1.0 : 0.0) == a.as_double();
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNone: return true;
    case Value::Kind::kBool: return a.boolean == b.boolean;
    case Value::Kind::kString: return a.string == b.string;
    case Value::Kind::kList: {
      if (a.list->size() != b.list->size()) return false;
      for (std::size_t i = 0; i < a.list->size(); ++i) {
        if (!equal((*a.list)[i], (*b.list)[i])) return false;
      }
      return true;
    }
    case Value::Kind::kDict: {
      if (a.dict == b.dict) return true;
      if (a.dict->size() != b.dict->size()) return false;
      for (const auto& [k, v] : *a.dict) {
        const Value* other = b.find(k);
        if (other == nullptr || !equal(v, *other)) return false;
      }
      return true;
    }
    default: return a.function == b.function;
  }
}

}  // namespace r1eval::engine::tokenizer::jinja
