#include "evals/runner/sse_parser.h"

namespace r1eval::evals::runner {

void SseParser::feed(std::string_view bytes, std::vector<std::string>& events) {
  if (!bytes.empty()) received_anything_ = true;
  for (const char c : bytes) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') continue;
    }
    // A line ends at "\r\n", "\n" or a lone "\r" (the format allows all three).
    if (c == '\r' || c == '\n') {
      skip_lf_ = c == '\r';
      line(partial_line_, events);
      partial_line_.clear();
    } else {
      partial_line_ += c;
    }
  }
}

void SseParser::line(std::string_view text, std::vector<std::string>& events) {
  if (text.empty()) {
    if (has_data_) events.push_back(std::move(data_));
    data_.clear();
    has_data_ = false;
    return;
  }
  if (text.front() == ':') return;
  const std::size_t colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  if (field != "data") return;
  std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  // Several data lines of one event join with newlines.
  if (has_data_) data_ += '\n';
  data_ += value;
  has_data_ = true;
}

}  // namespace r1eval::evals::runner
