// The grader registry: names, "did you mean", versions, and the stable outcome names.
#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "graders/grader.h"

namespace {

TEST(GraderRegistry, EveryListedNameMakesItsGrader) {
  const std::vector<std::string> names = r1eval::graders::grader_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "math"), names.end());
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size()) << "duplicate names";
  for (const std::string& name : names) {
    // Code graders refuse to start without a working sandbox (their own self-check); that is their business.
    std::unique_ptr<r1eval::graders::Grader> grader;
    try {
      grader = r1eval::graders::make_grader(name);
    } catch (const std::runtime_error& e) {
      EXPECT_NE(name, "math") << e.what();
      continue;
    }
    EXPECT_EQ(grader->name(), name);
    EXPECT_FALSE(grader->version().empty()) << name;
  }
}

TEST(GraderRegistry, UnknownNameSuggestsTheClosest) {
  try {
    r1eval::graders::make_grader("maht");
    FAIL() << "an unknown grader name must throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'math'"), std::string::npos) << e.what();
  }
}

TEST(GraderRegistry, OutcomeNamesAreStable) {
  using r1eval::graders::Outcome;
  using r1eval::graders::outcome_name;
  EXPECT_EQ(outcome_name(Outcome::kPass), "pass");
  EXPECT_EQ(outcome_name(Outcome::kFail), "fail");
  EXPECT_EQ(outcome_name(Outcome::kNoAnswer), "no_answer");
  EXPECT_EQ(outcome_name(Outcome::kTimeout), "timeout");
  EXPECT_EQ(outcome_name(Outcome::kMemoryLimit), "memory_limit");
  EXPECT_EQ(outcome_name(Outcome::kOutputLimit), "output_limit");
  EXPECT_EQ(outcome_name(Outcome::kRuntimeError), "runtime_error");
  EXPECT_EQ(outcome_name(Outcome::kSandboxError), "sandbox_error");
  EXPECT_EQ(outcome_name(Outcome::kFormatError), "format_error");
  EXPECT_EQ(outcome_name(Outcome::kNotGenerated), "not_generated");
  EXPECT_EQ(outcome_name(Outcome::kGraderError), "grader_error");
  EXPECT_EQ(static_cast<int>(Outcome::kFormatError), 8);  // stored in SQLite: never renumbered
  EXPECT_EQ(static_cast<int>(Outcome::kGraderError), 10);
}

TEST(GraderRegistry, InfrastructureOutcomesAreNotScored) {
  using r1eval::graders::is_scored;
  using r1eval::graders::Outcome;
  EXPECT_TRUE(is_scored(Outcome::kFail));
  EXPECT_TRUE(is_scored(Outcome::kNoAnswer));
  EXPECT_TRUE(is_scored(Outcome::kTimeout));  // the program's time, the model's doing
  EXPECT_TRUE(is_scored(Outcome::kFormatError));
  EXPECT_FALSE(is_scored(Outcome::kSandboxError));
  EXPECT_FALSE(is_scored(Outcome::kNotGenerated));
  EXPECT_FALSE(is_scored(Outcome::kGraderError));
}

}  // namespace
