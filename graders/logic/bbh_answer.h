// BIG-Bench-Hard answer kinds and how each is read from a final-answer span. The kind is decided from the gold
// target alone (BBH's 27 tasks use exactly these shapes), so a bare `grade --gold G --pred P` works.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "graders/logic/answer_span.h"

namespace r1eval::graders::logic {

enum class AnswerKind {
  kOption,     // "(B)": multiple choice
  kTrueFalse,  // boolean_expressions
  kYesNo,      // causal_judgement, navigate, sports_understanding, web_of_lies
  kValidity,   // formal_fallacies: valid / invalid
  kNumber,     // multistep_arithmetic_two, object_counting
  kDyck,       // dyck_languages: the closing brackets, space separated
  kWords,      // word_sorting: the words in order
};

AnswerKind detect_kind(std::string_view gold);
std::string_view kind_name(AnswerKind kind);

// The gold target in normalized form: "B", "true", "yes", "invalid", "-68", "] ) >", "apple banana".
std::string normalize_gold(AnswerKind kind, std::string_view gold);

// The model's answer in the same normalized form, or "" when the span holds none. `problem` may carry the BBH
// input ("input"): its "Options:" lines let an answer given as the option's text count, and its bracket sequence
// lets a Dyck answer that repeats the whole sequence count.
std::string read_answer(AnswerKind kind, const AnswerSpan& span, const nlohmann::json& problem);

}  // namespace r1eval::graders::logic
