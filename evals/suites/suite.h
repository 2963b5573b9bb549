// A suite: one declarative file (evals/suites/<name>.json) naming its data, prompt, grader and defaults.
// The registry reads the bundled files once; unknown names fail with "did you mean".
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "datasets/problem.h"

namespace r1eval::evals {

struct Suite {
  std::string name;             // "gsm8k", "math500", "bbh"...
  std::string version;          // bumped when the prompt, data selection or answer policy changes
  std::string description;
  std::string loader;           // dataset loader name (datasets/)
  std::vector<std::string> files;  // data files relative to the datasets/ folder
  std::string instruction;      // added to each problem's prompt (R1's math instruction...)
  std::string instruction_position;  // "after" (default) or "before" the problem text
  std::string answer_policy;    // how the grader reads the answer: "boxed", "answer_tag", "code_block", "choice"...
  std::string grader;           // graders registry name
  std::int64_t default_samples = 1;
  std::int64_t r1_protocol_samples = 1;  // k the R1 paper used for this benchmark
  std::int64_t max_new_tokens = 32768;
  std::string language = "en";  // target language of the reasoning (language consistency)
};

// Every bundled suite, sorted by name. Reads `suites_dir` (default: the repository's evals/suites) once.
const std::vector<Suite>& all_suites();
// Throws std::invalid_argument "unknown suite 'x'; did you mean 'y'?" (listing the names when nothing is close).
const Suite& find_suite(std::string_view name);
// The problems of a suite, in its fixed order; limit > 0 takes the first `limit` (for bbh: in total across tasks,
// taken round-robin over the tasks so every task is represented). Throws naming the file on bad data.
datasets::Dataset load_suite_problems(const Suite& suite, std::int64_t limit);
// The user message for one problem: the problem text with the suite's instruction.
std::string user_message(const Suite& suite, const datasets::Problem& problem);

}  // namespace r1eval::evals
