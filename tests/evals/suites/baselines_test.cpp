// The bundled paper baselines against the figures printed in the DeepSeek-R1 paper (arXiv 2501.12948: Table 2
// R1-Zero, Table 4 R1, Table 5 the distilled models) and the toy model's README, and bad baseline files.
#include <map>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "evals/suites/baselines.h"
#include "evals/suites/suite.h"
#include "tests/datasets/test_files.h"

namespace r1eval::evals::suites {
namespace {

using r1eval::testing::scratch_dir;
using r1eval::testing::write_bytes;

// (suite, metric) → value, for looking figures up.
std::map<std::pair<std::string, std::string>, BaselineFigure> by_key(const std::vector<BaselineFigure>& figures) {
  std::map<std::pair<std::string, std::string>, BaselineFigure> out;
  for (const BaselineFigure& figure : figures) out[{figure.suite, figure.metric}] = figure;
  return out;
}

TEST(PaperBaselines, DeepSeekR1AndR1Zero) {
  const auto r1 = by_key(paper_baseline("paper:DeepSeek-R1"));
  EXPECT_DOUBLE_EQ(r1.at({"aime2024", "pass@1"}).value, 0.798);
  EXPECT_DOUBLE_EQ(r1.at({"math500", "pass@1"}).value, 0.973);
  EXPECT_DOUBLE_EQ(r1.at({"livecodebench", "pass@1"}).value, 0.659);
  EXPECT_EQ(r1.at({"math500", "pass@1"}).source, "DeepSeek-R1 paper (arXiv 2501.12948), Table 4");
  EXPECT_FALSE(r1.at({"livecodebench", "pass@1"}).note.empty());  // the bundled set is not the paper's window

  const auto zero = by_key(paper_baseline("DeepSeek-R1-Zero"));  // the prefix may be left out
  EXPECT_DOUBLE_EQ(zero.at({"aime2024", "pass@1"}).value, 0.710);
  EXPECT_DOUBLE_EQ(zero.at({"aime2024", "cons@64"}).value, 0.867);
  EXPECT_DOUBLE_EQ(zero.at({"math500", "pass@1"}).value, 0.959);
  EXPECT_DOUBLE_EQ(zero.at({"livecodebench", "pass@1"}).value, 0.500);
  EXPECT_EQ(zero.at({"aime2024", "cons@64"}).source, "DeepSeek-R1 paper (arXiv 2501.12948), Table 2");
}

TEST(PaperBaselines, DistilledModelsFromTable5) {
  // AIME 2024 pass@1, cons@64, MATH-500 pass@1, LiveCodeBench pass@1, in percent as printed.
  const std::map<std::string, std::tuple<double, double, double, double>> table5 = {
      {"R1-Distill-Qwen-1.5B", {28.9, 52.7, 83.9, 16.9}}, {"R1-Distill-Qwen-7B", {55.5, 83.3, 92.8, 37.6}},
      {"R1-Distill-Qwen-14B", {69.7, 80.0, 93.9, 53.1}},  {"R1-Distill-Qwen-32B", {72.6, 83.3, 94.3, 57.2}},
      {"R1-Distill-Llama-8B", {50.4, 80.0, 89.1, 39.6}},  {"R1-Distill-Llama-70B", {70.0, 86.7, 94.5, 57.5}}};
  for (const auto& [model, row] : table5) {
    SCOPED_TRACE(model);
    const std::vector<BaselineFigure> figures = paper_baseline("paper:" + model);
    EXPECT_EQ(figures.size(), 4u);
    const auto f = by_key(figures);
    EXPECT_NEAR(f.at({"aime2024", "pass@1"}).value * 100, std::get<0>(row), 1e-9);
    EXPECT_NEAR(f.at({"aime2024", "cons@64"}).value * 100, std::get<1>(row), 1e-9);
    EXPECT_NEAR(f.at({"math500", "pass@1"}).value * 100, std::get<2>(row), 1e-9);
    EXPECT_NEAR(f.at({"livecodebench", "pass@1"}).value * 100, std::get<3>(row), 1e-9);
    for (const BaselineFigure& figure : figures)
      EXPECT_EQ(figure.source, "DeepSeek-R1 paper (arXiv 2501.12948), Table 5");
  }
}

TEST(PaperBaselines, ToyModelAndNames) {
  const auto toy = by_key(paper_baseline("paper:toy-arith-r1zero"));
  EXPECT_DOUBLE_EQ(toy.at({"arith", "pass@1"}).value, 0.945);
  EXPECT_DOUBLE_EQ(toy.at({"arith", "format_compliance"}).value, 1.0);
  const std::vector<std::string> names = paper_baseline_names();
  EXPECT_EQ(names.size(), 9u);
  for (const std::string& name : names) {
    EXPECT_EQ(name.rfind("paper:", 0), 0u) << name;
    for (const BaselineFigure& figure : paper_baseline(name)) {
      EXPECT_NO_THROW(find_suite(figure.suite)) << name;
      EXPECT_GE(figure.value, 0.0);
      EXPECT_LE(figure.value, 1.0);
    }
  }
  R1EVAL_EXPECT_THROW_MESSAGE(paper_baseline("paper:DeepSeek-R2"), std::invalid_argument, message);
  EXPECT_EQ(message, "unknown paper baseline 'paper:DeepSeek-R2'; did you mean 'paper:DeepSeek-R1'?");
}

TEST(PaperBaselines, BadFilesAreRejectedWithTheBaselineNamed) {
  const std::filesystem::path file = scratch_dir() / "paper.json";
  const auto error_for = [&](const nlohmann::json& figure) {
    const nlohmann::json document = {
        {"baselines", {{"paper:X", {{"source", "somewhere"}, {"figures", nlohmann::json::array({figure})}}}}}};
    write_bytes(file, document.dump());
    try {
      read_baselines(file);
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(error_for({{"suite", "aime2024"}, {"metric", "pass@1"}, {"value", 79.8}}).find("needs a 'value' in [0, 1]"),
            std::string::npos);
  EXPECT_NE(error_for({{"suite", "aime24"}, {"metric", "pass@1"}, {"value", 0.5}})
                .find("baseline 'paper:X': unknown suite 'aime24'; did you mean 'aime2024'?"),
            std::string::npos);
  EXPECT_NE(error_for({{"suite", "aime2024"}, {"value", 0.5}}).find("missing or empty string 'metric'"),
            std::string::npos);
  const nlohmann::json ok = {{"suite", "aime2024"}, {"metric", "pass@1"}, {"value", 0.5}};
  EXPECT_EQ(error_for(ok), "(no error)");
  EXPECT_EQ(read_baselines(file).at("paper:X").at(0).source, "somewhere");
}

}  // namespace
}  // namespace r1eval::evals::suites
