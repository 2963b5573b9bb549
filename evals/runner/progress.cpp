#include "evals/runner/progress.h"

#include <fmt/format.h>

namespace r1eval::evals::runner {
namespace {

using Clock = std::chrono::steady_clock;

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace

Progress::Progress(std::FILE* out, bool interactive)
    : out_(out), interactive_(interactive), start_(Clock::now()), last_print_(start_) {}

void Progress::start(std::int64_t total_samples, std::int64_t total_problems, std::int64_t done_samples,
                     std::int64_t done_problems) {
  total_samples_ = total_samples;
  total_problems_ = total_problems;
  samples_ = done_samples;
  problems_ = done_problems;
  start_ = last_print_ = Clock::now();
  if (done_samples > 0 && out_ != nullptr) {
    fmt::print(out_, "resuming: {} of {} samples already done\n", done_samples, total_samples);
  }
}

void Progress::sample_done(std::int64_t completion_tokens, bool problem_complete) {
  ++samples_;
  ++new_samples_;
  tokens_ += completion_tokens;
  if (problem_complete) ++problems_;
  maybe_print(false);
}

void Progress::backend_activity(const BackendActivity& activity) { activity_ = activity; }

std::string Progress::line() const {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const double tokens_per_s = elapsed > 0 ? static_cast<double>(tokens_) / elapsed : 0.0;
  const double samples_per_s = elapsed > 0 ? static_cast<double>(new_samples_) / elapsed : 0.0;
  std::string eta = "--";
  if (new_samples_ > 0 && samples_ < total_samples_) {
    eta = duration_text(elapsed / static_cast<double>(new_samples_) * static_cast<double>(total_samples_ - samples_));
  } else if (samples_ >= total_samples_) {
    eta = "0s";
  }
  const int width = 24;
  const int filled = total_samples_ > 0 ? static_cast<int>(width * samples_ / total_samples_) : width;
  std::string requests;
  if (activity_.in_flight > 0 || activity_.retries > 0) {
    requests = fmt::format("  in flight {}  retries {}", activity_.in_flight, activity_.retries);
  }
  return fmt::format("[{}{}] problems {}/{}  samples {}/{}  {:.2f} samples/s  {:.1f} tok/s{}  elapsed {}  ETA {}",
                     std::string(filled, '#'), std::string(width - filled, '.'), problems_, total_problems_, samples_,
                     total_samples_, samples_per_s, tokens_per_s, requests, duration_text(elapsed), eta);
}

void Progress::maybe_print(bool force) {
  if (out_ == nullptr) return;
  const auto now = Clock::now();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  if (!force && since < (interactive_ ? 0.2 : 10.0)) return;
  last_print_ = now;
  if (interactive_) {
    fmt::print(out_, "\r{}\x1b[K", line());
  } else {
    fmt::print(out_, "{}\n", line());
  }
  std::fflush(out_);
}

void Progress::finish() {
  maybe_print(true);
  if (out_ != nullptr && interactive_) std::fputc('\n', out_);
}

}  // namespace r1eval::evals::runner
