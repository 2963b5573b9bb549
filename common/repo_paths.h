// Where r1eval finds the files it ships beside the program: data sets, suite files, baselines, the bundled model and
// tokenizer, the code graders' problems. The one place that decides it, so one setting moves all of them.
#pragma once

#include <filesystem>

namespace r1eval::common {

// $R1EVAL_HOME when set and not empty (a checkout or an installed copy of the repository's files), else the source
// tree this program was built from.
std::filesystem::path repository_root();

std::filesystem::path datasets_dir();       // <root>/datasets
std::filesystem::path suites_dir();         // <root>/evals/suites
std::filesystem::path baselines_dir();      // <root>/evals/baselines
std::filesystem::path default_model_dir();  // <root>/models/toy-arith-r1zero: the bundled trained toy R1-Zero model
std::filesystem::path default_tokenizer_dir();  // <root>/datasets/tokenizers/deepseek-r1: R1's tokenizer files

}  // namespace r1eval::common
