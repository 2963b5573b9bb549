// Issue 20's property test: every command fed random and hostile arguments and files ends with status 0, 1, 2 or
// 130 (never a signal), says what went wrong on its last line of stderr, and leaves the results database whole.
// Deterministic (a fixed seed) and bounded: a few hundred invocations, each under a time limit.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "reports/db/results_db.h"
#include "tests/cli/cli_harness.h"

namespace {

namespace fs = std::filesystem;
using namespace cli_harness;
using r1eval::reports::db::ResultsDb;

constexpr int kInvocations = 240;
constexpr auto kBudget = std::chrono::seconds(50);  // stop early rather than exceed CI's minute

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Corpus {
  fs::path db;
  std::vector<std::string> values;
};

Corpus make_corpus() {
  const fs::path dir = scratch_dir() / "fuzz";
  fs::remove_all(dir);
  fs::create_directories(dir);
  Corpus c;
  c.db = dir / "results.sqlite";
  {
    ResultsDb db = ResultsDb::open(c.db);
    r1eval::reports::db::RunInfo info;
    info.run_key = "fuzz";
    info.suites = "arith";
    const auto run = db.begin_run(info);
    r1eval::reports::db::SampleRow row;
    row.run_id = run.run_id;
    row.suite = "arith";
    row.problem_id = "p";
    db.add_samples({&row, 1});
    db.set_run_status(run.run_id, "finished", "2026-01-01T00:00:00Z");
  }
  std::ofstream(dir / "garbage.bin", std::ios::binary) << std::string("\xff\xfe\x00\x01garbage\n", 12);
  std::ofstream(dir / "deep.jsonl") << std::string(50000, '[') << '\n';
  std::ofstream(dir / "rows.jsonl") << R"({"gold": "1", "pred": "\\boxed{1}"})"
                                    << "\n\xc3\x28\n";
  fs::create_symlink(c.db, dir / "link-to-db.html");
  c.values = {"",
              "-",
              "nan",
              "-nan",
              "inf",
              "-1",
              "0",
              "1",
              "2.5",
              "1e400",
              "18446744073709551616",
              "9223372036854775808",
              "abc",
              "1,x",
              "0,5,9",
              "\xff\xfe",
              std::string(3000, '['),
              std::string(5000, 'a'),
              "/nonexistent/x",
              dir.string(),
              c.db.string(),
              c.db.string() + "-wal",
              (dir / "link-to-db.html").string(),
              (dir / "garbage.bin").string(),
              (dir / "deep.jsonl").string(),
              (dir / "rows.jsonl").string(),
              golden("tiny-bf16").string(),
              "paper:DeepSeek-R1",
              "paper:nope",
              "md",
              "html",
              "json",
              "math",
              "r1",
              "tiny",
              "arth",
              "{\"a\": 1}"};
  return c;
}

// Every option of every command, a few misspelled ones, and some bare words.
const std::vector<std::string> kCommands = {"synth-model", "logits", "generate", "tokenize", "detokenize",
                                            "grade",       "suites", "run",      "report",   "compare",
                                            "regrade",     "audit",  "bench",    "reprot",   ""};
const std::vector<std::string> kOptions = {
    "--model",      "--tokens",  "--prompt",  "--max-new",        "--temperature", "--top-p",
    "--top-k",      "--seed",    "--threads", "--text",           "--messages",    "--ids",
    "--grader",     "--gold",    "--pred",    "--jsonl",          "--problem",     "--suite",
    "--db",         "--samples", "--limit",   "--max-new-tokens", "--preset",      "--generate",
    "--max-batch",  "--run",     "--format",  "--baseline",       "--out",         "--alpha",
    "--min-change", "--grading", "--policy",  "--preset",         "--activations", "--fomat",
    "--",           "-x"};
const std::vector<std::string> kFlags = {
    "--json",  "--all-positions",      "--ignore-eos", "--bench", "--force", "--fp8", "--add-generation-prompt",
    "--think", "--skip-special-tokens"};

std::string integrity_check(const fs::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  std::string result;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK) {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      result += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

TEST(CliFuzz, EveryCommandSurvivesHostileArgumentsAndTheDatabaseStaysWhole) {
  const Corpus corpus = make_corpus();
  std::mt19937_64 rng(20);
  const auto pick = [&](const auto& list) { return list[rng() % list.size()]; };
  const auto start = std::chrono::steady_clock::now();
  int ran = 0;
  for (; ran < kInvocations && std::chrono::steady_clock::now() - start < kBudget; ++ran) {
    const std::string command = pick(kCommands);
    std::string args = command;
    // `run` and `bench` would evaluate or measure for minutes with good arguments: give them a database in a
    // folder that does not exist, so they are checked to the door and stop there.
    const bool long_running = command == "run" || command == "bench";
    for (int n = static_cast<int>(rng() % 5); n > 0; --n) {
      const std::string option = pick(kOptions);
      if (long_running && option == "--db") continue;
      args += " " + option + " " + quoted(pick(corpus.values));
    }
    if (rng() % 3 == 0) args += " " + pick(kFlags);
    if (long_running) args += " --db /nonexistent/fuzz.sqlite";
    if (command == "generate") args += " --max-new 2";
    const Invocation r = run_shell("timeout -s KILL 20 " + r1eval_binary() + " " + args);
    SCOPED_TRACE("r1eval " + args.substr(0, 300));
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 2 || r.exit_code == 130)
        << "exit " << r.exit_code << "\n"
        << r.err.substr(0, 2000);
    EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err.substr(0, 2000);
    if (r.exit_code != 0) {
      std::string last = r.err;
      while (!last.empty() && last.back() == '\n') last.pop_back();
      last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
      EXPECT_FALSE(last.empty()) << "a failure without a word on stderr";
    }
  }
  EXPECT_GE(ran, 100) << "too few invocations in the time budget to mean much";
  const ResultsDb db = ResultsDb::open_read_only(corpus.db);
  ASSERT_EQ(db.runs().size(), 1u);
  EXPECT_EQ(db.samples(db.runs()[0].run_id).size(), 1u);
  EXPECT_EQ(integrity_check(corpus.db), "ok");
}

}  // namespace
