// An OpenAI-compatible server on loopback that answers arith questions ("What is a + b?") correctly, but first
// misbehaves in the way each sample's seed selects: rate limits, server errors, stalls, dropped connections,
// malformed JSON, empty replies. Started and stopped by the test that owns it.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace r1eval::evals::runner::testing {

enum class Fault {
  kNone,
  kReasoningField,    // chat: the thinking in "reasoning" (vLLM since late 2025)
  kReasoningContent,  // chat: the thinking in "reasoning_content"
  kRateLimited,       // first attempt: 429 with Retry-After: 1
  kServerError,       // first attempt: 500 with an error object
  kStall,             // first attempt: one chunk, then silence past the client's idle timeout
  kDrop,              // first attempt: one chunk, then the connection closes
  kKeepAlive,         // comment and blank lines before and between the chunks
  kTruncated,         // the budget ran out while reasoning: content null, finish_reason "length"
  kMalformed,         // first attempt: a chunk that is not JSON
  kEmpty,             // first attempt: no text at all
  kNeverAnswers,      // every attempt: 503
  kCount
};

inline Fault fault_of_seed(std::int64_t seed) {
  return static_cast<Fault>(static_cast<std::uint64_t>(seed) % static_cast<std::uint64_t>(Fault::kCount));
}

class FaultServer {
 public:
  static constexpr const char* kKey = "sk-test-key";
  static constexpr const char* kThinking = "add the tens, then the units";

  FaultServer() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(48); };
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); };
    server_.Post("/v1/chat/completions", handler);
    server_.Post("/v1/completions", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FaultServer() {
    server_.stop();
    thread_.join();
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int attempts(std::int64_t seed) {
    std::lock_guard lock(mutex_);
    return attempts_[seed];
  }
  int unauthorized() const { return unauthorized_; }

  // The text the engine would hold for a correct answer: what the chat replies split, joined back.
  static std::string answer_text(long answer) {
    return std::string(kThinking) + "</think> <answer> " + std::to_string(answer) + " </answer>";
  }

 private:
  static long solve(const std::string& question) {
    static const std::regex pattern(R"(What is (\d+) ([+-]) (\d+)\?)");
    std::smatch m;
    if (!std::regex_search(question, m, pattern)) return -1;
    return m[2] == "+" ? std::stol(m[1]) + std::stol(m[3]) : std::stol(m[1]) - std::stol(m[3]);
  }

  void answer(const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != std::string("Bearer ") + kKey) {
      ++unauthorized_;
      res.status = 401;
      res.set_content(R"({"error":{"message":"bad key","type":"invalid_request_error"}})", "application/json");
      return;
    }
    const nlohmann::json body = nlohmann::json::parse(req.body);
    const bool chat = body.contains("messages");
    const std::int64_t seed = body.at("seed").get<std::int64_t>();
    const std::string question =
        chat ? body["messages"][0]["content"].get<std::string>() : body["prompt"].get<std::string>();
    int attempt = 0;
    {
      std::lock_guard lock(mutex_);
      attempt = ++attempts_[seed];
    }
    const Fault fault = fault_of_seed(seed);
    const bool first = attempt == 1;
    if ((fault == Fault::kRateLimited && first) || (fault == Fault::kServerError && first) ||
        fault == Fault::kNeverAnswers) {
      res.status = fault == Fault::kRateLimited ? 429 : fault == Fault::kServerError ? 500 : 503;
      if (fault == Fault::kRateLimited) res.set_header("Retry-After", "1");
      res.set_content(R"({"error":{"message":"try later","type":"server_error","param":null,"code":null}})",
                      "application/json");
      return;
    }
    std::vector<std::string> events = reply_events(chat, fault, first, solve(question));
    res.set_chunked_content_provider("text/event-stream", [events, fault, first](std::size_t, httplib::DataSink& sink) {
      for (std::size_t i = 0; i < events.size(); ++i) {
        const std::string keep_alive = ": keep-alive\n\n\n";
        if (fault == Fault::kKeepAlive) sink.write(keep_alive.data(), keep_alive.size());
        const std::string event = "data: " + events[i] + "\n\n";
        sink.write(event.data(), event.size());
        if (i == 0 && first && fault == Fault::kStall) {
          std::this_thread::sleep_for(std::chrono::milliseconds(3500));
          return false;
        }
        if (i == 0 && first && fault == Fault::kDrop) return false;
      }
      sink.done();
      return true;
    });
  }

  static std::vector<std::string> reply_events(bool chat, Fault fault, bool first, long answer) {
    auto chunk = [chat](const std::string& reasoning_key, const std::string& reasoning, const nlohmann::json& content,
                        const nlohmann::json& finish) {
      nlohmann::json choice = {{"index", 0}, {"finish_reason", finish}};
      if (chat) {
        choice["delta"] = {{"content", content}};
        if (!reasoning_key.empty()) choice["delta"][reasoning_key] = reasoning;
      } else {
        choice["text"] = content;
      }
      return nlohmann::json{{"object", chat ? "chat.completion.chunk" : "text_completion"},
                            {"model", "toy"},
                            {"system_fingerprint", "fp-test"},
                            {"choices", {choice}}}
          .dump();
    };
    const std::string key = fault == Fault::kReasoningField ? "reasoning" : "reasoning_content";
    const std::string usage = R"({"choices":[],"usage":{"prompt_tokens":20,"completion_tokens":30,)"
                              R"("completion_tokens_details":{"reasoning_tokens":25}}})";
    if (fault == Fault::kEmpty && first) return {chunk("", "", "", "stop"), usage, "[DONE]"};
    if (fault == Fault::kMalformed && first) return {chunk("", "", "", nullptr), "{\"choices\": [{\"delta\"", "[DONE]"};
    const std::string answer_part = " <answer> " + std::to_string(answer) + " </answer>";
    if (fault == Fault::kTruncated) {
      if (chat) return {chunk(key, kThinking, nullptr, nullptr), chunk("", "", nullptr, "length"), usage, "[DONE]"};
      return {chunk("", "", std::string(" <think> ") + kThinking, "length"), usage, "[DONE]"};
    }
    if (chat) return {chunk(key, kThinking, nullptr, nullptr), chunk("", "", answer_part, "stop"), usage, "[DONE]"};
    return {chunk("", "", std::string(kThinking) + "</think>", nullptr), chunk("", "", answer_part, "stop"), usage,
            "[DONE]"};
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::int64_t, int> attempts_;
  std::atomic<int> unauthorized_{0};
};

}  // namespace r1eval::evals::runner::testing
