#include "evals/runner/openai_backend.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "common/hash.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer_config.h"
#include "evals/runner/context_overflow.h"
#include "evals/runner/openai_reply.h"
#include "evals/runner/sse_parser.h"

namespace r1eval::evals::runner {
namespace {

using Clock = std::chrono::steady_clock;

// Longest error body kept for the message; error objects are short, and a misconfigured proxy's page is not.
constexpr std::size_t kMaxErrorBody = 64 * 1024;
// advance() returns at least this often so the runner can flush results and notice an interrupt.
constexpr int kPollMilliseconds = 100;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl failed to initialize");
  });
}

// One sample's request, from its first attempt to its last.
struct Job {
  std::uint64_t request_id = 0;
  std::size_t sample = 0;
  std::string url;
  nlohmann::json body;
  std::int64_t max_tokens = 0;  // the budget sent: the request's, or less after the server named its context
  std::int64_t attempts = 0;
  Clock::time_point not_before;
};

// One attempt in flight.
struct Transfer {
  Job job;
  std::string request_text;  // the job's body as sent; libcurl reads it while the transfer runs
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  bool stream = true;
  SseParser sse;
  std::vector<std::string> events;
  OpenAiReply reply;
  bool done = false;        // "[DONE]" arrived
  std::string body;         // a whole response, or an error body
  std::string reply_error;  // set when the stream broke the API; the transfer is then aborted
  Clock::time_point started;
  Clock::time_point first_byte;
  bool any_event = false;

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
  }
};

long http_status(CURL* easy) {
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (!t.stream || http_status(t.easy) != 200) {
    if (t.body.size() < kMaxErrorBody || http_status(t.easy) == 200) t.body.append(data, n);
    return n;
  }
  t.events.clear();
  t.sse.feed(std::string_view(data, n), t.events);
  for (const std::string& event : t.events) {
    if (!t.any_event) {
      t.any_event = true;
      t.first_byte = Clock::now();
    }
    if (event == "[DONE]") {
      t.done = true;
      continue;
    }
    try {
      t.reply.add_chunk(event);
    } catch (const ReplyError& e) {
      t.reply_error = e.what();
      return 0;  // aborts the transfer; the attempt is retried
    }
  }
  return n;
}

bool retryable_status(long status) { return status == 408 || status == 409 || status == 429 || status >= 500; }

}  // namespace

std::int64_t endpoint_seed(std::uint64_t stream, std::uint64_t run_seed) {
  return static_cast<std::int64_t>(stream ^ common::splitmix64_mix(run_seed));
}

std::uint64_t sample_stream_of_endpoint_seed(std::int64_t seed, std::uint64_t run_seed) {
  return static_cast<std::uint64_t>(seed) ^ common::splitmix64_mix(run_seed);
}

struct OpenAiBackend::Impl {
  OpenAiBackendOptions options;
  CURLM* multi = nullptr;
  std::deque<Job> waiting;  // not yet sent, or waiting for a retry
  std::list<std::unique_ptr<Transfer>> in_flight;
  std::mt19937_64 jitter{std::random_device{}()};
  std::optional<engine::tokenizer::ChatTemplate> r1_zero;
  std::int64_t retries = 0;

  std::string url(const std::string& api) const {
    std::string base = options.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + (api == "chat" ? "/chat/completions" : "/completions");
  }

  void start(Job job) {
    auto t = std::make_unique<Transfer>();
    t->job = std::move(job);
    t->stream = options.stream;
    t->easy = curl_easy_init();
    if (t->easy == nullptr) throw std::runtime_error("libcurl could not create a request handle");
    t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
    if (options.stream) t->headers = curl_slist_append(t->headers, "Accept: text/event-stream");
    if (!options.api_key.empty()) {
      t->headers = curl_slist_append(t->headers, ("Authorization: Bearer " + options.api_key).c_str());
    }
    CURL* e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, t->job.url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    t->request_text = t->job.body.dump();
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->request_text.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->request_text.size()));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_seconds * 1000));
    // An idle timeout, not a total one: a long reasoning streams for many minutes, but a stalled connection (or a
    // queue that stopped sending keep-alives) shows as under one byte per second for the whole window.
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, std::max(1L, static_cast<long>(options.idle_timeout_seconds)));
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    t->started = Clock::now();
    if (curl_multi_add_handle(multi, e) != CURLM_OK) throw std::runtime_error("libcurl refused a request handle");
    in_flight.push_back(std::move(t));
  }

  void start_ready() {
    const auto now = Clock::now();
    for (auto it = waiting.begin();
         it != waiting.end() && static_cast<std::int64_t>(in_flight.size()) < options.concurrency;) {
      if (it->not_before <= now) {
        start(std::move(*it));
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
  }

  // Gives the sample up: an error Completion, which the runner neither grades nor stores.
  static void fail(const Job& job, const std::string& error, std::vector<Completion>& finished) {
    Completion c;
    c.request_id = job.request_id;
    c.sample = job.sample;
    c.finish_reason = "error";
    c.error = fmt::format("{} (after {} attempt{})", error, job.attempts, job.attempts == 1 ? "" : "s");
    finished.push_back(std::move(c));
  }

  // Schedules another attempt, or gives the sample up when its retries are spent.
  void retry_or_fail(Job job, const std::string& error, double retry_after_seconds, std::vector<Completion>& finished) {
    if (job.attempts > options.max_retries) return fail(job, error, finished);
    ++retries;
    // Exponential backoff with jitter (half to all of the delay), so that clients rejected together do not return
    // together; the server's Retry-After is a floor.
    const double exponential =
        std::min(options.backoff_cap_seconds,
                 options.backoff_seconds * static_cast<double>(1LL << std::min<std::int64_t>(job.attempts - 1, 30)));
    const double delay =
        std::max(retry_after_seconds, exponential * std::uniform_real_distribution<double>(0.5, 1.0)(jitter));
    job.not_before = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(delay));
    waiting.push_back(std::move(job));
  }

  // The server refused the request as longer than its context. The embedded engine's rule applies: a budget larger
  // than what the context leaves after the prompt is clamped to it (the completion records the budget it had), and
  // a prompt that leaves nothing is not generated. A clamp is not a failed attempt; the budget only ever shrinks, so
  // this ends.
  void fit_context(Job job, const ContextOverflow& overflow, std::string message, std::vector<Completion>& finished) {
    const std::int64_t room = overflow.context_tokens - overflow.prompt_tokens;
    if (room < 1) {
      return fail(job,
                  fmt::format("the prompt ({} tokens) does not fit the server's context of {} tokens",
                              overflow.prompt_tokens, overflow.context_tokens),
                  finished);
    }
    if (room >= job.max_tokens) return fail(job, message, finished);  // the message's numbers do not explain it
    job.max_tokens = room;
    job.body["max_tokens"] = room;
    if (job.body.contains("max_completion_tokens")) job.body["max_completion_tokens"] = room;
    --job.attempts;
    job.not_before = Clock::now();
    waiting.push_front(std::move(job));
  }

  void finish(Transfer& t, CURLcode result, std::vector<Completion>& finished) {
    Job job = t.job;
    ++job.attempts;
    const long status = http_status(t.easy);
    if (!t.reply_error.empty()) return retry_or_fail(std::move(job), t.reply_error, 0, finished);
    if (result == CURLE_OPERATION_TIMEDOUT) {
      return retry_or_fail(std::move(job), fmt::format("idle timeout: no byte for {} s", options.idle_timeout_seconds),
                           0, finished);
    }
    if (result != CURLE_OK) {
      return retry_or_fail(std::move(job), fmt::format("connection error: {}", curl_easy_strerror(result)), 0,
                           finished);
    }
    if (status != 200) {
      std::string message = fmt::format("HTTP {}: {}", status, error_message_of(t.body));
      if (status == 400 || status == 413) {  // 413: r1eval serve's answer to a prompt past the context
        if (const auto overflow = parse_context_overflow(error_message_of(t.body))) {
          return fit_context(std::move(job), *overflow, std::move(message), finished);
        }
      }
      // A request the server rejects outright (400, 401, 404...) fails the same way again.
      if (!retryable_status(status)) return fail(job, message, finished);
      curl_off_t retry_after = 0;
      curl_easy_getinfo(t.easy, CURLINFO_RETRY_AFTER, &retry_after);
      return retry_or_fail(std::move(job), std::move(message), static_cast<double>(retry_after), finished);
    }
    try {
      if (!t.stream) {
        t.reply.set_whole(t.body);
      } else if (t.reply.finish_reason().empty()) {
        // A stream that ends without a finish_reason was cut: the server dropped it or crashed mid-reply.
        throw ReplyError(t.done ? "the stream ended without a finish_reason" : "the stream ended before [DONE]");
      }
    } catch (const ReplyError& e) {
      return retry_or_fail(std::move(job), e.what(), 0, finished);
    }
    std::string text = t.reply.text();
    if (text.empty()) return retry_or_fail(std::move(job), "empty reply", 0, finished);
    const auto end = Clock::now();
    const auto first = t.any_event ? t.first_byte : end;
    Completion c;
    c.request_id = job.request_id;
    c.sample = job.sample;
    c.text = std::move(text);
    c.finish_reason = t.reply.finish_reason() == "length" ? "length" : "stop";
    c.max_new_tokens = job.max_tokens;
    c.prompt_tokens = t.reply.prompt_tokens();
    c.completion_tokens = t.reply.completion_tokens();
    c.reasoning_tokens = t.reply.reasoning_tokens();
    c.served_model = t.reply.model();
    c.system_fingerprint = t.reply.system_fingerprint();
    c.prefill_seconds = std::chrono::duration<double>(first - t.started).count();
    c.decode_seconds = std::chrono::duration<double>(end - first).count();
    finished.push_back(std::move(c));
  }
};

OpenAiBackend::OpenAiBackend(OpenAiBackendOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.base_url.empty()) throw std::invalid_argument("the openai backend needs --base-url");
  if (options.served_model.empty()) throw std::invalid_argument("the openai backend needs --served-model");
  if (!options.api.empty() && options.api != "chat" && options.api != "completions") {
    throw std::invalid_argument("--api must be chat or completions, not '" + options.api + "'");
  }
  if (options.concurrency < 1) throw std::invalid_argument("--concurrency must be at least 1");
  if (options.max_retries < 0) throw std::invalid_argument("--max-retries must not be negative");
  if (!(options.idle_timeout_seconds >= 1)) throw std::invalid_argument("--request-timeout must be at least 1 s");
  init_curl_once();
  impl_->options = std::move(options);
  impl_->multi = curl_multi_init();
  if (impl_->multi == nullptr) throw std::runtime_error("libcurl could not create a multi handle");
  // The r1-zero prompt is rendered here; the BOS token is left to the server, which adds its own.
  impl_->r1_zero = engine::tokenizer::ChatTemplate::select(engine::tokenizer::TokenizerConfig{},
                                                           engine::tokenizer::ChatTemplate::kR1Zero);
}

OpenAiBackend::~OpenAiBackend() {
  for (auto& t : impl_->in_flight) curl_multi_remove_handle(impl_->multi, t->easy);
  impl_->in_flight.clear();
  curl_multi_cleanup(impl_->multi);
}

nlohmann::json OpenAiBackend::provenance() const {
  const OpenAiBackendOptions& o = impl_->options;
  return {{"backend", "openai"},
          {"base_url", o.base_url},
          {"served_model", o.served_model},
          {"api", o.api.empty() ? "per-template" : o.api},
          {"stream", o.stream},
          {"concurrency", o.concurrency},
          {"max_retries", o.max_retries},
          {"idle_timeout_seconds", o.idle_timeout_seconds}};
}

std::string OpenAiBackend::api_for(const std::string& template_name) const {
  if (!impl_->options.api.empty()) return impl_->options.api;
  return template_name == engine::tokenizer::ChatTemplate::kR1Zero ? "completions" : "chat";
}

void OpenAiBackend::submit(const CompletionRequest& request) {
  const bool r1_zero = request.template_name == engine::tokenizer::ChatTemplate::kR1Zero;
  if (!r1_zero && request.template_name != "r1") {
    throw std::invalid_argument("template '" + request.template_name +
                                "' cannot be sent to an endpoint; use r1 (the server's chat template) or r1-zero");
  }
  const std::string api = api_for(request.template_name);
  if (api == "completions" && !r1_zero) {
    throw std::invalid_argument("the r1 template needs the server's chat template: use --api chat");
  }
  std::string prompt = request.user_message;
  if (r1_zero) {
    const nlohmann::json messages = nlohmann::json::array({{{"role", "user"}, {"content", request.user_message}}});
    engine::tokenizer::ChatOptions chat;
    chat.add_generation_prompt = true;
    prompt = impl_->r1_zero->render(messages, chat, engine::tokenizer::TokenizerConfig{});
  }
  const OpenAiBackendOptions& o = impl_->options;
  nlohmann::json body = {{"model", o.served_model},
                         {"temperature", request.sampling.temperature},
                         {"top_p", request.sampling.top_p},
                         {"max_tokens", request.max_new_tokens},
                         {"n", 1},
                         {"stream", o.stream}};
  if (o.stream) body["stream_options"] = {{"include_usage", true}};
  if (api == "chat") {
    body["messages"] = nlohmann::json::array({{{"role", "user"}, {"content", prompt}}});
    // OpenAI's reasoning models take only the newer name; other servers read max_tokens and ignore it.
    body["max_completion_tokens"] = request.max_new_tokens;
  } else {
    body["prompt"] = prompt;
  }
  for (std::size_t i = 0; i < request.streams.size(); ++i) {
    body["seed"] = endpoint_seed(request.streams[i], request.sampling.seed);
    Job job;
    job.request_id = request.id;
    job.sample = i;
    job.url = impl_->url(api);
    job.body = body;
    job.max_tokens = request.max_new_tokens;
    job.not_before = Clock::now();
    impl_->waiting.push_back(std::move(job));
  }
}

void OpenAiBackend::advance(std::vector<Completion>& finished) {
  Impl& m = *impl_;
  m.start_ready();
  int running = 0;
  curl_multi_perform(m.multi, &running);
  const std::size_t before = finished.size();
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(m.multi, &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
    const CURLcode result = msg->data.result;
    curl_multi_remove_handle(m.multi, msg->easy_handle);
    m.finish(*t, result, finished);
    m.in_flight.remove_if([t](const std::unique_ptr<Transfer>& p) { return p.get() == t; });
  }
  if (finished.size() != before) return;
  // Nothing finished: wait for network activity, or until the next retry is due, for at most kPollMilliseconds.
  auto wait = std::chrono::milliseconds(kPollMilliseconds);
  const auto now = Clock::now();
  for (const Job& job : m.waiting) {
    wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::max(job.not_before - now, Clock::duration::zero())));
  }
  if (!m.in_flight.empty()) {
    curl_multi_poll(m.multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
  } else if (wait.count() > 0) {
    std::this_thread::sleep_for(wait);
  }
}

bool OpenAiBackend::idle() const { return impl_->waiting.empty() && impl_->in_flight.empty(); }

BackendActivity OpenAiBackend::activity() const {
  return {static_cast<std::int64_t>(impl_->in_flight.size()), impl_->retries};
}

}  // namespace r1eval::evals::runner
