#include "graders/logic/answer_span.h"

#include <array>

namespace r1eval::graders::logic {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool last_boxed(std::string_view text, std::string* content) {
  std::size_t best = std::string_view::npos;
  std::size_t best_length = 0;
  for (std::string_view command : {std::string_view("\\boxed"), std::string_view("\\fbox")}) {
    const std::size_t at = text.rfind(command);
    if (at != std::string_view::npos && (best == std::string_view::npos || at > best)) {
      best = at;
      best_length = command.size();
    }
  }
  if (best == std::string_view::npos) return false;
  std::size_t pos = best + best_length;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos >= text.size() || text[pos] != '{') return false;
  int depth = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) {
      *content = std::string(text.substr(pos + 1, i - pos - 1));
      return true;
    }
  }
  return false;
}

std::string strip_markup(std::string_view text) {
  constexpr std::array<std::string_view, 6> kWrappers = {"\\text{", "\\textbf{", "\\mathrm{", "\\mathbf{", "\\textit{",
                                                         "\\texttt{"};
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool unwrapped = false;
    for (std::string_view wrapper : kWrappers) {
      if (text.substr(i, wrapper.size()) != wrapper) continue;
      // Keep what is inside the wrapper's own braces; other braces stay (Dyck answers are made of them).
      int depth = 1;
      std::size_t j = i + wrapper.size();
      for (; j < text.size() && depth > 0; ++j) depth += text[j] == '{' ? 1 : text[j] == '}' ? -1 : 0;
      const std::size_t inner_end = depth == 0 ? j - 1 : j;
      out += strip_markup(text.substr(i + wrapper.size(), inner_end - (i + wrapper.size())));
      i = j;
      unwrapped = true;
      break;
    }
    if (unwrapped) continue;
    const char c = text[i++];
    if (c != '*' && c != '$' && c != '`') out.push_back(c);
  }
  return out;
}

AnswerSpan final_answer_span(std::string_view answer_part) {
  AnswerSpan span;
  std::string boxed;
  if (last_boxed(answer_part, &boxed)) {
    span.text = strip_markup(boxed);
    span.how = "boxed";
    return span;
  }
  // The last "answer is" / "answer:" (any case); the span runs to the end of that line.
  const std::string low = lower(answer_part);
  std::size_t best = std::string::npos;
  std::size_t skip = 0;
  for (std::string_view marker : {std::string_view("answer is"), std::string_view("answer:"),
                                  std::string_view("answer**:"), std::string_view("answer**")}) {
    const std::size_t at = low.rfind(marker);
    if (at != std::string::npos && (best == std::string::npos || at > best)) {
      best = at;
      skip = marker.size();
    }
  }
  if (best != std::string::npos) {
    std::size_t start = best + skip;
    // "Final Answer:\n(B)": the statement may sit on the next non-empty line.
    std::size_t end = answer_part.find('\n', start);
    std::string_view line =
        answer_part.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    while (line.find_first_not_of(" \t\r*:") == std::string_view::npos && end != std::string_view::npos) {
      start = end + 1;
      end = answer_part.find('\n', start);
      line = answer_part.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    }
    span.text = strip_markup(line);
    span.how = "answer is";
    return span;
  }
  span.text = strip_markup(answer_part);
  span.whole_region = true;
  span.how = "answer part";
  return span;
}

}  // namespace r1eval::graders::logic
