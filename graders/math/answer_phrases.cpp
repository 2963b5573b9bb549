// Finds the last announcing phrase by walking back over "answer" / "答案", then reads the sentence after it.
#include "graders/math/answer_phrases.h"

#include <cctype>
#include <vector>

#include "graders/math/extract.h"
#include "graders/math/math_spans.h"
#include "graders/math/text_scan.h"

namespace r1eval::graders::math {
namespace {

constexpr std::string_view kChineseAnswer = "\xe7\xad\x94\xe6\xa1\x88";  // 答案 (also ends 最终答案)
constexpr std::string_view kChineseIs = "\xe6\x98\xaf";                  // 是
constexpr std::string_view kChineseFor = "\xe4\xb8\xba";                 // 为
constexpr std::string_view kFullWidthColon = "\xef\xbc\x9a";             // ：
constexpr std::string_view kChineseStop = "\xe3\x80\x82";                // 。

bool starts_with_nocase(std::string_view text, std::size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(text[pos + k])) != word[k]) return false;
  }
  return true;
}

std::size_t skip_spaces(std::string_view text, std::size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  return pos;
}

// Only markdown decoration ('*', '#', '>') and spaces stand between the line start and `pos`. The walk back is
// bounded so that a line of many "answer"s stays linear.
bool starts_line(std::string_view text, std::size_t pos) {
  for (int steps = 0; pos > 0 && text[pos - 1] != '\n'; ++steps, --pos) {
    const char c = text[pos - 1];
    if (steps == 16 || (c != '*' && c != '#' && c != '>' && !is_space(c))) return false;
  }
  return true;
}

// Where the announced answer starts when the "answer" at `pos` announces one; npos when it is an ordinary use
// of the word ("check the answer again").
std::size_t english_phrase_end(std::string_view text, std::size_t pos) {
  const bool word_start = pos == 0 || !is_alpha(text[pos - 1]);
  if (!word_start) return std::string_view::npos;
  std::size_t end = pos + 6;
  const bool plural = end < text.size() && (text[end] == 's' || text[end] == 'S');
  if (plural) ++end;
  if (end < text.size() && is_alpha(text[end])) return std::string_view::npos;  // "answered"
  const bool final_answer = pos >= 6 && starts_with_nocase(text, pos - 6, "final ");
  std::size_t after = skip_spaces(text, end);
  while (after < text.size() && text[after] == '*') after = skip_spaces(text, after + 1);
  for (std::string_view verb : {std::string_view("is"), std::string_view("are")}) {
    if (starts_with_nocase(text, after, verb) &&
        (after + verb.size() == text.size() || !is_alpha(text[after + verb.size()]))) {
      return after + verb.size();
    }
  }
  if (after < text.size() && text[after] == ':') return after + 1;
  if (final_answer || starts_line(text, pos)) return end;
  return std::string_view::npos;
}

// Start of the text announced by the last phrase; npos when there is none.
std::size_t last_phrase_end(std::string_view text) {
  std::size_t english = std::string_view::npos;
  for (std::size_t pos = text.size(); pos-- > 0;) {
    if (!starts_with_nocase(text, pos, "answer")) continue;
    const std::size_t end = english_phrase_end(text, pos);
    if (end != std::string_view::npos) {
      english = end;
      break;
    }
  }
  const std::size_t chinese = text.rfind(kChineseAnswer);
  if (chinese != std::string_view::npos && (english == std::string_view::npos || chinese > english)) {
    return chinese + kChineseAnswer.size();
  }
  return english;
}

// Skips what joins a phrase to its answer: spaces, markdown stars, colons, "是", "为", "=" and, while the line
// holds nothing else, the line break ("**Final Answer**\n$5$").
std::size_t skip_joiners(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    const char c = text[pos];
    if (is_space(c) || c == '*' || c == ':' || c == '=') {
      ++pos;
    } else if (text.substr(pos, 3) == kChineseIs || text.substr(pos, 3) == kChineseFor ||
               text.substr(pos, 3) == kFullWidthColon) {
      pos += 3;
    } else {
      return pos;
    }
  }
  return pos;
}

// End of the sentence or line starting at `begin`, stepping over math spans (they may hold dots and breaks).
std::size_t sentence_end(std::string_view text, std::size_t begin, const std::vector<MathSpan>& spans) {
  std::size_t span = 0;
  while (span < spans.size() && spans[span].begin < begin) ++span;
  std::size_t i = begin;
  while (i < text.size()) {
    if (span < spans.size() && spans[span].begin == i) {
      i = spans[span++].end;
      continue;
    }
    const char c = text[i];
    if (c == '\n') return i;
    if (c == '.' && (i + 1 == text.size() || is_space(text[i + 1]))) return i;
    if (text.substr(i, 3) == kChineseStop) return i;
    ++i;
  }
  return text.size();
}

}  // namespace

std::optional<std::string> extract_answer_is(std::string_view text) {
  const std::size_t phrase_end = last_phrase_end(text);
  if (phrase_end == std::string_view::npos) return std::nullopt;
  const std::size_t begin = skip_joiners(text, phrase_end);
  const std::string_view rest = text.substr(begin);
  const std::vector<MathSpan> spans = find_math_spans(rest);
  const std::string_view sentence = rest.substr(0, sentence_end(rest, 0, spans));
  const MathSpan* last = nullptr;
  for (const MathSpan& span : spans) {
    if (span.end <= sentence.size()) last = &span;
  }
  if (last != nullptr) {
    // "The largest $n$ is 34": a number after the last span is the answer, the span only names it.
    if (std::optional<std::string> number = extract_last_number(sentence.substr(last->end))) return number;
    std::string answer = trim(last->content);
    return answer.empty() ? std::nullopt : std::optional<std::string>(answer);
  }
  std::string answer = trim(sentence);
  while (!answer.empty() && (answer.back() == '.' || answer.back() == '*')) answer.pop_back();
  answer = trim(answer);
  if (answer.empty() || is_prose(answer)) return std::nullopt;
  return answer;
}

}  // namespace r1eval::graders::math
