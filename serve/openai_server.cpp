#include "serve/openai_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "common/hash.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"
#include "evals/runner/openai_backend.h"
#include "serve/engine_service.h"
#include "serve/openai_protocol.h"
#include "serve/stream_text.h"

namespace r1eval::serve {
namespace {

// A streamed reply sends a comment this often while the engine works, so clients with an idle timeout wait on.
constexpr auto kKeepAliveInterval = std::chrono::seconds(1);

void send_error(httplib::Response& res, const ApiError& error) {
  res.status = error.status;
  res.set_content(error_body(error), "application/json");
}

}  // namespace

struct OpenAiServer::Impl {
  ServeOptions options;
  std::unique_ptr<engine::model::Model> model;
  std::optional<engine::tokenizer::Tokenizer> tok;
  std::optional<engine::tokenizer::ChatTemplate> chat_template;
  std::mutex template_mutex;  // the template engine is not documented as safe to share between threads
  std::unique_ptr<EngineService> engine;
  httplib::Server http;
  int listen_socket = -1;
  std::atomic<std::uint64_t> next_reply{0};
  std::mutex random_mutex;
  std::mt19937_64 random{std::random_device{}()};

  std::vector<std::int32_t> prompt_ids(const ParsedRequest& r) {
    if (!r.chat) return tok->encode(tok->config().bos_token + r.prompt);  // the client's text after the server's BOS
    engine::tokenizer::ChatOptions chat;
    chat.add_generation_prompt = true;
    chat.force_think = true;  // R1's recipe: the answer opens with "<think>\n", as the runner's r1 template does
    std::lock_guard lock(template_mutex);
    return tok->encode(chat_template->render(r.messages, chat, tok->config()));
  }

  engine::scheduler::GenerationRequest generation(const ParsedRequest& r, std::vector<std::int32_t> prompt) {
    const std::int64_t context = model->config().max_position_embeddings;
    const auto prompt_tokens = static_cast<std::int64_t>(prompt.size());
    if (prompt.empty()) throw ApiError{400, "invalid_request_error", "the prompt is empty", "prompt", ""};
    if (context > 0 && prompt_tokens >= context) {
      // The wordings of vLLM and OpenAI, which clients (r1eval's endpoint backend among them) read the sizes from.
      throw ApiError{413, "invalid_request_error",
                     fmt::format("This model's maximum context length is {} tokens. However, your request has {} input "
                                 "tokens. Please reduce the length of the input.",
                                 context, prompt_tokens),
                     r.chat ? "messages" : "prompt", "context_length_exceeded"};
    }
    const std::int64_t max_tokens = r.max_tokens ? *r.max_tokens : context - prompt_tokens;
    if (context > 0 && prompt_tokens + max_tokens > context) {
      throw ApiError{400, "invalid_request_error",
                     fmt::format("This model's maximum context length is {} tokens. However, you requested {} tokens "
                                 "({} in the messages, {} in the completion). Please reduce the length of the "
                                 "messages or completion.",
                                 context, prompt_tokens + max_tokens, prompt_tokens, max_tokens),
                     "max_tokens", "context_length_exceeded"};
    }
    engine::scheduler::GenerationRequest g;
    g.prompt = std::move(prompt);
    // With a seed, the first choice samples on the stream `r1eval run` sent it for, so a run through the server equals
    // the embedded run; further choices on streams derived from it. Without one, every choice on a fresh stream.
    for (std::int64_t choice = 0; choice < r.n; ++choice) {
      if (r.seed) {
        const std::uint64_t first = evals::runner::sample_stream_of_endpoint_seed(*r.seed, options.seed);
        g.streams.push_back(choice == 0 ? first : common::splitmix64_mix(first + static_cast<std::uint64_t>(choice)));
      } else {
        std::lock_guard lock(random_mutex);
        g.streams.push_back(random());
      }
    }
    g.options.max_new_tokens = max_tokens;
    g.options.sampling = engine::model::SamplingParams{r.temperature, r.top_p, 0, options.seed};
    g.options.sampleable_vocab = tok->vocab_size();
    if (tok->eos_id() && *tok->eos_id() != model->config().eos_token_id) {
      g.options.stop_tokens.push_back(*tok->eos_id());
    }
    return g;
  }

  // One choice as the API reports it. Throws std::runtime_error when it stopped on non-finite logits: what it drew
  // before is no answer, so the request fails (500) rather than passing garbage on as a truncation.
  GeneratedReply reply_of(engine::model::GenerateResult result, std::int64_t prompt_tokens) {
    if (result.finish == engine::model::FinishReason::kNonFinite) {
      throw std::runtime_error("the model's logits held a NaN or infinity; no completion was produced");
    }
    GeneratedReply reply;
    reply.prompt_tokens = prompt_tokens;
    reply.completion_tokens = static_cast<std::int64_t>(result.tokens.size());
    reply.finish_reason = result.finish == engine::model::FinishReason::kStop ? "stop" : "length";
    if (result.finish == engine::model::FinishReason::kStop) result.tokens.pop_back();  // the stop token is no text
    reply.text = tok->decode(result.tokens);
    return reply;
  }

  // A streamed reply, written as the engine draws its tokens; keep-alive comments while nothing new arrives. Returns
  // false, having cancelled the request, when the client went away.
  bool stream_reply(httplib::DataSink& sink, const ParsedRequest& request, const EngineService::Streamed& streamed,
                    const engine::model::GenerateOptions& sampling, std::int64_t prompt_tokens, const std::string& id,
                    std::int64_t created) {
    const auto send = [&](const std::string& events) {
      if (events.empty()) return true;
      if (sink.is_writable() && sink.write(events.data(), events.size())) return true;
      engine->cancel(streamed.id);
      return false;
    };
    const auto choices = static_cast<std::size_t>(request.n);
    std::vector<StreamText> texts(choices, StreamText(*tok, request.chat));
    std::vector<GeneratedReply> replies(choices);
    std::string events;
    for (std::size_t i = 0; i < choices && request.chat; ++i) events += role_event(request, id, created, i);
    if (!send(events)) return false;
    const auto eos = static_cast<std::int32_t>(model->config().eos_token_id);
    std::size_t running = choices;
    GenerationFeed::News news;
    try {
      while (running > 0) {
        if (!streamed.feed->take(news, kKeepAliveInterval)) {
          if (!send(": keep-alive\n\n")) return false;
          continue;
        }
        events.clear();
        for (std::size_t i = 0; i < choices; ++i) {
          std::vector<std::int32_t>& tokens = news.tokens[i];
          // A stop token ends its choice and is no text.
          std::erase_if(tokens, [&](std::int32_t t) { return engine::model::is_stop_token(t, eos, sampling); });
          TextDeltas deltas = texts[i].push(tokens);
          if (news.finished[i]) {
            replies[i] = reply_of(std::move(*news.finished[i]), prompt_tokens);
            const TextDeltas rest = texts[i].finish();
            deltas.reasoning += rest.reasoning;
            deltas.content += rest.content;
          }
          events += text_events(request, id, created, i, deltas.reasoning, deltas.content);
          if (news.finished[i]) {
            events += finish_event(request, id, created, i, replies[i]);
            --running;
          }
        }
        if (!send(events)) return false;
      }
      events = end_events(request, replies, id, created);
    } catch (const std::exception& e) {
      engine->cancel(streamed.id);  // the other choices of a failed request are no use either
      events = "data: " + error_body({500, "server_error", e.what(), "", ""}) + "\n\ndata: [DONE]\n\n";
    }
    if (!send(events)) return false;
    sink.done();
    return true;
  }

  void complete(const httplib::Request& req, httplib::Response& res, bool chat) {
    if (!options.api_key.empty() && req.get_header_value("Authorization") != "Bearer " + options.api_key) {
      return send_error(res, {401, "invalid_request_error", "a valid API key is required", "", "invalid_api_key"});
    }
    try {
      const ParsedRequest request = parse_request(req.body, chat);
      if (request.model != options.served_model) {
        throw ApiError{
            404, "invalid_request_error",
            fmt::format("The model '{}' does not exist; this server serves '{}'", request.model, options.served_model),
            "model", "model_not_found"};
      }
      std::vector<std::int32_t> prompt = prompt_ids(request);
      const auto prompt_tokens = static_cast<std::int64_t>(prompt.size());
      engine::scheduler::GenerationRequest generated = generation(request, std::move(prompt));
      const std::string id = fmt::format("{}-{}", chat ? "chatcmpl" : "cmpl", next_reply++);
      const std::int64_t created = std::time(nullptr);
      if (!request.stream) {
        std::vector<GeneratedReply> replies;
        for (engine::model::GenerateResult& result : engine->submit(std::move(generated)).get()) {
          replies.push_back(reply_of(std::move(result), prompt_tokens));
        }
        res.set_content(whole_response(request, replies, id, created).dump(), "application/json");
        return;
      }
      const engine::model::GenerateOptions sampling = generated.options;
      const EngineService::Streamed streamed = engine->submit_streamed(std::move(generated));
      res.set_chunked_content_provider(
          "text/event-stream",
          [this, request, streamed, sampling, prompt_tokens, id, created](std::size_t, httplib::DataSink& sink) {
            return stream_reply(sink, request, streamed, sampling, prompt_tokens, id, created);
          },
          // The response ended without the provider finishing it (the server stopping): nothing waits on the
          // request any more. A cancel of a complete request changes nothing.
          [this, streamed](bool success) {
            if (!success) engine->cancel(streamed.id);
          });
    } catch (const ApiError& e) {
      send_error(res, e);
    } catch (const QueueFull& e) {
      send_error(res, {429, "rate_limit_error", e.what(), "", "queue_full"});
    } catch (const std::invalid_argument& e) {
      send_error(res, {400, "invalid_request_error", e.what(), "", ""});
    } catch (const std::exception& e) {
      send_error(res, {500, "server_error", e.what(), "", ""});
    }
  }
};

OpenAiServer::OpenAiServer(const std::filesystem::path& model_dir, ServeOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.options = std::move(options);
  m.model = engine::model::Model::load(model_dir, m.options.model);
  m.tok = engine::tokenizer::Tokenizer::load(model_dir);
  if (!m.tok) {
    throw std::runtime_error(model_dir.string() +
                             " has no tokenizer.json and tokenizer_config.json; serving needs them");
  }
  if (!m.tok->config().chat_templates.empty())
    m.chat_template = engine::tokenizer::ChatTemplate::select(m.tok->config(), "");
  m.engine = std::make_unique<EngineService>(*m.model, m.options.scheduler, m.options.max_waiting);

  const std::size_t threads = m.options.max_waiting + 8;  // each waiting request holds a thread; a few spare for 429s
  m.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  m.http.set_payload_max_length(m.options.max_body_bytes);
  // Debian's cpp-httplib listens with a backlog of 5: a burst of clients overflows it, and connections the kernel
  // half-accepted are then reset. Remember the listening socket to widen its backlog once bound (see bind()).
  m.http.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    impl_->listen_socket = sock;
  });
  m.http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const int status = res.status;
    send_error(res, {status,
                     status == 413   ? "invalid_request_error"
                     : status >= 500 ? "server_error"
                                     : "invalid_request_error",
                     status == 404   ? "no such endpoint; this server has /v1/models, /v1/chat/completions and "
                                       "/v1/completions"
                     : status == 413 ? "the request body is too large"
                                     : fmt::format("HTTP {}", status),
                     "", ""});
  });
  m.http.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
    const nlohmann::json entry = {
        {"id", impl_->options.served_model}, {"object", "model"}, {"created", 0}, {"owned_by", "r1eval"}};
    res.set_content(nlohmann::json{{"object", "list"}, {"data", {entry}}}.dump(), "application/json");
  });
  m.http.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
    if (!impl_->chat_template) {
      return send_error(
          res, {400, "invalid_request_error", "this model has no chat template; use /v1/completions", "messages", ""});
    }
    impl_->complete(req, res, true);
  });
  m.http.Post("/v1/completions",
              [this](const httplib::Request& req, httplib::Response& res) { impl_->complete(req, res, false); });
}

OpenAiServer::~OpenAiServer() = default;

int OpenAiServer::bind(const std::string& host, int port) {
  const int bound = port == 0 ? impl_->http.bind_to_any_port(host) : (impl_->http.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) throw std::runtime_error(fmt::format("cannot listen on {}:{}", host, port));
  // listen() again on a listening socket only changes its backlog (Linux and BSD).
  if (impl_->listen_socket >= 0) ::listen(impl_->listen_socket, SOMAXCONN);
  return bound;
}

void OpenAiServer::listen() {
  impl_->http.listen_after_bind();
  impl_->engine->drain();
}

void OpenAiServer::stop() { impl_->http.stop(); }

std::uint64_t OpenAiServer::cancelled_requests() const { return impl_->engine->cancelled(); }

}  // namespace r1eval::serve
