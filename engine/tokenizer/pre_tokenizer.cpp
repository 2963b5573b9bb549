#include "engine/tokenizer/pre_tokenizer.h"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "engine/tokenizer/deepseek_pre_tokenizer.h"
#include "engine/tokenizer/tokenizer_error.h"
#include "engine/tokenizer/utf8.h"

namespace r1eval::engine::tokenizer {
namespace {

// Unicode White_Space (what Oniguruma's \s matches for UTF-8 text), as re2 class contents.
constexpr std::string_view kWhiteSpaceRanges =
    "\\t\\n\\x{0B}\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";
constexpr std::string_view kWordRanges = "\\p{L}\\p{M}\\p{Nd}\\p{Pc}";
constexpr std::string_view kLookaheadAlternation = "\\s+(?!\\S)|\\s+";

// The number of bytes taken by the escape sequence starting at pattern[i] == '\\' (2 for `\x`, longer for
// `\p{..}`, `\x{..}`), so that the rewriter copies it unchanged.
std::size_t escape_length(std::string_view pattern, std::size_t i) {
  if (i + 1 >= pattern.size()) return 1;
  const char c = pattern[i + 1];
  if ((c == 'p' || c == 'P' || c == 'x') && i + 2 < pattern.size() && pattern[i + 2] == '{') {
    const std::size_t close = pattern.find('}', i + 3);
    return close == std::string_view::npos ? pattern.size() - i : close + 1 - i;
  }
  // Keep a multi-byte UTF-8 character after a backslash whole.
  const std::size_t len = utf8::valid_sequence_length(pattern, i + 1);
  return 1 + (len == 0 ? 1 : len);
}

}  // namespace

std::string onig_to_re2(std::string_view pattern, bool& whitespace_lookahead, const std::string& where) {
  whitespace_lookahead = false;
  std::string out;
  out.reserve(pattern.size() + 256);
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size();) {
    if (!in_class && pattern.substr(i, kLookaheadAlternation.size()) == kLookaheadAlternation) {
      if (whitespace_lookahead) {
        throw TokenizerError(where + ": the pre-tokenizer regex uses `\\s+(?!\\S)` twice, which r1eval cannot emulate");
      }
      whitespace_lookahead = true;
      out += "([";
      out += kWhiteSpaceRanges;
      out += "]+)";
      i += kLookaheadAlternation.size();
      continue;
    }
    const char c = pattern[i];
    if (c == '\\') {
      const std::size_t len = escape_length(pattern, i);
      const char e = i + 1 < pattern.size() ? pattern[i + 1] : '\0';
      if (e == 's' || e == 'S' || e == 'd' || e == 'D' || e == 'w' || e == 'W') {
        const bool negated = e == 'S' || e == 'D' || e == 'W';
        const std::string_view ranges = e == 's' || e == 'S' ? kWhiteSpaceRanges
                                        : e == 'd' || e == 'D' ? std::string_view("\\p{Nd}")
                                                               : kWordRanges;
        if (in_class && negated) {
          throw TokenizerError(where +
                               ": the pre-tokenizer regex uses a negated class escape inside [...], which r1eval "
                               "cannot translate to re2");
        }
        if (in_class) {
          out += ranges;
        } else {
          out += negated ? "[^" : "[";
          out += ranges;
          out += "]";
        }
      } else {
        out.append(pattern.substr(i, len));
      }
      i += len;
      continue;
    }
    if (!in_class && c == '(' && pattern.substr(i, 3) != "(?:" && pattern.substr(i, 2) == "(?" &&
        i + 2 < pattern.size() && (pattern[i + 2] == '=' || pattern[i + 2] == '!' || pattern[i + 2] == '<')) {
      throw TokenizerError(
          where + ": the pre-tokenizer regex uses a lookaround other than `\\s+(?!\\S)|\\s+`, which re2 cannot run");
    }
    if (!in_class && c == '[') {
      in_class = true;
      out += c;
      ++i;
      // A ']' right after '[' or '[^' is a literal member, not the end of the class.
      if (i < pattern.size() && pattern[i] == '^') out += pattern[i++];
      if (i < pattern.size() && pattern[i] == ']') out += pattern[i++];
      continue;
    }
    if (in_class && c == ']') in_class = false;
    out += c;
    ++i;
  }
  return out;
}

struct PreTokenizer::Step {
  std::string source_pattern;  // the Regex as written in the file
  std::unique_ptr<re2::RE2> regex;
  bool whitespace_lookahead = false;
  bool remove_matches = false;  // behaviour "Removed" (else "Isolated")
};

PreTokenizer::PreTokenizer() = default;
PreTokenizer::~PreTokenizer() = default;
PreTokenizer::PreTokenizer(PreTokenizer&&) noexcept = default;
PreTokenizer& PreTokenizer::operator=(PreTokenizer&&) noexcept = default;

namespace {

void add_steps(const nlohmann::json& spec, const std::string& where,
               std::vector<std::unique_ptr<PreTokenizer::Step>>& steps, bool& byte_level);

}  // namespace

PreTokenizer PreTokenizer::from_json(const nlohmann::json& spec, const std::string& where) {
  PreTokenizer result;
  add_steps(spec, where, result.steps_, result.byte_level_);
  bool deepseek = result.steps_.size() == 3;
  for (std::size_t i = 0; deepseek && i < 3; ++i) {
    deepseek =
        !result.steps_[i]->remove_matches && result.steps_[i]->source_pattern == DeepSeekPreTokenizer::kPatterns[i];
  }
  if (deepseek) result.deepseek_ = std::make_unique<DeepSeekPreTokenizer>();
  return result;
}

namespace {

std::string string_field(const nlohmann::json& obj, const char* key, const std::string& where) {
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) {
    throw TokenizerError(where + ": pre_tokenizer entry lacks the string field \"" + key + "\"");
  }
  return it->get<std::string>();
}

void add_steps(const nlohmann::json& spec, const std::string& where,
               std::vector<std::unique_ptr<PreTokenizer::Step>>& steps, bool& byte_level) {
  if (spec.is_null()) return;
  if (!spec.is_object()) throw TokenizerError(where + ": \"pre_tokenizer\" is not an object");
  const std::string type = string_field(spec, "type", where);
  if (type == "Sequence") {
    const auto it = spec.find("pretokenizers");
    if (it == spec.end() || !it->is_array())
      throw TokenizerError(where + ": pre_tokenizer Sequence lacks the array \"pretokenizers\"");
    for (const auto& child : *it) add_steps(child, where, steps, byte_level);
    return;
  }
  if (type == "ByteLevel") {
    if (spec.value("add_prefix_space", false)) {
      throw TokenizerError(where + ": ByteLevel pre_tokenizer with add_prefix_space=true is not supported");
    }
    if (spec.value("use_regex", true)) {
      // The GPT-2 split that ByteLevel runs when use_regex is true.
      nlohmann::json split = {
          {"type", "Split"},
          {"pattern",
           {{"Regex", "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"}}},
          {"behavior", "Isolated"},
          {"invert", false}};
      add_steps(split, where, steps, byte_level);
    }
    byte_level = true;
    return;
  }
  if (type != "Split") throw TokenizerError(where + ": pre_tokenizer type \"" + type + "\" is not supported");
  const auto pattern_it = spec.find("pattern");
  if (pattern_it == spec.end() || !pattern_it->is_object())
    throw TokenizerError(where + ": Split pre_tokenizer lacks \"pattern\"");
  std::string re2_pattern;
  auto step = std::make_unique<PreTokenizer::Step>();
  if (pattern_it->contains("Regex") && (*pattern_it)["Regex"].is_string()) {
    step->source_pattern = (*pattern_it)["Regex"].get<std::string>();
    re2_pattern = onig_to_re2(step->source_pattern, step->whitespace_lookahead, where);
  } else if (pattern_it->contains("String") && (*pattern_it)["String"].is_string()) {
    re2_pattern = re2::RE2::QuoteMeta((*pattern_it)["String"].get<std::string>());
  } else {
    throw TokenizerError(where + ": Split pre_tokenizer \"pattern\" has neither a \"Regex\" nor a \"String\"");
  }
  const std::string behavior = string_field(spec, "behavior", where);
  if (behavior == "Removed") {
    step->remove_matches = true;
  } else if (behavior != "Isolated") {
    throw TokenizerError(where + ": Split behavior \"" + behavior + "\" is not supported (only Isolated and Removed)");
  }
  if (spec.value("invert", false)) throw TokenizerError(where + ": Split with invert=true is not supported");
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  step->regex = std::make_unique<re2::RE2>(re2_pattern, options);
  if (!step->regex->ok()) {
    throw TokenizerError(where + ": the pre-tokenizer regex does not compile with re2 (" + step->regex->error() + ")");
  }
  steps.push_back(std::move(step));
}

bool may_start_whitespace(char first_byte) {
  // Every White_Space character starts with one of these bytes: ASCII space/controls, 0xC2 (U+0085, U+00A0),
  // 0xE1 (U+1680), 0xE2 (U+2000..), 0xE3 (U+3000). Used only to skip the capture-group check on most matches.
  const auto b = static_cast<unsigned char>(first_byte);
  return b == ' ' || (b >= 0x09 && b <= 0x0D) || b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3;
}

}  // namespace

void PreTokenizer::split_one(const Step& step, std::string_view piece, std::vector<std::string_view>& out) const {
  const re2::StringPiece text(piece.data(), piece.size());
  std::size_t pos = 0;
  re2::StringPiece match[2];
  while (pos < piece.size()) {
    if (!step.regex->Match(text, pos, piece.size(), re2::RE2::UNANCHORED, match, 1)) break;
    auto start = static_cast<std::size_t>(match[0].data() - piece.data());
    auto end = start + match[0].size();
    if (end == start) {  // an empty match splits nothing; step over one character
      if (start >= piece.size()) break;
      const std::size_t len = utf8::valid_sequence_length(piece, start);
      if (start > pos) out.push_back(piece.substr(pos, start - pos));
      out.push_back(piece.substr(start, len == 0 ? 1 : len));
      pos = start + (len == 0 ? 1 : len);
      continue;
    }
    if (step.whitespace_lookahead && end < piece.size() && may_start_whitespace(piece[start])) {
      // Ask re2 which alternative matched (group 1 = the rewritten `\s+(?!\S)|\s+`).
      if (step.regex->Match(text, start, piece.size(), re2::RE2::ANCHOR_START, match, 2) &&
          match[1].data() != nullptr && match[1].data() == piece.data() + start) {
        const std::size_t last = utf8::last_char_start(piece, end);
        if (last > start) end = last;  // `\s+(?!\S)`: leave the last space for the next word
      }
    }
    if (start > pos) out.push_back(piece.substr(pos, start - pos));
    if (!step.remove_matches) out.push_back(piece.substr(start, end - start));
    pos = end;
  }
  if (pos < piece.size()) out.push_back(piece.substr(pos));
}

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& out,
                         std::vector<std::string_view>& scratch) const {
  if (deepseek_) {
    out.clear();
    deepseek_->split(text, out);
    return;
  }
  split_with_re2(text, out, scratch);
}

void PreTokenizer::split_with_re2(std::string_view text, std::vector<std::string_view>& out,
                                  std::vector<std::string_view>& scratch) const {
  out.clear();
  if (text.empty()) return;
  out.push_back(text);
  for (const auto& step : steps_) {
    scratch.clear();
    for (const auto piece : out) split_one(*step, piece, scratch);
    out.swap(scratch);
  }
}

}  // namespace r1eval::engine::tokenizer
