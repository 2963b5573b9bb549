// Answer extraction: which part of a model's output is its final answer, under a per-suite policy.
//
// The policy comes from GradeRequest.problem (an object; every key optional):
//   "answer_policy": a preset name or an array of extractor names, tried in order, first hit wins.
//       presets  "math" (default)  boxed, answer_is
//                "boxed"           boxed
//                "gsm8k"           hashes, boxed, answer_is, last_number
//                "r1zero"          answer_tag
//                "answer_is"       answer_is
//                "last_number"     last_number
//       extractors
//                "boxed"        the last \boxed{…} / \fbox{…} (nested braces; also "\boxed 5")
//                "hashes"       GSM8K's "#### N" (the last one)
//                "answer_is"    the text after the last "answer is" / "Answer:" up to the end of its line
//                "answer_tag"   the last <answer>…</answer>; a \boxed{} inside it wins over the whole content
//                "last_number"  the last number in the text (e.g. "-1,234.5")
//   "last_number_fallback": true appends last_number, false removes it from the policy.
// When the output has a "</think>", only the text after the last one is searched (R1 mode), unless nothing is
// found there: then the whole output is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval::graders::math {

enum class Extractor { kBoxed, kHashes, kAnswerIs, kAnswerTag, kLastNumber };

struct AnswerPolicy {
  std::string name;  // the preset name, or "custom"
  std::vector<Extractor> extractors;
};

// Throws std::invalid_argument naming the bad key or value.
AnswerPolicy policy_from_problem(const nlohmann::json& problem);

struct Extraction {
  std::string answer;
  Extractor by = Extractor::kBoxed;
};

std::optional<Extraction> extract_answer(std::string_view completion, const AnswerPolicy& policy);

// The individual extractors, exposed for tests and for the gold side (a gold given as a full solution).
std::optional<std::string> extract_last_boxed(std::string_view text);
std::optional<std::string> extract_hashes(std::string_view text);
std::optional<std::string> extract_answer_is(std::string_view text);
std::optional<std::string> extract_answer_tag(std::string_view text);
std::optional<std::string> extract_last_number(std::string_view text);

std::string_view extractor_name(Extractor extractor);

}  // namespace r1eval::graders::math
