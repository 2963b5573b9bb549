#include "evals/runner/engine_backend.h"

#include <map>
#include <stdexcept>

#include "engine/kernels/kernel_variants.h"
#include "engine/model/context_fit.h"
#include "engine/model/model.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

namespace r1eval::evals::runner {

struct EngineBackend::Impl {
  std::filesystem::path dir;
  EngineBackendOptions options;
  std::unique_ptr<engine::model::Model> model;
  std::optional<engine::tokenizer::Tokenizer> tok;
  std::unique_ptr<engine::scheduler::BatchGenerator> generator;
  std::map<std::string, engine::tokenizer::ChatTemplate> templates;  // by name, compiled once
  std::vector<engine::scheduler::FinishedSample> done;
  // The effective budget of each request in flight, and how many of its samples have yet to finish.
  struct Budget {
    std::int64_t max_new_tokens = 0;
    std::size_t outstanding = 0;
  };
  std::map<std::uint64_t, Budget> budgets;

  const engine::tokenizer::ChatTemplate& chat_template(const std::string& name) {
    auto it = templates.find(name);
    if (it == templates.end()) {
      // "r1" is the model's own chat template with the answer opened by "<think>\n" (DeepSeek's recommendation).
      const std::string source_name = name == "r1" ? "" : name;
      it = templates.emplace(name, engine::tokenizer::ChatTemplate::select(tok->config(), source_name)).first;
    }
    return it->second;
  }
};

EngineBackend::EngineBackend(const std::filesystem::path& model_dir, EngineBackendOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->dir = model_dir;
  impl_->options = options;
  impl_->model = engine::model::Model::load(model_dir, options.model);
  impl_->tok = engine::tokenizer::Tokenizer::load(model_dir);
  if (!impl_->tok) {
    throw std::runtime_error(
        model_dir.string() +
        " has no tokenizer.json and tokenizer_config.json; evaluations need the model's tokenizer");
  }
  impl_->generator = std::make_unique<engine::scheduler::BatchGenerator>(*impl_->model, options.scheduler);
}

EngineBackend::~EngineBackend() = default;

nlohmann::json EngineBackend::provenance() const {
  const auto& c = impl_->model->config();
  return {{"backend", "engine"},
          {"kernels", std::string(engine::kernels::variant_name(engine::kernels::active_variant()))},
          {"matmul_inputs", engine::kernels::matmul_inputs_name(impl_->options.model.matmul_inputs)},
          {"max_sequences", impl_->options.scheduler.max_sequences},
          {"prefill_chunk", impl_->options.scheduler.prefill_chunk},
          {"vocab_size", c.vocab_size},
          {"num_hidden_layers", c.num_hidden_layers},
          {"hidden_size", c.hidden_size}};
}

std::vector<std::int32_t> EngineBackend::prompt_ids(const std::string& user_message,
                                                    const std::string& template_name) const {
  engine::tokenizer::ChatOptions chat;
  chat.add_generation_prompt = true;
  chat.force_think = template_name == "r1";
  const nlohmann::json messages = nlohmann::json::array({{{"role", "user"}, {"content", user_message}}});
  const std::string rendered = impl_->chat_template(template_name).render(messages, chat, impl_->tok->config());
  return impl_->tok->encode(rendered);
}

void EngineBackend::submit(const CompletionRequest& request) {
  engine::scheduler::GenerationRequest g;
  g.id = request.id;
  g.prompt = prompt_ids(request.user_message, request.template_name);
  g.streams = request.streams;
  g.options.max_new_tokens = request.max_new_tokens;
  g.options.sampling =
      engine::model::SamplingParams{request.sampling.temperature, request.sampling.top_p, 0, request.sampling.seed};
  g.options.sampleable_vocab = impl_->tok->vocab_size();
  const auto model_eos = impl_->model->config().eos_token_id;
  if (impl_->tok->eos_id() && *impl_->tok->eos_id() != model_eos)
    g.options.stop_tokens.push_back(*impl_->tok->eos_id());
  // A budget past what the context leaves after the prompt is clamped; a prompt that leaves no room cannot run.
  g.options.max_new_tokens =
      engine::model::budget_within_context(static_cast<std::int64_t>(g.prompt.size()), request.max_new_tokens,
                                           impl_->model->config().max_position_embeddings);
  impl_->budgets[request.id] = {g.options.max_new_tokens, request.streams.size()};
  impl_->generator->submit(std::move(g));
}

void EngineBackend::advance(std::vector<Completion>& finished) {
  impl_->done.clear();
  impl_->generator->step(impl_->done);
  for (engine::scheduler::FinishedSample& f : impl_->done) {
    std::vector<std::int32_t>& tokens = f.result.tokens;
    Completion c;
    c.request_id = f.request_id;
    c.sample = f.sample;
    c.completion_tokens = static_cast<std::int64_t>(tokens.size());
    c.finish_reason = engine::model::finish_reason_name(f.result.finish);
    const auto budget = impl_->budgets.find(f.request_id);
    if (budget != impl_->budgets.end()) {
      c.max_new_tokens = budget->second.max_new_tokens;
      if (--budget->second.outstanding == 0) impl_->budgets.erase(budget);
    }
    if (f.result.finish == engine::model::FinishReason::kStop)
      tokens.pop_back();  // the stop token has no text of the answer
    c.text = impl_->tok->decode(tokens);
    c.prompt_tokens = f.result.prefill_tokens;
    c.prefill_seconds = f.result.prefill_seconds;
    c.decode_seconds = f.result.decode_seconds;
    finished.push_back(std::move(c));
  }
}

bool EngineBackend::idle() const { return impl_->generator->idle(); }

}  // namespace r1eval::evals::runner
