// LaTeX answer normalization: one pass over commands, then a few whole-string rules.
#include "graders/math/normalize.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "graders/math/number_text.h"
#include "graders/math/text_scan.h"

namespace r1eval::graders::math {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  std::size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

bool is_text_command(std::string_view name) {
  static constexpr std::string_view kNames[] = {"text",   "textbf", "textit", "textrm", "textnormal", "textsf",
                                                "texttt", "mathrm", "mathbf", "mathit", "mathsf",     "mathtt",
                                                "mbox",   "hbox",   "emph",   "mathbb", "mathcal", "textup",
                                                "boxed",  "fbox",   "bm",     "boldsymbol"};
  for (std::string_view known : kNames) {
    if (known == name) return true;
  }
  return false;
}

bool is_words(std::string_view s) {
  bool letter = false;
  for (char c : s) {
    if (is_alpha(c)) {
      letter = true;
    } else if (!is_space(c) && c != '.' && c != '-' && c != '\'') {
      return false;
    }
  }
  return letter;
}

bool is_known_math_word(std::string_view word) {
  static constexpr std::string_view kWords[] = {"sqrt", "pi", "infty", "sin", "cos", "tan", "cot", "sec", "csc",
                                                "ln", "log", "exp", "arcsin", "arccos", "arctan", "frac"};
  for (std::string_view known : kWords) {
    if (known == word) return true;
  }
  return false;
}

bool is_short_unit(std::string_view word) {
  static constexpr std::string_view kUnits[] = {"cm", "mm", "km", "ft", "in", "kg", "mg", "ml", "mL", "hr",
                                                "yd", "mi", "am", "pm", "AM", "PM", "sq", "oz", "lb", "m.", "s."};
  for (std::string_view unit : kUnits) {
    if (unit == word) return true;
  }
  return false;
}

// Word groups found in \text{...} are held aside as "\x01words\x02" until we know whether the answer has
// mathematics beside them (then they are units and dropped) or not (then they are the answer).
constexpr char kWordOpen = '\x01';
constexpr char kWordClose = '\x02';

struct CommandPass {
  std::string out;
  bool percent = false;
};

// Rewrites commands left to right. Text commands are unwrapped in place so their content is rescanned.
CommandPass rewrite_commands(std::string s) {
  CommandPass pass;
  bool trigonometric = false;
  for (std::string_view function : {"\\sin", "\\cos", "\\tan", "\\cot", "\\sec", "\\csc"}) {
    if (s.find(function) != std::string::npos) trigonometric = true;
  }
  std::size_t i = 0;
  while (i < s.size()) {
    // Each step consumes input or replaces a command by its shorter content, so the loop ends.
    const char c = s[i];
    if (c == '%') {
      pass.percent = true;
      ++i;
      continue;
    }
    if (c == '$') {
      ++i;
      continue;
    }
    if (c == '~') {
      pass.out += ' ';
      ++i;
      continue;
    }
    if (c != '\\' || i + 1 >= s.size()) {
      pass.out += c;
      ++i;
      continue;
    }
    // A command: letters, or one other character.
    std::size_t end = i + 1;
    if (is_alpha(s[end])) {
      while (end < s.size() && is_alpha(s[end])) ++end;
    } else {
      ++end;
    }
    const std::string name = s.substr(i + 1, end - i - 1);
    if (name == "%") {
      pass.percent = true;
    } else if (name == "$") {
      // currency
    } else if (name == "!") {
      // negative thin space: nothing
    } else if (name == "," || name == ";" || name == ":" || name == " " || name == "quad" || name == "qquad" ||
               name == "enspace" || name == "thinspace") {
      // A thin space between digit groups ("1\,000") is a thousands separator.
      const bool between_digits = !pass.out.empty() && is_digit(pass.out.back()) && end + 3 <= s.size() &&
                                  is_digit(s[end]) && is_digit(s[end + 1]) && is_digit(s[end + 2]) &&
                                  (end + 3 == s.size() || !is_digit(s[end + 3]));
      if (!between_digits || name != ",") pass.out += ' ';
    } else if (name == "(" || name == ")" || name == "[" || name == "]") {
      // display-math delimiters
    } else if (name == "left" || name == "right" || name == "bigl" || name == "bigr" || name == "Bigl" ||
               name == "Bigr" || name == "big" || name == "Big" || name == "bigg" || name == "Bigg" ||
               name == "biggl" || name == "biggr" || name == "displaystyle" || name == "textstyle" ||
               name == "limits" || name == "nolimits" || name == "middle") {
      if ((name == "left" || name == "right") && end < s.size() && s[end] == '.') ++end;
    } else if (name == "dfrac" || name == "tfrac" || name == "cfrac") {
      pass.out += "\\frac";
    } else if (name == "dbinom" || name == "tbinom") {
      pass.out += "\\binom";
    } else if (name == "circ" || name == "degree") {
      // Degrees are dropped ("90^\\circ" is 90), except inside trigonometry, where the parser converts them.
      if (trigonometric) pass.out += "\\degree ";
      // drop a "^" (or "^{") that introduced it
      std::string degree_token;
      if (trigonometric) {
        degree_token = pass.out.substr(pass.out.size() - 8);
        pass.out.resize(pass.out.size() - 8);
      }
      while (!pass.out.empty() && (pass.out.back() == '^' || pass.out.back() == '{' || is_space(pass.out.back()))) {
        const char back = pass.out.back();
        pass.out.pop_back();
        if (back == '^') break;
      }
      pass.out += degree_token;
      if (end < s.size() && s[end] == '}') {
        // we removed the "{" of "^{\circ}": skip its "}"
        ++end;
      }
    } else if (name == "operatorname") {
      std::size_t open = end;
      while (open < s.size() && is_space(s[open])) ++open;
      if (open < s.size() && s[open] == '{') {
        const std::size_t close = match_brace(s, open);
        if (close != std::string::npos) {
          const std::string inner = trim(std::string_view(s).substr(open + 1, close - open - 2));
          s.replace(i, close - i, "\\" + inner + " ");
          continue;
        }
      }
      pass.out += "\\operatorname";
    } else if (is_text_command(name)) {
      std::size_t open = end;
      while (open < s.size() && is_space(s[open])) ++open;
      if (open < s.size() && s[open] == '{') {
        const std::size_t close = match_brace(s, open);
        if (close != std::string::npos) {
          std::string inner = s.substr(open + 1, close - open - 2);
          const std::string trimmed = trim(inner);
          if (trimmed == "and" || trimmed == "or" || trimmed == ",") {
            pass.out += ',';
            i = close;
            continue;
          }
          if (is_words(trimmed)) {
            std::string held;
            held += kWordOpen;
            held += trimmed;
            held += kWordClose;
            pass.out += held;
            i = close;
            continue;
          }
          // Unwrap: the content replaces the command and is scanned again.
          s.replace(i, close - i, inner);
          continue;
        }
      }
      // \boxed 5 and friends without braces: drop the command.
    } else {
      pass.out += s.substr(i, end - i);
    }
    i = end;
  }
  return pass;
}

// Resolves the held word groups: units beside mathematics are dropped (with a following ^2), a words-only
// answer keeps its words.
std::string resolve_word_groups(const std::string& s) {
  std::string without;
  bool inside = false;
  for (char c : s) {
    if (c == kWordOpen) inside = true;
    else if (c == kWordClose) inside = false;
    else if (!inside) without += c;
  }
  const bool has_math = trim(without).find_first_not_of(" ,.") != std::string::npos;
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != kWordOpen) {
      out += s[i++];
      continue;
    }
    const std::size_t close = s.find(kWordClose, i);
    if (!has_math) {
      out += s.substr(i + 1, close - i - 1);
      i = close + 1;
      continue;
    }
    i = close + 1;
    // A unit's exponent: "\\text{ cm}^2", "\\mbox{ m}^{3}".
    std::size_t j = i;
    while (j < s.size() && is_space(s[j])) ++j;
    if (j + 1 < s.size() && s[j] == '^') {
      if (is_digit(s[j + 1])) {
        i = j + 2;
      } else if (s[j + 1] == '{') {
        const std::size_t end = match_brace(s, j + 1);
        if (end != std::string::npos) i = end;
      }
    }
  }
  return out;
}

// "sqrt(2)", "pi", "infinity" written without a backslash.
std::string mark_plain_commands(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!is_alpha(s[i])) {
      out += s[i++];
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && is_alpha(s[end])) ++end;
    std::string word(s.substr(i, end - i));
    const bool after_backslash = i > 0 && s[i - 1] == '\\';
    if (!after_backslash) {
      if (word == "infinity" || word == "inf" || word == "oo") word = "infty";
      if (is_known_math_word(word)) out += '\\';
    }
    out += word;
    i = end;
  }
  return out;
}

// Unicode spellings of operators, constants, spaces and currency signs, as the LaTeX the parser reads.
void replace_unicode_spellings(std::string& s) {
  replace_all(s, "\xe2\x88\x92", "-");         // −
  replace_all(s, "\xc3\x97", "\\times ");      // ×
  replace_all(s, "\xc2\xb7", "\\cdot ");       // ·
  replace_all(s, "\xe2\x8b\x85", "\\cdot ");   // ⋅
  replace_all(s, "\xe2\x89\xa4", "\\le ");     // ≤
  replace_all(s, "\xe2\x89\xa5", "\\ge ");     // ≥
  replace_all(s, "\xe2\x89\xa0", "\\ne ");     // ≠
  replace_all(s, "\xe2\x88\x9a", "\\sqrt");    // √
  replace_all(s, "\xcf\x80", "\\pi ");         // π
  replace_all(s, "\xe2\x88\x9e", "\\infty ");  // ∞
  replace_all(s, "\xc2\xb0", "^\\circ ");      // °
  replace_all(s, "\xe2\x88\xaa", "\\cup ");    // ∪
  replace_all(s, "\xc3\xb7", "\\div ");        // ÷
  replace_all(s, "\xe2\x80\x89", " ");         // thin space
  replace_all(s, "\xc2\xa0", " ");             // no-break space
  replace_all(s, "\xc2\xb2", "^2");            // ²
  replace_all(s, "\xc2\xb3", "^3");            // ³
  replace_all(s, "\xe2\x82\xac", "");          // € (currency signs, like $, are decoration)
  replace_all(s, "\xc2\xa3", "");              // £
  replace_all(s, "\xc2\xa5", "");              // ¥
}

// "28 percent", "28 per cent", "28 percentage", "28 pct": the word is removed; true when there was one.
bool drop_trailing_percent_word(std::string& s) {
  for (std::string_view word : {"percentage", "percent", "per cent", "pct"}) {
    const bool ends_with = s.size() > word.size() && s.compare(s.size() - word.size(), word.size(), word) == 0;
    if (ends_with && !is_alpha(s[s.size() - word.size() - 1])) {
      s.erase(s.size() - word.size());
      s = trim(s);
      return true;
    }
  }
  return false;
}

// "USD 5", "EUR 12.50", "RMB 30": a leading currency code (its sign, like $, is dropped with the commands).
std::string without_currency_code(std::string s) {
  for (std::string_view code : {"USD", "EUR", "RMB", "CNY"}) {
    if (s.compare(0, code.size(), code) == 0 && s.size() > code.size() && !is_alpha(s[code.size()])) {
      return trim(std::string_view(s).substr(code.size()));
    }
  }
  return s;
}

// Commas with nothing between them ("19, 46,, 82" after "and" became a comma) are one comma.
std::string without_empty_list_items(std::string s) {
  if (s.find(',') == std::string::npos) return s;
  std::string out;
  for (char c : s) {
    if (c == ',') {
      std::size_t end = out.size();
      while (end > 0 && is_space(out[end - 1])) --end;
      if (end > 0 && out[end - 1] == ',') continue;
    }
    out += c;
  }
  return out;
}

// Trailing plain-text units: "5 cm", "12 square units", "18 ways", "10 m^2".
std::string drop_trailing_words(std::string s) {
  while (true) {
    std::size_t end = s.size();
    while (end > 0 && is_space(s[end - 1])) --end;
    if (end >= 2 && s[end - 2] == '^' && is_digit(s[end - 1])) end -= 2;  // the ^2 of "m^2"
    std::size_t begin = end;
    while (begin > 0 && (is_alpha(s[begin - 1]) || s[begin - 1] == '.')) --begin;
    if (end - begin < 2 || begin == 0 || !is_space(s[begin - 1])) return s;
    const std::string word = s.substr(begin, end - begin);
    if (is_known_math_word(word)) return s;
    // Two letters may be a product of variables ("5 xy"): only known short units are dropped.
    if (word.size() == 2 && !is_short_unit(word)) return s;
    std::size_t before = begin;
    while (before > 0 && is_space(s[before - 1])) --before;
    if (before == 0) return s;
    const char last = s[before - 1];
    if (!is_digit(last) && last != ')' && last != '}' && !is_alpha(last)) return s;
    s.erase(before);
  }
}

}  // namespace

NormalizedAnswer normalize_answer(std::string_view raw) {
  std::string s(raw);
  // Most answers are ASCII: the Unicode spellings are looked for only where there is a byte beyond it.
  if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    replace_unicode_spellings(s);
  }
  replace_all(s, "**", "^");
  // Thousands separators written with a negative space: "10,\!080".
  for (std::size_t pos = s.find(",\\!"); pos != std::string::npos; pos = s.find(",\\!", pos)) {
    std::size_t after = pos + 3;
    while (after < s.size() && is_space(s[after])) ++after;
    if (pos > 0 && is_digit(s[pos - 1]) && after < s.size() && is_digit(s[after])) {
      s.erase(pos, after - pos);
    } else {
      pos += 3;
    }
  }
  replace_all(s, "{,}", ",");

  CommandPass pass = rewrite_commands(std::move(s));
  NormalizedAnswer result;
  result.percent = pass.percent;
  s = resolve_word_groups(pass.out);
  s = trim(s);
  if (drop_trailing_percent_word(s)) result.percent = true;
  s = without_currency_code(std::move(s));
  // "1, 2 and 3", "1, 2, and 3", "2 or 3", "1, \text{ and } 2": one list.
  replace_all(s, " and ", ", ");
  replace_all(s, " or ", ", ");
  s = without_empty_list_items(std::move(s));
  s = drop_trailing_words(std::move(s));
  s = mark_plain_commands(s);
  // Trailing punctuation and a leading "=".
  while (!s.empty() &&
         (s.back() == '.' || s.back() == ',' || s.back() == ';' || s.back() == ':' || is_space(s.back()))) {
    // A trailing "." of a decimal ("5.") is also dropped: the value is unchanged.
    s.pop_back();
  }
  s = trim(s);
  while (!s.empty() && s.front() == '=') s = trim(std::string_view(s).substr(1));
  // "^{}" left after removing a degree sign inside braces, empty groups.
  replace_all(s, "^{}", "");
  s = join_thousands(std::move(s));
  result.text = trim(s);
  return result;
}

bool looks_like_words(std::string_view s) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      const std::size_t name_begin = ++i;
      while (i < s.size() && is_alpha(s[i])) ++i;
      const std::string_view name = s.substr(name_begin, i - name_begin);
      // \begin{pmatrix} / \end{pmatrix}: the environment name is not a word of the answer.
      if ((name == "begin" || name == "end") && i < s.size() && s[i] == '{') {
        const std::size_t close = s.find('}', i);
        if (close != std::string_view::npos) i = close + 1;
      }
      run = 0;
      if (i > 0) --i;
      continue;
    }
    if (is_alpha(s[i])) {
      if (++run >= 3) return true;
    } else {
      run = 0;
    }
  }
  return false;
}

std::string text_key(std::string_view s) {
  std::string key;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_space(c)) continue;
    // A group of one character is that character ("x^{2}" = "x^2"); longer groups keep their braces, or
    // "\\frac{1}{23}" and "\\frac{12}{3}" would read alike.
    if (c == '{' && i + 2 < s.size() && s[i + 2] == '}' && s[i + 1] != '\\' && !is_space(s[i + 1])) {
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i + 1])));
      i += 2;
      continue;
    }
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

char choice_letter(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  const bool paren = i < s.size() && s[i] == '(';
  if (paren) ++i;
  if (i >= s.size() || !std::isupper(static_cast<unsigned char>(s[i]))) return 0;
  const char letter = s[i++];
  if (paren) {
    if (i >= s.size() || s[i] != ')') return 0;
    ++i;
    return letter;  // "(B)" may be followed by the option's text
  }
  if (i == s.size()) return letter;
  if (s[i] == ')' || s[i] == ':' || s[i] == '.') return letter;
  return 0;
}

}  // namespace r1eval::graders::math
