// Math grading throughput, single thread, on MATH-500 answers (the MATH test problems flagged in_math500).
//   OwnSolutions: the full reference solution graded against its gold (extraction + an equal answer).
//   OtherAnswer:  a short completion boxing another problem's answer (the full parse and compare path, since
//                 the texts differ).
//   Reformatted:  a completion boxing the gold rewritten (\frac{A}{B} as (A)/(B), N as N.0), so the texts
//                 differ but the values match.
//   AutoProse:    under the "auto" policy, an R1-style completion (reasoning, </think>, then prose) that states the
//                 rewritten gold without a box: "... so the final answer is $…$." — the extraction falls through
//                 the box, #### and reaches the announcing phrase, then the full compare path.
// Each reports verdicts_per_s (CPU time) and correct_share (the share of verdicts that were "correct").
#include <fstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "graders/grader.h"
#include "graders/math/math_grader.h"

namespace {

struct Row {
  std::string solution;
  std::string answer;
};

const std::vector<Row>& math500() {
  static const std::vector<Row> rows = [] {
    std::vector<Row> out;
    std::ifstream file(std::string(R1EVAL_SOURCE_DIR) + "/datasets/math/math/test.jsonl");
    std::string line;
    while (std::getline(file, line)) {
      const nlohmann::json row = nlohmann::json::parse(line);
      if (row.value("in_math500", false)) out.push_back({row["solution"], row["answer"]});
    }
    return out;
  }();
  return rows;
}

// Rewrites \frac{A}{B} as (A)/(B) and an integer N as N.0: the text changes, the value does not.
std::string reformat(const std::string& answer) {
  if (!answer.empty() && answer.find_first_not_of("0123456789") == std::string::npos) {
    std::string decimal = answer;
    decimal.append(".0");
    return decimal;
  }
  std::string out;
  std::size_t i = 0;
  while (i < answer.size()) {
    const bool frac = answer.compare(i, 6, "\\frac{") == 0 || answer.compare(i, 7, "\\dfrac{") == 0;
    if (!frac) {
      out += answer[i++];
      continue;
    }
    i = answer.find('{', i);
    std::string parts[2];
    bool ok = true;
    for (std::string& part : parts) {
      if (i >= answer.size() || answer[i] != '{') {
        ok = false;
        break;
      }
      int depth = 0;
      const std::size_t start = i;
      for (; i < answer.size(); ++i) {
        if (answer[i] == '{') ++depth;
        if (answer[i] == '}' && --depth == 0) break;
      }
      part = answer.substr(start + 1, i - start - 1);
      ++i;
    }
    if (!ok) return answer;
    out += '(';
    out += reformat(parts[0]);
    out += ")/(";
    out += reformat(parts[1]);
    out += ')';
  }
  return out;
}

void run(benchmark::State& state, const std::vector<r1eval::graders::GradeRequest>& requests) {
  const auto grader = r1eval::graders::math::make_math_grader();
  if (requests.empty()) {
    state.SkipWithError("datasets/math/math/test.jsonl not found");
    return;
  }
  std::size_t index = 0;
  std::size_t correct = 0;
  for (auto _ : state) {
    const r1eval::graders::Verdict verdict = grader->grade(requests[index]);
    correct += verdict.correct ? 1 : 0;
    index = (index + 1) % requests.size();
  }
  state.counters["correct_share"] = static_cast<double>(correct) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["verdicts_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                        benchmark::Counter::kIsRate);
}

void BM_MathGradeOwnSolutions(benchmark::State& state) {
  std::vector<r1eval::graders::GradeRequest> requests;
  for (const Row& row : math500()) requests.push_back({row.solution, row.answer, nullptr});
  run(state, requests);
}

void BM_MathGradeOtherAnswer(benchmark::State& state) {
  std::vector<r1eval::graders::GradeRequest> requests;
  const std::vector<Row>& rows = math500();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& other = rows[(i + 1) % rows.size()];
    requests.push_back({"Therefore the answer is $\\boxed{" + other.answer + "}$.", rows[i].answer, nullptr});
  }
  run(state, requests);
}

void BM_MathGradeReformatted(benchmark::State& state) {
  std::vector<r1eval::graders::GradeRequest> requests;
  for (const Row& row : math500()) {
    requests.push_back({"Therefore the answer is $\\boxed{" + reformat(row.answer) + "}$", row.answer, nullptr});
  }
  run(state, requests);
}

void BM_MathGradeAutoProse(benchmark::State& state) {
  std::vector<r1eval::graders::GradeRequest> requests;
  const nlohmann::json policy = {{"answer_policy", "auto"}};
  for (const Row& row : math500()) {
    requests.push_back(
        {"Let me work through it.\nWe first simplify, then check the cases; $x = 2$ gives $4$.\n</think>"
         "\n\nChecking every case, the final answer is $" +
             reformat(row.answer) + "$.",
         row.answer, policy});
  }
  run(state, requests);
}

BENCHMARK(BM_MathGradeOwnSolutions);
BENCHMARK(BM_MathGradeOtherAnswer);
BENCHMARK(BM_MathGradeReformatted);
BENCHMARK(BM_MathGradeAutoProse);

}  // namespace
