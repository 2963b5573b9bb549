// A suite: one declarative file (evals/suites/<name>.json) naming its data, prompt, grader and defaults.
// The registry reads the bundled files once; unknown names fail with "did you mean".
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "datasets/problem.h"

namespace r1eval::evals::suites {

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

  // Added beyond the first contract:
  std::string chat_template = "r1";  // JSON key "template": "r1" (the model's chat template, response opened with
                                     // "<think>\n") or "r1-zero" (the paper's R1-Zero prompt, tokenizer name "r1-zero")
  std::string limit_order = "first";  // how --limit picks: "first" N, or "round_robin" over subsets (bbh's tasks)
  std::vector<std::string> extra_graders;  // JSON "also_graded_by": graders run beside `grader` (e.g. "format")
  std::string generator;        // datasets generator that can replace the files ("arith"), empty when none
  std::int64_t generate_count = 0;  // set by the runner (--generate N): > 0 uses the generator instead of the files
  std::uint64_t generate_seed = 0;  // the generator's seed (--seed)
  std::filesystem::path source_file;  // the suite file it was read from
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

// Added beyond the first contract:
//
// load_suite_problems returns each Problem::record as the source row plus the keys the graders read, so
// make_grader(suite.grader)->grade({completion, problem.gold, problem.record}) works as is:
//   "format"        the suite's template ("r1" or "r1-zero"); a runner using another template overwrites it
//   "language"      the suite's target language
//   "answer_policy" (math grader only) the suite's extraction policy
// A source row that already holds one of these keys is rejected as bad data.
//
// The same with the data read from `datasets_dir` (the repository's datasets/ folder by default).
datasets::Dataset load_suite_problems(const Suite& suite, std::int64_t limit,
                                      const std::filesystem::path& datasets_dir);
// Every suite file (*.json) in `dir`, parsed and checked, sorted by name. Throws std::invalid_argument naming the
// file and the key for a bad file.
std::vector<Suite> read_suites(const std::filesystem::path& dir);
// One suite from its JSON text; `file` names it in errors and must be "<name>.json".
Suite parse_suite(const std::string& json_text, const std::filesystem::path& file);
std::vector<std::string> suite_names();

}  // namespace r1eval::evals::suites
