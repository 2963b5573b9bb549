// Opening files that are not at the current schema: a version-1 database built from a frozen SQL script is
// migrated with its rows kept; garbage, newer and foreign files are refused with the file named and left as they
// were.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string>

#include "reports/results_db.h"
#include "tests/reports/db_test_support.h"

namespace r1eval::reports {
namespace {

using testing::RawDb;
using testing::read_bytes;
using testing::scratch_dir;
using testing::write_bytes;

const std::filesystem::path kSchemaV1Script =
    std::filesystem::path(R1EVAL_SOURCE_DIR) / "tests" / "reports" / "data" / "schema_v1.sql";

std::filesystem::path make_v1_database(const std::filesystem::path& dir) {
  const auto file = dir / "v1.db";
  RawDb raw(file);
  raw.exec(read_bytes(kSchemaV1Script));
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "1");
  return file;
}

// Runs `open` and returns the DbError's message, failing the test when nothing is thrown.
std::string open_error(const std::filesystem::path& file) {
  try {
    ResultsDb::open(file);
  } catch (const DbError& e) {
    return e.what();
  }
  ADD_FAILURE() << "opening " << file << " did not throw";
  return {};
}

TEST(ReportsDbMigration, VersionOneFileIsMigratedWithItsRows) {
  const auto file = make_v1_database(scratch_dir());
  {
    auto db = ResultsDb::open(file);
    EXPECT_EQ(db.schema_version(), 2);

    const auto runs = db.runs();
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].run_id, 1);
    EXPECT_EQ(runs[0].run_key, "v1-run-key");
    EXPECT_EQ(runs[0].status, "finished");
    EXPECT_EQ(runs[0].finished_at, "2026-10-01T09:30:00Z");
    EXPECT_EQ(runs[0].suites, "gsm8k,math500");
    EXPECT_EQ(runs[0].samples, 2);
    EXPECT_EQ(runs[0].limit, 2);
    EXPECT_EQ(runs[0].max_new_tokens, 4096);
    EXPECT_EQ(runs[0].temperature, 0.6);
    EXPECT_EQ(runs[0].top_p, 0.95);
    EXPECT_EQ(runs[0].seed, std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(runs[0].provenance, nlohmann::json({{"r1eval", "0.0.9"}, {"git", "0123abc"}}));
    EXPECT_EQ(runs[1].status, "interrupted");
    EXPECT_EQ(runs[1].finished_at, "");
    EXPECT_EQ(runs[1].seed, 7u);

    const auto samples = db.samples(1);
    ASSERT_EQ(samples.size(), 3u);
    EXPECT_EQ(samples[0].problem_id, "gsm8k/0");
    EXPECT_EQ(samples[0].completion, "<think>2+2</think> \\boxed{4}");
    EXPECT_TRUE(samples[0].correct);
    EXPECT_EQ(samples[0].outcome, 0);
    EXPECT_EQ(samples[0].extracted, "4");
    EXPECT_EQ(samples[0].detail, "equal");
    EXPECT_EQ(samples[0].prompt_tokens, 57);
    EXPECT_EQ(samples[0].completion_tokens, 12);
    EXPECT_TRUE(samples[0].format_ok);
    EXPECT_TRUE(samples[0].has_answer);
    EXPECT_EQ(samples[1].sample_index, 1);
    EXPECT_FALSE(samples[1].correct);
    EXPECT_EQ(samples[2].suite, "math500");
    EXPECT_EQ(samples[2].completion, "<think>∫ x dx = ½x²</think>");
    EXPECT_EQ(samples[2].finish_reason, "length");
    EXPECT_FALSE(samples[2].has_answer);
    for (const auto& row : samples) {  // the columns version 2 added read as the struct's defaults
      EXPECT_EQ(row.language_share, 1.0);
      EXPECT_EQ(row.prefill_seconds, 0.0);
      EXPECT_EQ(row.decode_seconds, 0.0);
    }

    const auto metrics = db.metrics(1);
    ASSERT_EQ(metrics.size(), 2u);
    EXPECT_EQ(metrics[0].metric, "pass@1");
    EXPECT_EQ(metrics[0].ci_high, 1.0);
    EXPECT_EQ(metrics[1].metric, "format_compliance");
    EXPECT_FALSE(metrics[1].ci_low.has_value());

    // The migrated file takes version-2 rows.
    SampleRow row = samples[2];
    row.sample_index = 1;
    row.language_share = 0.75;
    row.decode_seconds = 2.5;
    db.add_samples(std::span(&row, 1));
    EXPECT_EQ(db.samples(1).back().language_share, 0.75);
    BenchInfo bench;
    bench.model = "tiny";
    EXPECT_GT(db.begin_bench(bench).bench_id, 0);
  }
  RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "2");
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM samples"), "5");
  // Version-1 rows were never measured: NULL in the view, not a made-up number.
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sample_results WHERE language_share IS NULL AND prefill_seconds IS NULL "
                       "AND decode_seconds IS NULL"),
            "4");
  EXPECT_EQ(raw.scalar("SELECT outcome_name FROM sample_results WHERE problem_id = 'aime2024/3'"), "format_error");
}

TEST(ReportsDbMigration, AFailedStepLeavesTheFileAtTheOldVersion) {
  const auto file = make_v1_database(scratch_dir());
  {
    RawDb raw(file);
    raw.exec("CREATE TABLE benches (x)");  // collides with a table version 2 creates
  }
  const std::string message = open_error(file);
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("version 2"), std::string::npos) << message;
  RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "1");
  EXPECT_EQ(raw.columns("samples").size(), 17u);  // none of the new columns
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM samples"), "4");
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
}

TEST(ReportsDbMigration, GarbageFileIsRefusedAndLeftAlone) {
  const auto dir = scratch_dir();
  for (const std::string& bytes : {std::string("hello"), std::string(4096, 'x'), std::string("SQLite format 2\n") +
                                                                                     std::string(1000, '\0')}) {
    const auto file = dir / "garbage.db";
    write_bytes(file, bytes);
    const std::string message = open_error(file);
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_NE(message.find("not an SQLite database"), std::string::npos) << message;
    EXPECT_EQ(read_bytes(file), bytes);
    EXPECT_FALSE(std::filesystem::exists(dir / "garbage.db-wal"));
  }
}

TEST(ReportsDbMigration, NewerSchemaIsRefused) {
  const auto file = make_v1_database(scratch_dir());
  {
    RawDb raw(file);
    raw.exec("PRAGMA user_version = 99");
  }
  const std::string before = read_bytes(file);
  const std::string message = open_error(file);
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("schema version 99"), std::string::npos) << message;
  EXPECT_NE(message.find("newer"), std::string::npos) << message;
  EXPECT_EQ(read_bytes(file), before);
}

TEST(ReportsDbMigration, ForeignDatabaseIsRefusedAndLeftAlone) {
  const auto dir = scratch_dir();
  const auto plain = dir / "plain.db";
  const auto versioned = dir / "versioned.db";
  {
    RawDb raw(plain);
    raw.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')");
    RawDb other(versioned);
    other.exec("CREATE TABLE things (x); PRAGMA user_version = 1");
  }
  for (const auto& file : {plain, versioned}) {
    const std::string before = read_bytes(file);
    const std::string message = open_error(file);
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_NE(message.find("another program"), std::string::npos) << message;
    EXPECT_EQ(read_bytes(file), before);
    RawDb raw(file);
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "delete");  // not switched to WAL
  }
}

TEST(ReportsDbMigration, EmptyFileBecomesANewDatabase) {
  const auto file = scratch_dir() / "empty.db";
  write_bytes(file, "");
  auto db = ResultsDb::open(file);
  EXPECT_EQ(db.schema_version(), ResultsDb::current_schema_version());
}

TEST(ReportsDbMigration, UnopenablePathIsNamed) {
  const auto dir = scratch_dir();
  for (const auto& path : {dir, dir / "missing-folder" / "results.db"}) {
    const std::string message = open_error(path);
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  }
}

TEST(ReportsDbMigration, ReopeningACurrentFileChangesNothing) {
  const auto file = scratch_dir() / "results.db";
  { ResultsDb::open(file); }
  const std::string before = read_bytes(file);
  {
    auto db = ResultsDb::open(file);
    EXPECT_EQ(db.schema_version(), 2);
  }
  EXPECT_EQ(read_bytes(file), before);
}

}  // namespace
}  // namespace r1eval::reports
