// Values of the Jinja subset used by Hugging Face chat templates: Python-like undefined/none/bool/int/float/str,
// lists, insertion-ordered dicts, namespace() objects and callables (built-ins and bound string/dict methods).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace r1eval::engine::tokenizer::jinja {

struct Value;
using List = std::vector<Value>;
using Dict = std::vector<std::pair<std::string, Value>>;  // insertion order, like Python dicts
using Kwargs = std::vector<std::pair<std::string, Value>>;
using Function = std::function<Value(const std::vector<Value>& args, const Kwargs& kwargs)>;

struct Value {
  enum class Kind { kUndefined, kNone, kBool, kInt, kFloat, kString, kList, kDict, kFunction };
  Kind kind = Kind::kUndefined;
  bool boolean = false;
  std::int64_t integer = 0;
  double number = 0.0;
  std::string string;
  std::shared_ptr<List> list;        // shared: Jinja lists/dicts are references
  std::shared_ptr<Dict> dict;
  bool is_namespace = false;         // a namespace() object: a dict whose attributes can be assigned
  std::shared_ptr<Function> function;

  static Value none() { return make(Kind::kNone); }
  static Value from_bool(bool b);
  static Value from_int(std::int64_t i);
  static Value from_float(double d);
  static Value from_string(std::string s);
  static Value from_list(List items);
  static Value from_dict(Dict items);
  static Value from_function(Function f);
  static Value from_json(const nlohmann::json& json);
  nlohmann::json to_json() const;  // throws for undefined/functions

  bool is_undefined() const { return kind == Kind::kUndefined; }
  bool is_none() const { return kind == Kind::kNone; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_number() const { return kind == Kind::kInt || kind == Kind::kFloat; }
  bool truthy() const;
  double as_double() const { return kind == Kind::kInt ? static_cast<double>(integer) : number; }

  // The dict entry for key, or nullptr.
  const Value* find(const std::string& key) const;
  void set(const std::string& key, Value v);  // dicts/namespaces only

  // str(value) as Jinja prints it ("None", "True", Python float repr, lists as Python literals).
  std::string to_output() const;
  // repr() for lists/dicts members (strings quoted).
  std::string repr() const;
  // A short type name for error messages.
  const char* type_name() const;

 private:
  static Value make(Kind k) {
    Value v;
    v.kind = k;
    return v;
  }
};

bool equal(const Value& a, const Value& b);

}  // namespace r1eval::engine::tokenizer::jinja
