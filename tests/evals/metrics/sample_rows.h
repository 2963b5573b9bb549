// Building graded sample rows by hand for the metrics tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reports/db/results_db.h"

namespace r1eval::evals::metrics::test_rows {

// A well-formed, answered, finished sample; tests change the fields they are about.
inline reports::db::SampleRow graded_sample(const std::string& suite, const std::string& problem_id,
                                            std::int64_t problem_index, std::int64_t sample_index, bool correct) {
  reports::db::SampleRow row;
  row.run_id = 1;
  row.suite = suite;
  row.problem_id = problem_id;
  row.problem_index = problem_index;
  row.sample_index = sample_index;
  row.correct = correct;
  row.extracted = correct ? "right" : "wrong";
  row.has_answer = true;
  row.format_ok = true;
  row.finish_reason = "stop";
  row.completion_tokens = 10;
  row.language_share = 1.0;
  return row;
}

// `problems` problems of one suite; problem i has correct_of[i] correct samples out of `samples`.
inline std::vector<reports::db::SampleRow> suite_rows(const std::string& suite, const std::vector<int>& correct_of,
                                                      int samples) {
  std::vector<reports::db::SampleRow> rows;
  for (std::size_t i = 0; i < correct_of.size(); ++i) {
    for (int s = 0; s < samples; ++s) {
      rows.push_back(graded_sample(suite, suite + "-" + std::to_string(i), static_cast<std::int64_t>(i), s,
                            s < correct_of[i]));
    }
  }
  return rows;
}

}  // namespace r1eval::evals::metrics::test_rows
