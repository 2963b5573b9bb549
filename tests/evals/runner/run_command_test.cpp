// `r1eval run` over all eleven real suites with --samples 2 --limit 2 writes 4 samples per suite to the
// sample_results view, and `r1eval report` renders the run as md, html and json (issue 5's acceptance check, on the
// bundled toy model with a small token budget so it takes seconds).
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval {
namespace {

namespace fs = std::filesystem;

const std::string kProgram = std::string(R1EVAL_BINARY_DIR) + "/cli/r1eval";
const std::vector<std::string> kSuites = {"gsm8k", "math500", "math",          "aime2024", "aime2025",      "amc2023",
                                          "humaneval", "mbpp", "livecodebench", "bbh",      "knights-knaves"};

int run(const std::string& arguments, const fs::path& out) {
  const std::string command = kProgram + " " + arguments + " > " + out.string() + " 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(RunCommand, ElevenSuitesTwoSamplesTwoProblemsThenEveryReportFormat) {
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-output" / "run_command";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path db = dir / "results.sqlite";
  std::string suites;
  for (const std::string& s : kSuites) suites += (suites.empty() ? "" : ",") + s;
  ASSERT_EQ(
      run("run --suite " + suites + " --samples 2 --limit 2 --max-new-tokens 24 --db " + db.string(), dir / "run.txt"),
      0)
      << read(dir / "run.txt");

  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(handle, "SELECT suite, count(*) FROM sample_results GROUP BY suite", -1, &statement, nullptr),
      SQLITE_OK);
  std::map<std::string, int> counts;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    counts[reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))] = sqlite3_column_int(statement, 1);
  }
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  ASSERT_EQ(counts.size(), kSuites.size());
  for (const std::string& s : kSuites) EXPECT_EQ(counts[s], 4) << s;

  ASSERT_EQ(run("report --db " + db.string() + " --format md", dir / "report.md"), 0) << read(dir / "report.md");
  const std::string markdown = read(dir / "report.md");
  for (const std::string& s : kSuites) EXPECT_NE(markdown.find("| " + s + " |"), std::string::npos) << s;

  ASSERT_EQ(
      run("report --db " + db.string() + " --format html --out " + (dir / "report.html").string(), dir / "html.txt"), 0)
      << read(dir / "html.txt");
  const std::string html = read(dir / "report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("livecodebench"), std::string::npos);

  ASSERT_EQ(run("report --db " + db.string() + " --format json", dir / "report.json"), 0) << read(dir / "report.json");
  const nlohmann::json report = nlohmann::json::parse(read(dir / "report.json"));
  std::map<std::string, double> samples_metric;
  for (const auto& m : report.at("metrics")) {
    if (m.at("metric") == "samples") samples_metric[m.at("suite").get<std::string>()] = m.at("value").get<double>();
  }
  for (const std::string& s : kSuites) EXPECT_EQ(samples_metric[s], 4.0) << s;
  EXPECT_EQ(samples_metric["all"], 44.0);
}

// bf16 activations change completions: the same command with --activations bf16 makes a run of its own, whose
// provenance says so, while repeating the float32 command resumes (finds) the float32 run.
TEST(RunCommand, Bf16ActivationsMakeARunOfTheirOwnAndTheProvenanceSaysSo) {
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-output" / "run_command_bf16";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path db = dir / "results.sqlite";
  const std::string command = "run --suite arith:3 --samples 1 --max-new-tokens 16 --db " + db.string();
  ASSERT_EQ(run(command, dir / "f32.txt"), 0) << read(dir / "f32.txt");
  ASSERT_EQ(run(command + " --activations bf16", dir / "bf16.txt"), 0) << read(dir / "bf16.txt");
  ASSERT_EQ(run(command, dir / "again.txt"), 0) << read(dir / "again.txt");
  EXPECT_NE(read(dir / "again.txt").find("3 found in"), std::string::npos) << read(dir / "again.txt");

  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(handle, "SELECT provenance FROM runs ORDER BY run_id", -1, &statement, nullptr),
            SQLITE_OK);
  std::vector<std::string> inputs;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    const auto provenance = nlohmann::json::parse(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
    inputs.push_back(provenance.at("backend").at("matmul_inputs").get<std::string>());
  }
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  EXPECT_EQ(inputs, (std::vector<std::string>{"f32", "bf16"}));
}

// One number from a read-only query.
double scalar(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
  const double value = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_double(statement, 0) : -1.0;
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  return value;
}

// The cost is the stored token counts at the given prices, worked out here in SQL from the samples; a resume
// without prices keeps the prices the run's metrics carry.
TEST(RunCommand, CostAtTheGivenPricesFromTheStoredTokenCountsKeptOnResume) {
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-output" / "run_command_cost";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path db = dir / "results.sqlite";
  const std::string run_args = "run --suite arith --limit 4 --samples 2 --max-new-tokens 24 --db " + db.string();
  ASSERT_EQ(run(run_args + " --price-in 0.55 --price-out 2.19", dir / "run.txt"), 0) << read(dir / "run.txt");
  EXPECT_NE(read(dir / "run.txt").find("at $0.55 in / $2.19 out per million tokens"), std::string::npos)
      << read(dir / "run.txt");
  const double expected =
      scalar(db, "SELECT (sum(prompt_tokens) * 0.55 + sum(completion_tokens) * 2.19) / 1e6 FROM samples");
  EXPECT_GT(expected, 0.0);
  EXPECT_NEAR(scalar(db, "SELECT value FROM run_metrics WHERE suite = 'arith' AND metric = 'cost_usd'"), expected,
              1e-12);
  EXPECT_NEAR(scalar(db, "SELECT value FROM run_metrics WHERE suite = 'all' AND metric = 'cost_usd'"), expected, 1e-12);

  ASSERT_EQ(run(run_args, dir / "resume.txt"), 0) << read(dir / "resume.txt");
  EXPECT_NEAR(scalar(db, "SELECT value FROM run_metrics WHERE suite = 'all' AND metric = 'cost_usd'"), expected, 1e-12);
  EXPECT_EQ(scalar(db, "SELECT value FROM run_metrics WHERE metric = 'price_output_usd_per_mtok'"), 2.19);

  // One price without the other is a usage error, caught before a database exists.
  const fs::path other = dir / "other.sqlite";
  EXPECT_EQ(run("run --suite arith --limit 1 --price-in 1 --db " + other.string(), dir / "half.txt"), 2)
      << read(dir / "half.txt");
  EXPECT_FALSE(fs::exists(other));
}

TEST(RunCommand, BadInputGivesOneSentenceAndExitOne) {
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-output" / "run_command_errors";
  fs::create_directories(dir);
  const std::string db = (dir / "x.sqlite").string();
  EXPECT_EQ(run("run --suite gsm8 --db " + db, dir / "unknown.txt"), 1);
  EXPECT_NE(read(dir / "unknown.txt").find("did you mean 'gsm8k'"), std::string::npos) << read(dir / "unknown.txt");
  EXPECT_EQ(run("run --suite arith --model /nonexistent/model --db " + db, dir / "model.txt"), 1);
  EXPECT_NE(read(dir / "model.txt").find("/nonexistent/model"), std::string::npos) << read(dir / "model.txt");
  EXPECT_EQ(run("run --suite arith:zero --db " + db, dir / "limit.txt"), 1);
  EXPECT_NE(read(dir / "limit.txt").find("NAME:LIMIT"), std::string::npos) << read(dir / "limit.txt");
  EXPECT_EQ(run("report --db " + (dir / "absent.sqlite").string(), dir / "absent.txt"), 1);
  EXPECT_NE(read(dir / "absent.txt").find("no results database"), std::string::npos) << read(dir / "absent.txt");
  EXPECT_EQ(run("compare --db " + db + " --run 1 --baseline paper:DeepSeek-R2", dir / "baseline.txt"), 1);
}

}  // namespace
}  // namespace r1eval
