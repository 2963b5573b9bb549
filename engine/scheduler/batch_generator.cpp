#include "engine/scheduler/batch_generator.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace r1eval::engine::scheduler {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration<double>(end - start).count();
}

}  // namespace

struct BatchGenerator::Prefill {
  std::shared_ptr<const GenerationRequest> request;
  model::Sequence sequence;
  std::size_t fed = 0;  // prompt tokens already in the sequence
  Clock::time_point start;
};

struct BatchGenerator::LiveSample {
  std::shared_ptr<const GenerationRequest> request;
  std::size_t sample = 0;
  model::Sequence sequence;
  model::GenerateResult result;
  Clock::time_point decode_start;
};

BatchGenerator::BatchGenerator(model::Model& model, SchedulerOptions options)
    : model_(model), options_(options), samplers_(static_cast<std::size_t>(omp_get_max_threads())) {
  if (options_.max_sequences < 1) throw std::invalid_argument("max_sequences must be at least 1");
  if (options_.prefill_chunk < 1) throw std::invalid_argument("prefill_chunk must be at least 1");
}

BatchGenerator::~BatchGenerator() = default;

void BatchGenerator::submit(GenerationRequest request) {
  if (request.prompt.empty())
    throw std::invalid_argument("request " + std::to_string(request.id) + " has an empty prompt");
  if (request.streams.empty())
    throw std::invalid_argument("request " + std::to_string(request.id) + " asks for no samples");
  if (request.options.max_new_tokens < 1) throw std::invalid_argument("max_new_tokens must be at least 1");
  model::check_sampling_params(request.options.sampling);
  const std::int64_t vocab = model_.config().vocab_size;
  for (const std::int32_t token : request.prompt) {
    if (token < 0 || token >= vocab) {
      throw std::invalid_argument("request " + std::to_string(request.id) + " has token id " + std::to_string(token) +
                                  " outside the vocabulary of " + std::to_string(vocab));
    }
  }
  queue_.push_back(std::make_shared<const GenerationRequest>(std::move(request)));
}

bool BatchGenerator::idle() const { return queue_.empty() && !prefill_ && live_.empty(); }
std::int64_t BatchGenerator::live_samples() const { return static_cast<std::int64_t>(live_.size()); }

// Starts the next request's prefill when its samples will fit beside the live ones (or nothing else is live).
void BatchGenerator::admit() {
  if (prefill_ || queue_.empty()) return;
  const auto& next = queue_.front();
  const auto wanted = static_cast<std::int64_t>(next->streams.size());
  if (!live_.empty() && live_samples() + wanted > options_.max_sequences) return;
  prefill_ = std::make_unique<Prefill>(Prefill{next, model_.new_sequence(), 0, Clock::now()});
  queue_.pop_front();
}

bool BatchGenerator::cancel(std::uint64_t request_id) {
  const auto of_request = [request_id](const auto& r) { return r->id == request_id; };
  bool found = std::erase_if(queue_, of_request) > 0;
  if (prefill_ && prefill_->request->id == request_id) {
    prefill_.reset();
    found = true;
  }
  return std::erase_if(live_, [request_id](const LiveSample& s) { return s.request->id == request_id; }) > 0 || found;
}

void BatchGenerator::step(std::vector<FinishedSample>& finished, std::vector<DrawnToken>* drawn) {
  admit();
  if (live_.empty() && !prefill_) return;

  std::vector<model::StepItem> items;
  items.reserve(live_.size() + 1);
  for (LiveSample& s : live_) {
    items.push_back(model::StepItem{&s.sequence, std::span<const std::int32_t>(&s.result.tokens.back(), 1), false});
  }
  bool prompt_done = false;
  if (prefill_) {
    const auto& prompt = prefill_->request->prompt;
    const std::size_t count = std::min(prompt.size() - prefill_->fed, static_cast<std::size_t>(options_.prefill_chunk));
    items.push_back(model::StepItem{&prefill_->sequence,
                                    std::span<const std::int32_t>(prompt).subspan(prefill_->fed, count), false});
    prefill_->fed += count;
    prompt_done = prefill_->fed == prompt.size();
  }
  model_.step(items, step_);

  const std::size_t live_rows = live_.size();
  draw(finished, drawn, step_, live_rows);
  if (prompt_done) {
    fork_samples(finished, drawn, step_.row(step_.first_row[live_rows]), step_.vocab_size);
  }
}

// Draws the next token of every live sample from its row of the step's logits; retires the finished ones.
void BatchGenerator::draw(std::vector<FinishedSample>& finished, std::vector<DrawnToken>* drawn_tokens,
                          const model::StepResult& step, std::size_t live_rows) {
  if (live_rows == 0) return;
  const auto rows = static_cast<std::int64_t>(live_rows);
  std::vector<std::int32_t> drawn(live_rows);
  // Every draw is a pure function of (logits, seed, stream, step): drawing in parallel changes only the time.
#pragma omp parallel for schedule(dynamic, 1) if (rows > 1)
  for (std::int64_t r = 0; r < rows; ++r) {
    const LiveSample& s = live_[static_cast<std::size_t>(r)];
    const model::GenerateOptions& o = s.request->options;
    drawn[static_cast<std::size_t>(r)] = samplers_[static_cast<std::size_t>(omp_get_thread_num())].sample(
        step.row(step.first_row[static_cast<std::size_t>(r)]), model::sampleable_vocab(o, step.vocab_size), o.sampling,
        s.request->streams[s.sample], static_cast<std::uint64_t>(s.result.tokens.size()));
  }
  const auto eos = static_cast<std::int32_t>(model_.config().eos_token_id);
  const Clock::time_point now = Clock::now();
  std::vector<LiveSample> still_live;
  still_live.reserve(live_.size());
  for (std::size_t r = 0; r < live_rows; ++r) {
    LiveSample& s = live_[r];
    ++s.result.decode_tokens;  // the forward pass that produced this row
    const bool broken = drawn[r] == model::kNonFiniteLogits;
    if (!broken) {
      s.result.tokens.push_back(drawn[r]);
      if (drawn_tokens) drawn_tokens->push_back(DrawnToken{s.request->id, s.sample, drawn[r]});
    }
    const model::GenerateOptions& o = s.request->options;
    const bool stop = !broken && model::is_stop_token(drawn[r], eos, o);
    if (broken || stop || static_cast<std::int64_t>(s.result.tokens.size()) == o.max_new_tokens) {
      s.result.finish = broken ? model::FinishReason::kNonFinite
                        : stop ? model::FinishReason::kStop
                               : model::FinishReason::kLength;
      s.result.decode_seconds = seconds_between(s.decode_start, now);
      finished.push_back(FinishedSample{s.request->id, s.sample, std::move(s.result)});
    } else {
      still_live.push_back(std::move(s));
    }
  }
  live_ = std::move(still_live);
}

// The prompt is in: every sample of the request gets a copy of the prefilled sequence and draws its first token
// from the prompt's last logits row.
void BatchGenerator::fork_samples(std::vector<FinishedSample>& finished, std::vector<DrawnToken>* drawn,
                                  const float* prompt_logits, std::int64_t vocab) {
  std::unique_ptr<Prefill> prefill = std::move(prefill_);
  const GenerationRequest& request = *prefill->request;
  const Clock::time_point now = Clock::now();
  const auto n = static_cast<std::int64_t>(request.streams.size());
  std::vector<std::int32_t> first(request.streams.size());
#pragma omp parallel for schedule(dynamic, 1) if (n > 1)
  for (std::int64_t i = 0; i < n; ++i) {
    first[static_cast<std::size_t>(i)] = samplers_[static_cast<std::size_t>(omp_get_thread_num())].sample(
        prompt_logits, model::sampleable_vocab(request.options, vocab), request.options.sampling,
        request.streams[static_cast<std::size_t>(i)], 0);
  }
  const auto eos = static_cast<std::int32_t>(model_.config().eos_token_id);
  const auto prompt_tokens = static_cast<std::int64_t>(request.prompt.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    model::GenerateResult result;
    const bool broken = first[i] == model::kNonFiniteLogits;
    if (!broken) {
      result.tokens.push_back(first[i]);
      if (drawn) drawn->push_back(DrawnToken{request.id, i, first[i]});
    }
    result.prefill_tokens = prompt_tokens;
    result.prefill_seconds = seconds_between(prefill->start, now);
    const bool stop = !broken && model::is_stop_token(first[i], eos, request.options);
    if (broken || stop || request.options.max_new_tokens == 1) {
      result.finish = broken ? model::FinishReason::kNonFinite
                      : stop ? model::FinishReason::kStop
                             : model::FinishReason::kLength;
      finished.push_back(FinishedSample{request.id, i, std::move(result)});
      continue;
    }
    model::Sequence sequence = prefill->sequence;  // the shared prefill, copied for this sample
    sequence.reserve(prompt_tokens + request.options.max_new_tokens);
    live_.push_back(LiveSample{prefill->request, i, std::move(sequence), std::move(result), now});
  }
}

}  // namespace r1eval::engine::scheduler
