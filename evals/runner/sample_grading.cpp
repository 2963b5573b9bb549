#include "evals/runner/sample_grading.h"

#include <exception>
#include <utility>

#include "graders/format/reasoning_quality.h"

namespace r1eval::evals::runner {
namespace {

graders::format::FormatMode format_mode(const std::string& template_name) {
  return template_name == "r1-zero" ? graders::format::FormatMode::kR1Zero : graders::format::FormatMode::kR1;
}

graders::format::Language target_language(const std::string& language) {
  return language == "zh" ? graders::format::Language::kChinese : graders::format::Language::kEnglish;
}

// The row's key: which run, suite, problem and sample it is, whatever became of the sample.
reports::db::SampleRow sample_identity(const SampleContext& context, std::int64_t run_id) {
  reports::db::SampleRow row;
  row.run_id = run_id;
  row.suite = context.suite->name;
  row.subset = context.problem->subset;
  row.problem_id = context.problem->id;
  row.problem_index = context.problem_index;
  row.sample_index = context.sample_index;
  return row;
}

}  // namespace

nlohmann::json grading_problem(const SampleContext& context) {
  // The suite's loader already wrote its answer policy, format and language into the record; only the format
  // changes when the run uses another template than the suite's.
  nlohmann::json problem = context.problem->record.is_object() ? context.problem->record : nlohmann::json::object();
  problem["format"] = std::string(graders::format::format_mode_name(format_mode(context.template_name)));
  return problem;
}

reports::db::SampleRow grade_sample(const SampleContext& context, const Completion& completion, std::int64_t run_id) {
  reports::db::SampleRow row = sample_identity(context, run_id);
  row.prompt_tokens = completion.prompt_tokens;
  row.completion = completion.text;
  row.completion_tokens = completion.completion_tokens;
  row.finish_reason = completion.finish_reason;
  row.prefill_seconds = completion.prefill_seconds;
  row.decode_seconds = completion.decode_seconds;
  row.max_new_tokens = completion.max_new_tokens;
  row.reasoning_tokens = completion.reasoning_tokens;
  row.served_model = completion.served_model;
  row.system_fingerprint = completion.system_fingerprint;

  graders::format::QualityOptions quality_options;
  quality_options.mode = format_mode(context.template_name);
  quality_options.target_language = target_language(context.suite->language);
  quality_options.truncated = completion.finish_reason == "length";
  const graders::format::ReasoningQuality quality = graders::format::assess_reasoning(completion.text, quality_options);
  row.format_ok = quality.format_ok;
  row.language_share = quality.language_consistency;

  try {
    const graders::Verdict verdict =
        context.grader->grade(graders::GradeRequest{completion.text, context.problem->gold, grading_problem(context)});
    row.correct = verdict.correct;
    row.outcome = static_cast<int>(verdict.outcome);
    row.extracted = verdict.extracted;
    row.detail = verdict.detail;
    row.has_answer = verdict.outcome != graders::Outcome::kNoAnswer && quality.has_answer;
  } catch (const std::exception& e) {
    // The request was malformed (a data or grader bug, not the model's doing): keep the sample, say why.
    row.correct = false;
    row.outcome = static_cast<int>(graders::Outcome::kGraderError);
    row.detail = std::string("the grader failed: ") + e.what();
    row.has_answer = quality.has_answer;
  }
  return row;
}

reports::db::SampleRow not_generated_sample(const SampleContext& context, std::int64_t run_id, std::string reason) {
  reports::db::SampleRow row = sample_identity(context, run_id);
  row.outcome = static_cast<int>(graders::Outcome::kNotGenerated);
  row.detail = std::move(reason);
  return row;
}

}  // namespace r1eval::evals::runner
