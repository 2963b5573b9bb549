// Issue 20, "validation at the door": bad numbers, unknown commands and unknown options are refused before
// anything runs, with one sentence that names the option or command (and the nearest known one), exit status 2,
// and no database file left behind.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/cli/cli_harness.h"

namespace {

namespace fs = std::filesystem;
using namespace cli_harness;

fs::path absent_db(const std::string& name) {
  const fs::path path = scratch_dir() / (name + ".sqlite");
  fs::remove(path);
  return path;
}

void expect_refused_at_the_door(const std::string& args, const std::string& must_name) {
  const fs::path db = absent_db(::testing::UnitTest::GetInstance()->current_test_info()->name());
  const Invocation r = run_r1eval("run --suite arith --limit 1 --db " + db.string() + " " + args);
  expect_one_sentence_error(r, must_name);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_LT(r.err.size(), 200u) << r.err;
  EXPECT_FALSE(fs::exists(db)) << args << " created the database";
}

TEST(CliValidation, NanTemperature) { expect_refused_at_the_door("--temperature nan", "--temperature"); }
TEST(CliValidation, NanTopP) { expect_refused_at_the_door("--top-p nan", "--top-p"); }
TEST(CliValidation, InfiniteTemperature) { expect_refused_at_the_door("--temperature inf", "from 0 to 100"); }
TEST(CliValidation, SeedPastTwoToThe64) { expect_refused_at_the_door("--seed 18446744073709551616", "--seed"); }
TEST(CliValidation, NegativeSeed) { expect_refused_at_the_door("--seed -1", "--seed"); }
TEST(CliValidation, ZeroSamplesNamesTheRangeInWords) {
  expect_refused_at_the_door("--samples 0", "--samples: must be a whole number from 1 to");
}
TEST(CliValidation, FractionalSamples) { expect_refused_at_the_door("--samples 2.5", "--samples"); }
TEST(CliValidation, UnknownOptionSuggestsTheNearest) {
  expect_refused_at_the_door("--temprature 0.6", "did you mean '--temperature'");
}

TEST(CliValidation, UnknownSuiteLeavesNoDatabase) {
  const fs::path db = absent_db("unknown-suite");
  expect_one_sentence_error(run_r1eval("run --suite arth --db " + db.string()), "arth");
  EXPECT_FALSE(fs::exists(db));
}

TEST(CliValidation, UnknownCommandSuggestsTheNearest) {
  const Invocation r = run_r1eval("reprot --db x.sqlite");
  expect_one_sentence_error(r, "unknown command 'reprot'; did you mean 'report'?");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliValidation, NoCommandListsThem) {
  const Invocation r = run_r1eval("");
  expect_one_sentence_error(r, "report");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliValidation, HelpAndVersionStillSucceed) {
  EXPECT_EQ(run_r1eval("--help").exit_code, 0);
  EXPECT_EQ(run_r1eval("--version").exit_code, 0);
  EXPECT_EQ(run_r1eval("run --help").exit_code, 0);
}

}  // namespace
