// The endpoint backend's own cost, against a loopback server that answers at once: the client thread's CPU time per
// request (issue: at most 1 ms beyond the network) at 32 and 256 requests in flight on its one thread. The server's
// threads are not counted: the CPU time is the calling thread's (CLOCK_THREAD_CPUTIME_ID), and libcurl's multi
// interface does all its work on that thread. cpp-httplib's listen backlog (5) makes the server refuse some of 256
// simultaneous connections; those are retried, and the `retries` counter says how many.
//
//   build/release/benchmarks/endpoint/endpoint_client_benchmark
#include <httplib.h>
#include <time.h>

#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "evals/runner/openai_backend.h"

namespace r1eval::evals::runner {
namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Streams a short R1-style reply (reasoning, answer, usage).
class ReplyServer {
 public:
  explicit ReplyServer(std::size_t threads) {
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // uvicorn (vLLM, SGLang) keeps a client's connection for as many requests as it sends; httplib's default is 5.
    server_.set_keep_alive_max_count(1 << 30);
    server_.Post("/v1/chat/completions", [](const httplib::Request&, httplib::Response& res) {
      const nlohmann::json think = {{"choices", {{{"index", 0}, {"delta", {{"reasoning_content", "1 + 1 is 2"}}}}}}};
      const nlohmann::json answer = {
          {"choices", {{{"index", 0}, {"delta", {{"content", "\\boxed{2}"}}}, {"finish_reason", "stop"}}}}};
      const nlohmann::json usage = {{"choices", nlohmann::json::array()},
                                    {"usage", {{"prompt_tokens", 12}, {"completion_tokens", 9}}}};
      std::string events;
      for (const nlohmann::json* chunk : {&think, &answer, &usage})
        events += fmt::format("data: {}\n\n", chunk->dump());
      events += "data: [DONE]\n\n";
      res.set_content(events, "text/event-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~ReplyServer() {
    server_.stop();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

OpenAiBackendOptions options_for(const ReplyServer& server, std::int64_t concurrency) {
  OpenAiBackendOptions options;
  options.base_url = server.base_url();
  options.served_model = std::string(1, 'm');  // a literal here trips GCC 12's false -Wrestrict (its bug 105329)
  options.concurrency = concurrency;
  options.backoff_seconds = 0.05;  // a refused connection (the test server's listen backlog) comes back soon
  return options;
}

CompletionRequest request_for(std::int64_t samples) {
  CompletionRequest request;
  request.user_message = "What is 1 + 1?";
  request.template_name = "r1";
  request.max_new_tokens = 64;
  for (std::int64_t i = 0; i < samples; ++i) request.streams.push_back(static_cast<std::uint64_t>(i));
  return request;
}

// Client CPU per request with `concurrency` in flight against an instant server.
void BM_ClientCpuPerRequest(benchmark::State& state) {
  const std::int64_t concurrency = state.range(0);
  const std::int64_t requests = 512;
  ReplyServer server(static_cast<std::size_t>(concurrency) + 8);
  double cpu = 0.0;
  std::int64_t done = 0;
  std::int64_t retries = 0;
  for (auto _ : state) {
    OpenAiBackendOptions options = options_for(server, concurrency);
    OpenAiBackend backend(options);
    const double start = thread_cpu_seconds();
    backend.submit(request_for(requests));
    std::vector<Completion> finished;
    while (!backend.idle()) backend.advance(finished);
    cpu += thread_cpu_seconds() - start;
    retries += backend.activity().retries;
    done += static_cast<std::int64_t>(finished.size());
    for (const Completion& c : finished) {
      if (!c.error.empty()) state.SkipWithError(c.error.c_str());
    }
  }
  state.counters["client_cpu_ms_per_request"] = 1e3 * cpu / static_cast<double>(done);
  state.counters["requests_per_s"] = benchmark::Counter(static_cast<double>(done), benchmark::Counter::kIsRate);
  state.counters["retries"] = static_cast<double>(retries);
}
BENCHMARK(BM_ClientCpuPerRequest)->Arg(32)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace r1eval::evals::runner
