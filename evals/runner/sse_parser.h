// Incremental parser of a server-sent events stream (the WHATWG "event stream" format that OpenAI-compatible servers
// stream completions in). Bytes arrive in arbitrary pieces; each complete event's data is handed out whole.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace r1eval::evals::runner {

class SseParser {
 public:
  // Appends the data of every event that `bytes` completes to `events`. Blank lines end events; lines that start
  // with ':' are comments (keep-alives such as ": keep-alive" while a request waits in a queue) and are ignored, as
  // are the event, id and retry fields, which completions do not use.
  void feed(std::string_view bytes, std::vector<std::string>& events);

  // True when any byte at all has arrived (keep-alive lines included).
  bool received_anything() const { return received_anything_; }

 private:
  void line(std::string_view text, std::vector<std::string>& events);

  std::string partial_line_;
  std::string data_;
  bool has_data_ = false;
  bool received_anything_ = false;
  bool skip_lf_ = false;  // the previous piece ended with '\r', so a leading '\n' belongs to that line end
};

}  // namespace r1eval::evals::runner
