// Extractors and policies. All scans are linear in the completion length.
#include "graders/math/extract.h"

#include <cctype>
#include <utility>
#include <stdexcept>

#include "graders/math/text_scan.h"

namespace r1eval::graders::math {
namespace {

// Last position of `needle` in `haystack`, compared ASCII case-insensitively; npos when absent.
std::size_t rfind_nocase(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return std::string_view::npos;
  for (std::size_t pos = haystack.size() - needle.size() + 1; pos-- > 0;) {
    bool match = true;
    for (std::size_t k = 0; k < needle.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(haystack[pos + k])) !=
          std::tolower(static_cast<unsigned char>(needle[k]))) {
        match = false;
        break;
      }
    }
    if (match) return pos;
  }
  return std::string_view::npos;
}

// The argument of a \boxed-like command starting at `pos` (just past its name).
std::optional<std::string> boxed_argument(std::string_view text, std::size_t pos) {
  if (pos < text.size() && text[pos] == '{') {
    const std::size_t close = match_brace(text, pos);
    if (close == std::string_view::npos) return std::nullopt;
    return trim(text.substr(pos + 1, close - pos - 2));
  }
  // "\boxed 5": the next space-delimited token.
  if (pos >= text.size() || !is_space(text[pos])) return std::nullopt;
  while (pos < text.size() && is_space(text[pos])) ++pos;
  std::size_t end = pos;
  while (end < text.size() && !is_space(text[end]) && text[end] != '$') ++end;
  if (end == pos) return std::nullopt;
  return std::string(text.substr(pos, end - pos));
}

// Strips what may separate boxes of one answer list: spaces, '$', ',', ';', "\\quad", "and", "or".
std::string_view strip_box_separators(std::string_view text) {
  while (true) {
    const std::size_t before = text.size();
    while (!text.empty() && (is_space(text.back()) || text.back() == '$' || text.back() == ',' ||
                             text.back() == ';')) {
      text.remove_suffix(1);
    }
    for (std::string_view word : {std::string_view("\\quad"), std::string_view("and"), std::string_view("or")}) {
      if (text.size() > word.size() && text.substr(text.size() - word.size()) == word &&
          !std::isalpha(static_cast<unsigned char>(text[text.size() - word.size() - 1]))) {
        text.remove_suffix(word.size());
      }
    }
    if (text.size() == before) return text;
  }
}

// "the solutions are $\\boxed{-2}$ and $\\boxed{1}$": boxes separated only by separators form one list answer.
std::string with_adjacent_boxes(std::string_view before, std::string answer) {
  for (int count = 0; count < 16; ++count) {
    before = strip_box_separators(before);
    if (before.empty() || before.back() != '}') break;
    const std::size_t start = before.rfind("\\boxed{");
    if (start == std::string_view::npos || match_brace(before, start + 6) != before.size()) break;
    answer = trim(before.substr(start + 7, before.size() - start - 8)) + ", " + answer;
    before = before.substr(0, start);
  }
  return answer;
}

const std::vector<Extractor>& preset(std::string_view name) {
  static const std::vector<Extractor> kMath = {Extractor::kBoxed, Extractor::kAnswerIs};
  static const std::vector<Extractor> kBoxedOnly = {Extractor::kBoxed};
  static const std::vector<Extractor> kGsm8k = {Extractor::kHashes, Extractor::kBoxed, Extractor::kAnswerIs,
                                                Extractor::kLastNumber};
  static const std::vector<Extractor> kR1Zero = {Extractor::kAnswerTag};
  static const std::vector<Extractor> kAnswerIs = {Extractor::kAnswerIs};
  static const std::vector<Extractor> kLastNumber = {Extractor::kLastNumber};
  static const std::vector<Extractor> kNone;
  if (name == "math") return kMath;
  if (name == "boxed") return kBoxedOnly;
  if (name == "gsm8k") return kGsm8k;
  if (name == "r1zero") return kR1Zero;
  if (name == "answer_is") return kAnswerIs;
  if (name == "last_number") return kLastNumber;
  return kNone;
}

std::optional<Extractor> extractor_from_name(std::string_view name) {
  if (name == "boxed") return Extractor::kBoxed;
  if (name == "hashes") return Extractor::kHashes;
  if (name == "answer_is") return Extractor::kAnswerIs;
  if (name == "answer_tag") return Extractor::kAnswerTag;
  if (name == "last_number") return Extractor::kLastNumber;
  return std::nullopt;
}

std::optional<std::string> run_extractor(Extractor extractor, std::string_view text) {
  switch (extractor) {
    case Extractor::kBoxed: return extract_last_boxed(text);
    case Extractor::kHashes: return extract_hashes(text);
    case Extractor::kAnswerIs: return extract_answer_is(text);
    case Extractor::kAnswerTag: return extract_answer_tag(text);
    case Extractor::kLastNumber: return extract_last_number(text);
  }
  return std::nullopt;
}

std::optional<Extraction> extract_from(std::string_view text, const AnswerPolicy& policy) {
  for (Extractor extractor : policy.extractors) {
    std::optional<std::string> answer = run_extractor(extractor, text);
    if (answer && !answer->empty()) return Extraction{std::move(*answer), extractor};
  }
  return std::nullopt;
}

}  // namespace

std::string_view extractor_name(Extractor extractor) {
  switch (extractor) {
    case Extractor::kBoxed: return "boxed";
    case Extractor::kHashes: return "hashes";
    case Extractor::kAnswerIs: return "answer_is";
    case Extractor::kAnswerTag: return "answer_tag";
    case Extractor::kLastNumber: return "last_number";
  }
  return "unknown";
}

AnswerPolicy policy_from_problem(const nlohmann::json& problem) {
  AnswerPolicy policy{"math", preset("math")};
  if (problem.is_null()) return policy;
  if (!problem.is_object()) throw std::invalid_argument("the problem record must be a JSON object or null");
  if (const auto it = problem.find("answer_policy"); it != problem.end()) {
    if (it->is_string()) {
      const std::string name = it->get<std::string>();
      if (preset(name).empty()) {
        throw std::invalid_argument("unknown answer_policy '" + name +
                                    "' (expected math, boxed, gsm8k, r1zero, answer_is or last_number)");
      }
      policy = {name, preset(name)};
    } else if (it->is_array() && !it->empty()) {
      policy = {"custom", {}};
      for (const auto& item : *it) {
        const std::optional<Extractor> extractor =
            item.is_string() ? extractor_from_name(item.get<std::string>()) : std::nullopt;
        if (!extractor) {
          throw std::invalid_argument("unknown extractor " + item.dump() +
                                      " in answer_policy (expected boxed, hashes, answer_is, answer_tag or "
                                      "last_number)");
        }
        policy.extractors.push_back(*extractor);
      }
    } else {
      throw std::invalid_argument("answer_policy must be a preset name or a non-empty array of extractor names");
    }
  }
  if (const auto it = problem.find("last_number_fallback"); it != problem.end()) {
    if (!it->is_boolean()) throw std::invalid_argument("last_number_fallback must be true or false");
    std::vector<Extractor> kept;
    for (Extractor extractor : policy.extractors) {
      if (extractor != Extractor::kLastNumber) kept.push_back(extractor);
    }
    if (it->get<bool>()) kept.push_back(Extractor::kLastNumber);
    policy.extractors = std::move(kept);
  }
  return policy;
}

std::optional<std::string> extract_last_boxed(std::string_view text) {
  // Walk back over \boxed / \fbox occurrences: a truncated last one falls back to the one before.
  std::size_t search_end = text.size();
  while (search_end > 0) {
    const std::size_t boxed = text.substr(0, search_end).rfind("\\boxed");
    const std::size_t fbox = text.substr(0, search_end).rfind("\\fbox");
    std::size_t pos = std::string_view::npos;
    std::size_t name_length = 0;
    if (boxed != std::string_view::npos && (fbox == std::string_view::npos || boxed > fbox)) {
      pos = boxed;
      name_length = 6;
    } else if (fbox != std::string_view::npos) {
      pos = fbox;
      name_length = 5;
    }
    if (pos == std::string_view::npos) return std::nullopt;
    if (std::optional<std::string> argument = boxed_argument(text, pos + name_length)) {
      return with_adjacent_boxes(text.substr(0, pos), std::move(*argument));
    }
    search_end = pos;
  }
  return std::nullopt;
}

std::optional<std::string> extract_hashes(std::string_view text) {
  const std::size_t pos = text.rfind("####");
  if (pos == std::string_view::npos) return std::nullopt;
  std::size_t begin = pos + 4;
  std::size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  std::string answer = trim(text.substr(begin, end - begin));
  return answer.empty() ? std::nullopt : std::optional<std::string>(answer);
}

std::optional<std::string> extract_answer_is(std::string_view text) {
  std::size_t best = std::string_view::npos;
  std::size_t best_end = 0;
  for (std::string_view phrase : {std::string_view("answer is"), std::string_view("answer:")}) {
    const std::size_t pos = rfind_nocase(text, phrase);
    if (pos != std::string_view::npos && (best == std::string_view::npos || pos > best)) {
      best = pos;
      best_end = pos + phrase.size();
    }
  }
  if (best == std::string_view::npos) return std::nullopt;
  std::size_t end = text.find('\n', best_end);
  if (end == std::string_view::npos) end = text.size();
  std::string_view rest = text.substr(best_end, end - best_end);
  std::string answer = trim(rest);
  while (!answer.empty() && (answer.front() == ':' || answer.front() == '*')) answer = trim(answer.substr(1));
  // A math span holds the answer: "is $\frac{1}{2}$."
  if (const std::size_t open = answer.find('$'); open != std::string::npos) {
    std::size_t content = open + 1;
    while (content < answer.size() && answer[content] == '$') ++content;
    const std::size_t close = answer.find('$', content);
    if (close != std::string::npos) answer = trim(std::string_view(answer).substr(content, close - content));
  } else if (const std::size_t stop = answer.find(". "); stop != std::string::npos) {
    answer.erase(stop);
  }
  while (!answer.empty() && (answer.back() == '.' || answer.back() == '*')) answer.pop_back();
  answer = trim(answer);
  return answer.empty() ? std::nullopt : std::optional<std::string>(answer);
}

std::optional<std::string> extract_answer_tag(std::string_view text) {
  const std::size_t open = text.rfind("<answer>");
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t begin = open + 8;
  const std::size_t close = text.find("</answer>", begin);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view content = text.substr(begin, close - begin);
  if (std::optional<std::string> boxed = extract_last_boxed(content)) return boxed;
  std::string answer = trim(content);
  return answer.empty() ? std::nullopt : std::optional<std::string>(answer);
}

std::optional<std::string> extract_last_number(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0 && !is_digit(text[end - 1])) --end;
  if (end == 0) return std::nullopt;
  std::size_t begin = end;
  // Digits, with thousands commas ("1,234") and one decimal point.
  while (begin > 0) {
    const char c = text[begin - 1];
    if (is_digit(c)) {
      --begin;
    } else if ((c == ',' || c == '.') && begin >= 2 && is_digit(text[begin - 2])) {
      --begin;
    } else {
      break;
    }
  }
  if (begin > 0 && text[begin - 1] == '-') --begin;
  return std::string(text.substr(begin, end - begin));
}

std::optional<Extraction> extract_answer(std::string_view completion, const AnswerPolicy& policy) {
  const std::size_t think_end = completion.rfind("</think>");
  if (think_end != std::string_view::npos) {
    if (std::optional<Extraction> found = extract_from(completion.substr(think_end + 8), policy)) return found;
  }
  return extract_from(completion, policy);
}

}  // namespace r1eval::graders::math
