#include "graders/code/code_extraction.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "graders/format/reasoning_parts.h"

namespace r1eval::graders::code {
namespace {

struct Block {
  std::string_view language;  // lower-cased below when compared
  std::string_view body;
};

std::string_view strip_left(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return line;
}

std::size_t backticks(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == '`') ++n;
  return n;
}

// All fenced blocks of `text`; an unclosed last block runs to the end (outputs cut at the token limit).
std::vector<Block> fenced_blocks(std::string_view text) {
  std::vector<Block> blocks;
  std::size_t pos = 0;
  bool inside = false;
  std::size_t fence_length = 0;
  std::size_t body_start = 0;
  std::string_view language;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view stripped = strip_left(line);
    const std::size_t ticks = backticks(stripped);
    if (!inside && ticks >= 3) {
      inside = true;
      fence_length = ticks;
      std::string_view info = format::trim(stripped.substr(ticks));
      language = info.substr(0, std::min(info.find_first_of(" \t{"), info.size()));
      body_start = std::min(end + 1, text.size());
    } else if (inside && ticks >= fence_length && format::trim(stripped.substr(ticks)).empty()) {
      inside = false;
      blocks.push_back({language, text.substr(body_start, pos - body_start)});
    }
    if (end == text.size()) break;
    pos = end + 1;
  }
  if (inside) blocks.push_back({language, text.substr(body_start)});
  return blocks;
}

bool is_python(std::string_view language) {
  std::string lower(language);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "python" || lower == "py" || lower == "python3" || lower == "py3";
}

}  // namespace

ExtractedCode extract_code_from_answer(std::string_view answer) {
  const std::vector<Block> blocks = fenced_blocks(answer);
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
    if (is_python(it->language)) return {std::string(it->body), "python block"};
  }
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
    if (it->language.empty()) return {std::string(it->body), "untagged block"};
  }
  // Keep the first line's indentation: an answer may be a bare function body.
  std::string_view whole = answer;
  while (true) {
    const std::size_t newline = whole.find('\n');
    if (newline == std::string_view::npos || !format::trim(whole.substr(0, newline)).empty()) break;
    whole.remove_prefix(newline + 1);
  }
  while (!whole.empty() && std::isspace(static_cast<unsigned char>(whole.back()))) whole.remove_suffix(1);
  if (format::trim(whole).empty() || !blocks.empty()) return {"", "none"};
  return {std::string(whole), "whole answer"};
}

ExtractedCode extract_code(std::string_view completion) {
  return extract_code_from_answer(format::split_reasoning(completion).answer);
}

}  // namespace r1eval::graders::code
