// A backend for testing the runner's bookkeeping without a model: it "answers" arith questions ("What is a + b?")
// correctly on some RNG streams and wrongly on others, one completion per advance() call, so runs can be
// interrupted between any two samples. Completions depend only on (question, stream), like the real engine's.
#pragma once

#include <algorithm>
#include <cstdio>
#include <deque>
#include <regex>
#include <stdexcept>
#include <string>

#include "evals/runner/backend.h"

namespace r1eval::evals::runner::testing {

class ScriptedBackend final : public Backend {
 public:
  nlohmann::json provenance() const override { return {{"backend", "scripted"}}; }

  void submit(const CompletionRequest& request) override {
    if (reject_every_request || request.user_message.find("reject me") != std::string::npos) {
      throw std::invalid_argument("prompt too long");
    }
    for (std::size_t i = 0; i < request.streams.size(); ++i) queue_.push_back({request, i});
    ++submitted_requests;
  }

  void advance(std::vector<Completion>& finished) override {
    if (queue_.empty()) return;
    const auto [request, sample] = queue_.front();
    queue_.pop_front();
    Completion c;
    c.request_id = request.id;
    c.sample = sample;
    const std::uint64_t stream = request.streams[sample];
    const long answer = solve(request.user_message) + (stream % 4 == 0 ? 1 : 0);  // every 4th stream is wrong
    if (stream % 7 == 0) {
      c.text = "<think> 1 + 1 = 2, 2 + 2 = 4, 4 + 4 = 8, and on";  // ran out of tokens while reasoning
      c.finish_reason = "length";
    } else {
      c.text = "<think> add the digits </think> <answer> " + std::to_string(answer) + " </answer>";
      c.finish_reason = "stop";
    }
    if (non_finite_logits) c.finish_reason = "non_finite";
    c.prompt_tokens = 97;
    c.max_new_tokens = context_budget > 0 ? std::min(request.max_new_tokens, context_budget) : request.max_new_tokens;
    c.completion_tokens = static_cast<std::int64_t>(c.text.size() / 4);
    finished.push_back(c);
  }

  bool idle() const override { return queue_.empty(); }

  int submitted_requests = 0;
  bool reject_every_request = false;  // as a backend whose context no prompt fits
  bool non_finite_logits = false;     // as a model whose logits are NaN: every sample stops "non_finite"
  std::int64_t context_budget = 0;    // when > 0, the most new tokens the "context" leaves after any prompt

 private:
  static long solve(const std::string& question) {
    static const std::regex pattern(R"(What is (\d+) ([+-]) (\d+)\?)");
    std::smatch m;
    if (!std::regex_search(question, m, pattern)) throw std::logic_error("not an arith question: " + question);
    const long a = std::stol(m[1]);
    const long b = std::stol(m[3]);
    return m[2] == "+" ? a + b : a - b;
  }

  struct Pending {
    CompletionRequest request;
    std::size_t sample;
  };
  std::deque<Pending> queue_;
};

}  // namespace r1eval::evals::runner::testing
