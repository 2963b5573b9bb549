// Extractors and policies. All scans are linear in the completion length.
#include "graders/math/extract.h"

#include <cctype>
#include <span>
#include <stdexcept>
#include <utility>

#include "graders/math/answer_phrases.h"
#include "graders/math/math_spans.h"
#include "graders/math/normalize.h"
#include "graders/math/parser.h"
#include "graders/math/text_scan.h"

namespace r1eval::graders::math {
namespace {

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

constexpr std::size_t kSeparatorWindow = 16;

// Strips what may separate boxes of one answer list: spaces, '$', ',', ';', "\\quad", "and", "or", and those
// words in \text{}.
std::string_view strip_box_separators(std::string_view text) {
  while (true) {
    const std::size_t before = text.size();
    // Only the last few characters can hold "\text{ and }": the scan stays short however long the text.
    const std::size_t tail = text.size() > kSeparatorWindow ? text.size() - kSeparatorWindow : 0;
    if (!text.empty() && text.back() == '}') {
      const std::size_t found = text.substr(tail).rfind("\\text{");
      const std::size_t open = found == std::string_view::npos ? found : tail + found;
      if (open != std::string_view::npos) {
        const std::string word = trim(text.substr(open + 6, text.size() - open - 7));
        if (word == "and" || word == "or") text = text.substr(0, open);
      }
    }
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

// Longer single lines are sentences or runaway output, not an answer written bare.
constexpr std::size_t kMaxBareLength = 200;

const std::vector<Extractor>& preset(std::string_view name) {
  static const std::vector<Extractor> kMath = {Extractor::kBoxed, Extractor::kAnswerIs};
  static const std::vector<Extractor> kAuto = {Extractor::kAnswerTag, Extractor::kBoxed,    Extractor::kHashes,
                                               Extractor::kAnswerIs,  Extractor::kLastMath, Extractor::kBare,
                                               Extractor::kLastNumber};
  static const std::vector<Extractor> kBoxedOnly = {Extractor::kBoxed};
  static const std::vector<Extractor> kGsm8k = {Extractor::kHashes, Extractor::kBoxed, Extractor::kAnswerIs,
                                                Extractor::kLastNumber};
  static const std::vector<Extractor> kR1Zero = {Extractor::kAnswerTag};
  static const std::vector<Extractor> kAnswerIs = {Extractor::kAnswerIs};
  static const std::vector<Extractor> kLastNumber = {Extractor::kLastNumber};
  static const std::vector<Extractor> kNone;
  if (name == "math") return kMath;
  if (name == "auto") return kAuto;
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
  if (name == "last_math") return Extractor::kLastMath;
  if (name == "bare") return Extractor::kBare;
  if (name == "last_number") return Extractor::kLastNumber;
  return std::nullopt;
}

std::optional<std::string> run_extractor(Extractor extractor, std::string_view text) {
  switch (extractor) {
    case Extractor::kBoxed: return extract_last_boxed(text);
    case Extractor::kHashes: return extract_hashes(text);
    case Extractor::kAnswerIs: return extract_answer_is(text);
    case Extractor::kAnswerTag: return extract_answer_tag(text);
    case Extractor::kLastMath: return extract_last_math(text);
    case Extractor::kBare: return extract_bare(text);
    case Extractor::kLastNumber: return extract_last_number(text);
  }
  return std::nullopt;
}

// The content of the last closed <answer> tag; nullopt when there is none.
std::optional<std::string_view> answer_tag_content(std::string_view text) {
  const std::size_t open = text.rfind("<answer>");
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t begin = open + 8;
  const std::size_t close = text.find("</answer>", begin);
  if (close == std::string_view::npos) return std::nullopt;
  return text.substr(begin, close - begin);
}

std::optional<Extraction> extract_from(std::string_view text, std::span<const Extractor> extractors) {
  for (std::size_t k = 0; k < extractors.size(); ++k) {
    // "<answer>The answer is 5.</answer>": the extractors after answer_tag read inside the tag.
    if (extractors[k] == Extractor::kAnswerTag && k + 1 < extractors.size()) {
      const std::optional<std::string_view> content = answer_tag_content(text);
      if (!content) continue;
      if (std::optional<Extraction> inner = extract_from(*content, extractors.subspan(k + 1))) {
        return Extraction{std::move(inner->answer), Extractor::kAnswerTag};
      }
      std::string whole = trim(*content);
      if (!whole.empty()) return Extraction{std::move(whole), Extractor::kAnswerTag};
      continue;
    }
    std::optional<std::string> answer = run_extractor(extractors[k], text);
    if (answer && !answer->empty()) return Extraction{std::move(*answer), extractors[k]};
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
    case Extractor::kLastMath: return "last_math";
    case Extractor::kBare: return "bare";
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
                                    "' (expected math, auto, boxed, gsm8k, r1zero, answer_is or last_number)");
      }
      policy = {name, preset(name)};
    } else if (it->is_array() && !it->empty()) {
      policy = {"custom", {}};
      for (const auto& item : *it) {
        const std::optional<Extractor> extractor =
            item.is_string() ? extractor_from_name(item.get<std::string>()) : std::nullopt;
        if (!extractor) {
          throw std::invalid_argument("unknown extractor " + item.dump() +
                                      " in answer_policy (expected boxed, hashes, answer_is, answer_tag, last_math, "
                                      "bare or last_number)");
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

std::optional<std::string> extract_answer_tag(std::string_view text) {
  const std::optional<std::string_view> content = answer_tag_content(text);
  if (!content) return std::nullopt;
  if (std::optional<std::string> boxed = extract_last_boxed(*content)) return boxed;
  std::string answer = trim(*content);
  return answer.empty() ? std::nullopt : std::optional<std::string>(answer);
}

std::optional<std::string> extract_last_math(std::string_view text) {
  const std::vector<MathSpan> spans = find_math_spans(text);
  for (auto span = spans.rbegin(); span != spans.rend(); ++span) {
    std::string answer = trim(span->content);
    if (!answer.empty()) return answer;
  }
  return std::nullopt;
}

std::optional<std::string> extract_bare(std::string_view text) {
  std::string answer = trim(text);
  if (answer.empty() || answer.size() > kMaxBareLength) return std::nullopt;
  if (answer.find('\n') != std::string::npos || is_prose(answer)) return std::nullopt;
  // "Total : 4,18 euros" is neither mathematics nor a word answer; its number is left to last_number.
  if (!parse_answer(normalize_answer(answer).text)) return std::nullopt;
  return answer;
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
  // "2/3": a fraction of two integers is one number.
  if (begin >= 2 && text[begin - 1] == '/' && is_digit(text[begin - 2])) {
    begin -= 2;
    while (begin > 0 && is_digit(text[begin - 1])) --begin;
  }
  if (begin > 0 && text[begin - 1] == '-') --begin;
  return std::string(text.substr(begin, end - begin));
}

std::optional<Extraction> extract_answer(std::string_view completion, const AnswerPolicy& policy) {
  const std::size_t think_end = completion.rfind("</think>");
  if (think_end != std::string_view::npos) {
    if (std::optional<Extraction> found = extract_from(completion.substr(think_end + 8), policy.extractors)) {
      return found;
    }
  }
  return extract_from(completion, policy.extractors);
}

}  // namespace r1eval::graders::math
