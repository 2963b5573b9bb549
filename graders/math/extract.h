// Answer extraction: which part of a model's output is its final answer, under a per-suite policy.
//
// The policy comes from GradeRequest.problem (an object; every key optional):
//   "answer_policy": a preset name or an array of extractor names, tried in order, first hit wins.
//       presets  "math" (default)  boxed, answer_is
//                "auto"            answer_tag, boxed, hashes, answer_is, last_math, bare, last_number
//                "boxed"           boxed
//                "gsm8k"           hashes, boxed, answer_is, last_number
//                "r1zero"          answer_tag
//                "answer_is"       answer_is
//                "last_number"     last_number
//       extractors
//                "answer_tag"   the last <answer>…</answer>; the extractors after it in the policy read inside it
//                               (first hit wins), else its whole content is the answer
//                "boxed"        the last \boxed{…} / \fbox{…} (nested braces; also "\boxed 5"); boxes separated only
//                               by commas, "and", "or" or \quad form one list answer
//                "hashes"       GSM8K's "#### N" (the last one)
//                "answer_is"    the answer after the last announcing phrase (answer_phrases.h): "the answer is",
//                               "Final Answer:", "**Final Answer**", a line starting "Answer", "答案是", "最终答案"
//                "last_math"    the content of the last $…$, $$…$$, \(…\) or \[…\]
//                "bare"         the whole text when it is itself an answer ("-5", "x \ge 5", "\frac{1}{2}"): one
//                               line that is not prose and that parses as mathematics (or is a word)
//                "last_number"  the last number in the text (e.g. "-1,234.5", "2/3")
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

enum class Extractor { kBoxed, kHashes, kAnswerIs, kAnswerTag, kLastMath, kBare, kLastNumber };

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
std::optional<std::string> extract_answer_tag(std::string_view text);
std::optional<std::string> extract_last_math(std::string_view text);
std::optional<std::string> extract_bare(std::string_view text);
std::optional<std::string> extract_last_number(std::string_view text);

std::string_view extractor_name(Extractor extractor);

}  // namespace r1eval::graders::math
