// A small interpreter for the Jinja subset that Hugging Face chat templates use, with transformers' settings
// (trim_blocks and lstrip_blocks on, one trailing newline dropped). Supported: {{ }}, {% if/elif/else %},
// {% for x in ... %} with loop.* and tuple targets, {% set x = ... %} and {% set ns.attr = ... %}, comments, the
// usual operators, literals, filters (length, trim, tojson, join, default, ...), tests (defined, none, string, ...),
// string/dict methods (split, strip, startswith, items, get, ...), namespace() and raise_exception().
// Anything else is a TokenizerError naming the template and the construct.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace r1eval::engine::tokenizer::jinja {

struct Node;

class Template {
 public:
  // Parses a template; `name` is used in error messages. Throws TokenizerError.
  static Template parse(std::string_view source, const std::string& name);

  // Renders with the given variables (a JSON object; e.g. messages, add_generation_prompt, bos_token).
  std::string render(const nlohmann::json& variables) const;

  Template(Template&&) noexcept;
  Template& operator=(Template&&) noexcept;
  ~Template();

 private:
  Template();
  std::string name_;
  std::unique_ptr<Node> root_;
};

}  // namespace r1eval::engine::tokenizer::jinja
