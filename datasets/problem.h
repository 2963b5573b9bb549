// What every data set becomes: an ordered list of problems, plus a content hash of exactly what was read, so a
// report can say what was evaluated.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval::datasets {

struct Problem {
  std::string id;          // stable within the data set (the source's id, or its index when it has none)
  std::string subset;      // e.g. the BBH task name; empty when the data set has none
  std::string prompt;      // the question as the model should read it, before the suite's instruction is added
  nlohmann::json gold;     // what the grader compares with (string, number, or test lists for code)
  nlohmann::json record;   // the source row (graders read test lists, entry points... from it)
};

struct Dataset {
  std::string name;
  std::vector<Problem> problems;
  std::string content_hash;  // "sha256:<hex>" over the bytes of every file read (or the generator's name, seed, count)
};

}  // namespace r1eval::datasets
