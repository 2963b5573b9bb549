#include "graders/logic/bbh_answer.h"

#include <array>
#include <cctype>
#include <vector>

#include "graders/format/reasoning_parts.h"

namespace r1eval::graders::logic {
namespace {

using format::trim;

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '&' || c == '\'' || c == '-' ||
         (static_cast<unsigned char>(c) >= 0x80);
}

// Words of `text` (letters, digits, &, ', - and non-ASCII bytes), lower-cased.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_word_char(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && is_word_char(text[i])) ++i;
    if (i > start) {
      std::string word = lower(text.substr(start, i - start));
      while (!word.empty() && (word.back() == '\'' || word.back() == '-')) word.pop_back();
      while (!word.empty() && (word.front() == '\'' || word.front() == '-')) word.erase(0, 1);
      if (!word.empty()) words.push_back(word);
    }
  }
  return words;
}

// The first (or, over a whole region, the last) word from `choices`, with "not <choice>" flipping a two-way choice.
std::string pick_word(const AnswerSpan& span, const std::vector<std::string_view>& choices) {
  const std::vector<std::string> words = words_of(span.text);
  std::string found;
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t c = 0; c < choices.size(); ++c) {
      if (words[i] != choices[c]) continue;
      std::string choice(choices[c]);
      if (i > 0 && words[i - 1] == "not" && choices.size() == 2) choice = choices[1 - c];
      if (!span.whole_region) return choice;
      found = choice;
    }
  }
  return found;
}

// Option letters written as "(B)", or as a bare "B" / "B)" / "B." token; bare letters count only in an explicit
// final statement, or when the whole answer is that token (a capital "A" in prose is usually an article).
std::string pick_option(const AnswerSpan& span) {
  const std::string_view text = span.text;
  std::string found;
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] == '(' && std::isupper(static_cast<unsigned char>(text[i + 1])) && text[i + 2] == ')') {
      if (!span.whole_region) return std::string(1, text[i + 1]);
      found = std::string(1, text[i + 1]);
    }
  }
  if (!found.empty()) return found;
  const std::string_view t = trim(text);
  auto bare_letter_at = [&](std::size_t i) {
    const bool before_ok = i == 0 || !std::isalnum(static_cast<unsigned char>(t[i - 1]));
    const bool after_ok = i + 1 == t.size() || t[i + 1] == ')' || t[i + 1] == '.' || t[i + 1] == ':' ||
                          t[i + 1] == ',' || t[i + 1] == ' ' || t[i + 1] == '\n';
    return std::isupper(static_cast<unsigned char>(t[i])) != 0 && before_ok && after_ok;
  };
  if (span.whole_region) {
    // Only an answer that is nothing but the letter ("B", "B)", "B. text").
    if (!t.empty() && bare_letter_at(0) && (t.size() == 1 || t[1] != ' ')) return std::string(1, t[0]);
    return "";
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (bare_letter_at(i)) {
      // "A" followed by a lower-case word is the article, not an option.
      if (t[i] == 'A' && i + 2 < t.size() && t[i + 1] == ' ' && std::islower(static_cast<unsigned char>(t[i + 2])))
        continue;
      return std::string(1, t[i]);
    }
  }
  return "";
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

// "(B) some text" lines after "Options:" in the BBH input, as (letter, normalized text).
std::vector<std::pair<char, std::string>> options_of(const nlohmann::json& problem) {
  std::vector<std::pair<char, std::string>> options;
  if (!problem.is_object() || !problem.contains("input") || !problem["input"].is_string()) return options;
  const std::string input = problem["input"].get<std::string>();
  std::size_t pos = 0;
  while (pos < input.size()) {
    const std::size_t end = std::min(input.find('\n', pos), input.size());
    const std::string_view line = trim(std::string_view(input).substr(pos, end - pos));
    if (line.size() > 3 && line[0] == '(' && std::isupper(static_cast<unsigned char>(line[1])) && line[2] == ')') {
      std::vector<std::string> words = words_of(line.substr(3));
      const std::string joined = join(words);
      options.emplace_back(line[1], joined);
    }
    pos = end + 1;
  }
  return options;
}


constexpr std::array<std::string_view, 21> kNumberWords = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};

// A comma between digit groups ("1,234"), not a list separator ("1,2" or "1, 2").
bool thousands_comma(std::string_view text, std::size_t i) {
  if (text[i] != ',' || i == 0 || i + 3 >= text.size()) return false;
  for (std::size_t k = 1; k <= 3; ++k) {
    if (!std::isdigit(static_cast<unsigned char>(text[i + k]))) return false;
  }
  return i + 4 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 4]));
}

// Integers (with optional sign, thousands commas and a ".0" tail) or number words up to twenty.
std::vector<std::string> numbers_of(std::string_view text) {
  std::vector<std::string> numbers;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isdigit(static_cast<unsigned char>(text[i])) &&
        (i == 0 || !std::isalpha(static_cast<unsigned char>(text[i - 1])))) {
      const bool negative = i > 0 && (text[i - 1] == '-' || text.substr(0, i).ends_with("\u2212"));
      std::string digits;
      while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || thousands_comma(text, i))) {
        if (text[i] != ',') digits.push_back(text[i]);
        ++i;
      }
      bool fractional = false;
      if (i + 1 < text.size() && text[i] == '.' && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
        std::size_t j = i + 1;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) fractional |= text[j++] != '0';
        i = j;
      }
      if (fractional) continue;  // not an integer answer
      const std::size_t first = digits.find_first_not_of('0');
      digits = first == std::string::npos ? "0" : digits.substr(first);
      numbers.push_back(negative && digits != "0" ? "-" + digits : digits);
      continue;
    }
    ++i;
  }
  if (!numbers.empty()) return numbers;
  for (const std::string& word : words_of(text)) {
    for (std::size_t n = 0; n < kNumberWords.size(); ++n) {
      if (word == kNumberWords[n]) numbers.push_back(std::to_string(n));
    }
  }
  return numbers;
}

std::string brackets_of(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '<' || c == '>') {
      if (!out.empty()) out.push_back(' ');
      out.push_back(c);
    }
  }
  return out;
}

// The last line of `text` that holds something (answers without a final statement usually end the output).
std::string_view last_line(std::string_view text) {
  text = trim(text);
  const std::size_t newline = text.rfind('\n');
  return newline == std::string_view::npos ? text : trim(text.substr(newline + 1));
}

}  // namespace

AnswerKind detect_kind(std::string_view gold_text) {
  const std::string_view gold = trim(gold_text);
  if (gold.size() == 3 && gold[0] == '(' && std::isupper(static_cast<unsigned char>(gold[1])) && gold[2] == ')') {
    return AnswerKind::kOption;
  }
  const std::string low = lower(gold);
  if (low == "true" || low == "false") return AnswerKind::kTrueFalse;
  if (low == "yes" || low == "no") return AnswerKind::kYesNo;
  if (low == "valid" || low == "invalid") return AnswerKind::kValidity;
  const std::size_t digits_from = !low.empty() && low[0] == '-' ? 1 : 0;
  if (low.size() > digits_from && low.find_first_not_of("0123456789", digits_from) == std::string::npos) {
    return AnswerKind::kNumber;
  }
  if (!low.empty() && low.find_first_not_of(")]}> ") == std::string::npos) return AnswerKind::kDyck;
  return AnswerKind::kWords;
}

std::string_view kind_name(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::kOption: return "option";
    case AnswerKind::kTrueFalse: return "true/false";
    case AnswerKind::kYesNo: return "yes/no";
    case AnswerKind::kValidity: return "valid/invalid";
    case AnswerKind::kNumber: return "number";
    case AnswerKind::kDyck: return "dyck";
    case AnswerKind::kWords: return "words";
  }
  return "?";
}

std::string normalize_gold(AnswerKind kind, std::string_view gold_text) {
  const std::string_view gold = trim(gold_text);
  switch (kind) {
    case AnswerKind::kOption: return std::string(1, gold[1]);
    case AnswerKind::kTrueFalse:
    case AnswerKind::kYesNo:
    case AnswerKind::kValidity: return lower(gold);
    case AnswerKind::kNumber: {
      const std::vector<std::string> numbers = numbers_of(gold);
      return numbers.empty() ? std::string(gold) : numbers.front();
    }
    case AnswerKind::kDyck: return brackets_of(gold);
    case AnswerKind::kWords: return join(words_of(gold));
  }
  return std::string(gold);
}

std::string read_answer(AnswerKind kind, const AnswerSpan& span, const nlohmann::json& problem) {
  switch (kind) {
    case AnswerKind::kOption: {
      std::string letter = pick_option(span);
      if (!letter.empty()) return letter;
      // The option's text instead of its letter: accepted only when it is exactly one option's whole text.
      std::vector<std::string> words = words_of(span.whole_region ? last_line(span.text) : std::string_view(span.text));
      const std::string said = join(words);
      for (const auto& [option, text] : options_of(problem)) {
        if (!said.empty() && said == text) return std::string(1, option);
      }
      return "";
    }
    case AnswerKind::kTrueFalse: return pick_word(span, {"true", "false"});
    case AnswerKind::kYesNo: return pick_word(span, {"yes", "no"});
    case AnswerKind::kValidity: return pick_word(span, {"valid", "invalid"});
    case AnswerKind::kNumber: {
      const std::vector<std::string> numbers = numbers_of(span.text);
      if (numbers.empty()) return "";
      return span.whole_region ? numbers.back() : numbers.front();
    }
    case AnswerKind::kDyck: {
      const std::string said = brackets_of(span.whole_region ? last_line(span.text) : std::string_view(span.text));
      if (said.empty()) return "";
      // A model may repeat the whole sequence; then what follows the input's brackets is its answer.
      if (problem.is_object() && problem.contains("input") && problem["input"].is_string()) {
        std::string input = problem["input"].get<std::string>();
        const std::size_t colon = input.rfind("Input:");
        const std::string sequence = brackets_of(colon == std::string::npos ? input : input.substr(colon));
        if (!sequence.empty() && said.size() > sequence.size() && said.compare(0, sequence.size(), sequence) == 0) {
          return std::string(trim(std::string_view(said).substr(sequence.size())));
        }
      }
      return said;
    }
    case AnswerKind::kWords:
      return join(words_of(span.whole_region ? last_line(span.text) : std::string_view(span.text)));
  }
  return "";
}

}  // namespace r1eval::graders::logic
