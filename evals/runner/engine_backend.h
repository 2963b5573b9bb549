// The embedded engine as a backend: the checkpoint and its tokenizer, requests rendered through the chat template
// and scheduled by the continuous-batching generator.
#pragma once

#include <filesystem>
#include <memory>

#include "engine/scheduler/batch_generator.h"
#include "evals/runner/backend.h"

namespace r1eval::evals::runner {

struct EngineBackendOptions {
  engine::scheduler::SchedulerOptions scheduler;
  engine::model::ModelOptions model;
};

class EngineBackend final : public Backend {
 public:
  // Throws (naming the file) when the checkpoint or its tokenizer cannot be loaded.
  EngineBackend(const std::filesystem::path& model_dir, EngineBackendOptions options);
  ~EngineBackend() override;

  nlohmann::json provenance() const override;
  void submit(const CompletionRequest& request) override;
  void advance(std::vector<Completion>& finished) override;
  bool idle() const override;

 private:
  // The prompt ids of a user message rendered through the named chat template.
  std::vector<std::int32_t> prompt_ids(const std::string& user_message, const std::string& template_name) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace r1eval::evals::runner
