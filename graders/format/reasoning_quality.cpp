#include "graders/format/reasoning_quality.h"

#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>

#include "graders/format/reasoning_parts.h"

namespace r1eval::graders::format {
namespace {

// A field of the problem record, or of its "meta" object.
const nlohmann::json* field(const nlohmann::json& problem, const char* key) {
  if (!problem.is_object()) return nullptr;
  if (problem.contains(key)) return &problem[key];
  if (problem.contains("meta") && problem["meta"].is_object() && problem["meta"].contains(key))
    return &problem["meta"][key];
  return nullptr;
}

std::string string_field(const nlohmann::json& problem, const char* key) {
  const nlohmann::json* value = field(problem, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::string fixed(double value) { return fmt::format("{:.3f}", value); }

class FormatGrader final : public Grader {
 public:
  std::string_view name() const override { return "format"; }
  std::string_view version() const override { return "format-1"; }

  Verdict grade(const GradeRequest& request) const override {
    const QualityOptions options = quality_options(request);
    const ReasoningQuality q = assess_reasoning(request.completion, options);
    Verdict verdict;
    verdict.extracted = std::string(trim(split_reasoning(request.completion, options.mode == FormatMode::kR1).answer));
    verdict.correct = q.format_ok;
    verdict.outcome = q.format_ok ? Outcome::kPass : Outcome::kFormatError;
    std::string detail = std::string(format_mode_name(options.mode)) + " format ";
    if (q.format_ok) {
      detail += "ok";
    } else {
      detail += "violated:";
      for (std::size_t i = 0; i < q.format_problems.size(); ++i) detail += (i == 0 ? " " : "; ") + q.format_problems[i];
    }
    detail += " | language consistency " + fixed(q.language_consistency) + " over " +
              std::to_string(q.reasoning_words) + " words, duplicate 8-grams " +
              fixed(q.repetition.duplicate_ngram_share) + (q.repetition.looping_tail ? ", ends in a loop" : "") +
              (q.has_answer ? "" : ", no answer");
    verdict.detail = detail;
    return verdict;
  }
};

}  // namespace

ReasoningParts request_parts(const GradeRequest& request) {
  return split_reasoning(request.completion, string_field(request.problem, "format") == "r1");
}

bool truncated_flag(const nlohmann::json& problem) {
  const nlohmann::json* flag = field(problem, "truncated");
  if (flag != nullptr && flag->is_boolean() && flag->get<bool>()) return true;
  return string_field(problem, "finish_reason") == "length";
}

QualityOptions quality_options(const GradeRequest& request) {
  QualityOptions options;
  std::string mode = string_field(request.problem, "format");
  if (mode.empty() && request.gold.is_string()) mode = request.gold.get<std::string>();
  if (!mode.empty()) {
    const std::optional<FormatMode> parsed = parse_format_mode(mode);
    if (!parsed) throw std::invalid_argument("format: unknown format mode '" + mode + "' (expected r1-zero or r1)");
    options.mode = *parsed;
  }
  const std::string language = string_field(request.problem, "language");
  if (language == "zh") {
    options.target_language = Language::kChinese;
  } else if (!language.empty() && language != "en") {
    throw std::invalid_argument("format: unsupported target language '" + language + "' (expected en or zh)");
  }
  options.truncated = truncated_flag(request.problem);
  return options;
}

ReasoningQuality assess_reasoning(std::string_view completion, const QualityOptions& options) {
  ReasoningQuality q;
  // In R1 mode the reasoning starts at the beginning of the output (its <think> was in the prompt).
  const ReasoningParts parts = split_reasoning(completion, options.mode == FormatMode::kR1);
  const std::string_view reasoning = parts.reasoning;
  q.format_problems = format_violations(completion, options.mode);
  q.truncated = options.truncated;
  if (q.truncated) q.format_problems.emplace_back("truncated at the token limit");
  q.format_ok = q.format_problems.empty();
  q.ended_in_reasoning = parts.think_unclosed;
  q.has_answer = !q.ended_in_reasoning && !trim(parts.answer).empty();
  const LanguageCount words = count_language(reasoning, options.target_language);
  q.language_consistency = words.share();
  q.reasoning_words = words.total_words;
  q.repetition = measure_repetition(reasoning);
  q.reasoning_bytes = reasoning.size();
  q.answer_bytes = trim(parts.answer).size();
  return q;
}

std::unique_ptr<Grader> make_format_grader() { return std::make_unique<FormatGrader>(); }

}  // namespace r1eval::graders::format
