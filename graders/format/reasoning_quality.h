// Format and reasoning-quality measurements of one output, as a struct the evaluation runner records as metrics,
// and the "format" grader built on them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "graders/format/format_check.h"
#include "graders/format/language_consistency.h"
#include "graders/format/reasoning_parts.h"
#include "graders/format/repetition.h"
#include "graders/grader.h"

namespace r1eval::graders::format {

struct QualityOptions {
  FormatMode mode = FormatMode::kR1Zero;
  Language target_language = Language::kEnglish;
  bool truncated = false;  // generation stopped at the token limit (the runner knows; see truncated_flag)
};

struct ReasoningQuality {
  bool format_ok = false;
  std::vector<std::string> format_problems;
  bool has_answer = false;        // a non-empty answer part
  bool truncated = false;         // copied from the options
  bool ended_in_reasoning = false;  // an opened <think> was never closed
  double language_consistency = 1.0;  // share of target-language words in the reasoning
  std::size_t reasoning_words = 0;
  Repetition repetition;          // of the reasoning
  std::size_t reasoning_bytes = 0;
  std::size_t answer_bytes = 0;
};

ReasoningQuality assess_reasoning(std::string_view completion, const QualityOptions& options);

// The truncation flag a request carries: problem.truncated, problem.meta.truncated, or a finish_reason of
// "length" in either place.
bool truncated_flag(const nlohmann::json& problem);

// Options from a request: mode from problem.format / problem.meta.format or a gold of "r1" / "r1-zero"; target
// language from problem.language / problem.meta.language ("en", "zh"). Throws std::invalid_argument for unknown names.
QualityOptions quality_options(const GradeRequest& request);

// The answer part of a request's completion, honouring the R1 template (problem.format / problem.meta.format = "r1":
// the prompt opened <think>, so an output without </think> has no answer). What the logic and code graders read.
ReasoningParts request_parts(const GradeRequest& request);

// The "format" grader: correct when the output is well-formed for its mode and not truncated; the detail carries
// the problems and the quality measurements.
std::unique_ptr<Grader> make_format_grader();

}  // namespace r1eval::graders::format
