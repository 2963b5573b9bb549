// Opening files that are not at the current schema: a version-1 database built from a frozen SQL script, and
// version-2 and version-3 ones built from it and the released steps, are migrated with their rows kept; garbage,
// newer and foreign files are refused with the file named and left as they were.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "reports/db/results_db.h"
#include "reports/db/schema.h"
#include "tests/reports/db/db_test_support.h"

namespace r1eval::reports::db {
namespace {

using testing::RawDb;
using testing::read_bytes;
using testing::scratch_dir;
using testing::write_bytes;

const std::filesystem::path kSchemaV1Script =
    std::filesystem::path(R1EVAL_SOURCE_DIR) / "tests" / "reports" / "db" / "data" / "schema_v1.sql";

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
    EXPECT_EQ(db.schema_version(), 4);

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
    const auto bench_id = db.begin_bench(bench).bench_id;
    EXPECT_GT(bench_id, 0);
    // ... and version-3 rows.
    const std::vector<KernelResultRow> kernels = {
        {bench_id, "rope", "n=64", "f32", "avx2", 2.0, 1.0, 1.0, 1.0, 3, {1.0, 2.0, 4.0}}};
    db.add_kernel_results(kernels);
    EXPECT_EQ(db.kernel_results(bench_id).at(0).repetition_seconds, (std::vector<double>{1.0, 2.0, 4.0}));
  }
  RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "4");
  EXPECT_EQ(raw.scalar("SELECT repetition_seconds FROM kernel_results"), "[1.0,2.0,4.0]");
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

// A version-2 file: the frozen version-1 script, then the released version-2 step as the code holds it, with one
// kernel timing and one throughput row written the way a version-2 build wrote them.
std::filesystem::path make_v2_database(const std::filesystem::path& dir) {
  const auto file = make_v1_database(dir);
  RawDb raw(file);
  const auto steps = schema::migrations();
  if (steps.size() < 2 || steps[1].version != 2) {
    ADD_FAILURE() << "the schema has no version-2 step";
    return file;
  }
  raw.exec(std::string(steps[1].sql));
  raw.exec("PRAGMA user_version = 2");
  raw.exec(R"sql(
    INSERT INTO benches (bench_id, started_at, model, machine, provenance)
      VALUES (1, '2026-11-28T10:00:00Z', 'tiny', '{"cores":2}', '{}');
    INSERT INTO kernel_timings (bench_id, kernel, shape, dtype, backend, seconds, gflops, gbps, roofline_pct,
                                repetitions)
      VALUES (1, 'matmul', 'm=1,k=64,n=64', 'bf16', 'avx2', 0.00125, 17.5, 35.0, 41.0, 5);
    INSERT INTO throughput_measurements (bench_id, model, phase, batch, context, tokens_per_s, cost_per_mtok_usd,
                                         price_basis, projection)
      VALUES (1, 'tiny', 'decode', 8, 128, 250.0, 0.5, 'cpu', 0);
  )sql");
  return file;
}

TEST(ReportsDbMigration, VersionTwoFileGainsRepetitionTimesWithItsRowsKept) {
  const auto file = make_v2_database(scratch_dir());
  {
    auto db = ResultsDb::open(file);
    EXPECT_EQ(db.schema_version(), 4);
    const auto benches = db.benches();
    ASSERT_EQ(benches.size(), 1u);
    EXPECT_EQ(benches[0].machine, nlohmann::json({{"cores", 2}}));
    const auto kernels = db.kernel_results(1);
    ASSERT_EQ(kernels.size(), 1u);
    EXPECT_EQ(kernels[0].kernel, "matmul");
    EXPECT_EQ(kernels[0].seconds, 0.00125);
    EXPECT_EQ(kernels[0].repetitions, 5);
    EXPECT_TRUE(kernels[0].repetition_seconds.empty());  // version 2 did not keep them
    ASSERT_EQ(db.throughput(1).size(), 1u);
    EXPECT_EQ(db.throughput(1)[0].tokens_per_s, 250.0);

    const std::vector<KernelResultRow> rows = {{1, "rope", "n=64", "f32", "avx2", 0.5, 1.0, 1.0, 1.0, 2, {0.25, 0.75}}};
    db.add_kernel_results(rows);
    EXPECT_EQ(db.kernel_results(1).at(1).repetition_seconds, (std::vector<double>{0.25, 0.75}));
  }
  RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "4");
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  // The view keeps its version-2 columns in order and adds the new one at the end; old rows read NULL.
  const auto columns = raw.columns("kernel_results");
  ASSERT_EQ(columns.size(), 13u);
  EXPECT_EQ(columns[9], "repetitions");
  EXPECT_EQ(columns[11], "machine");
  EXPECT_EQ(columns[12], "repetition_seconds");
  EXPECT_EQ(raw.query("SELECT repetition_seconds FROM kernel_results ORDER BY shape"),
            (std::vector<RawDb::Row>{{std::nullopt}, {"[0.25,0.75]"}}));
}

TEST(ReportsDbMigration, AFailedVersionThreeStepLeavesTheFileAtVersionTwo) {
  const auto file = make_v2_database(scratch_dir());
  {
    RawDb raw(file);
    raw.exec("ALTER TABLE kernel_timings ADD COLUMN repetition_seconds TEXT");  // collides with version 3's column
  }
  const std::string message = open_error(file);
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("version 3"), std::string::npos) << message;
  RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "2");
  EXPECT_EQ(raw.columns("kernel_results").size(), 12u);  // the version-2 view is still there
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM kernel_timings"), "1");
}

// A version-3 file: the version-2 one, the released version-3 step, and a run with an identity naming its graders
// (as the runner writes it), samples and metrics, written the way a version-3 build wrote them.
std::filesystem::path make_v3_database(const std::filesystem::path& dir) {
  const auto file = make_v2_database(dir);
  RawDb raw(file);
  const auto steps = schema::migrations();
  if (steps.size() < 3 || steps[2].version != 3) {
    ADD_FAILURE() << "the schema has no version-3 step";
    return file;
  }
  raw.exec(std::string(steps[2].sql));
  raw.exec("PRAGMA user_version = 3");
  raw.exec(R"sql(
    INSERT INTO runs (run_id, run_key, status, started_at, model, template_name, suites, samples, problem_limit,
                      max_new_tokens, temperature, top_p, seed, provenance)
      VALUES (3, 'v3-run-key', 'finished', '2026-12-01T08:00:00Z', 'tiny', 'r1', 'arith,gsm8k', 2, 1, 64, 0.6, 0.95,
              '0', '{"identity": {"suites": [{"name": "arith", "grader": "math", "grader_version": "math-7"},
                                             {"name": "gsm8k", "grader": "math", "grader_version": "math-7"}]}}');
    INSERT INTO metrics (run_id, suite, metric, value, ci_low, ci_high, n) VALUES
      (3, 'arith', 'pass@1', 0.5, 0.0, 1.0, 1), (3, 'all', 'pass@1', 0.25, NULL, NULL, 2);
  )sql");
  return file;
}

TEST(ReportsDbMigration, VersionThreeFileGainsGradingsWithItsRowsKept) {
  const auto file = make_v3_database(scratch_dir());
  {
    auto db = ResultsDb::open(file);
    EXPECT_EQ(db.schema_version(), 4);
    // Every run has its grading 1, with the graders its identity names (none for the version-1 runs).
    const auto gradings = db.gradings(3);
    ASSERT_EQ(gradings.size(), 1u);
    EXPECT_EQ(gradings[0].number, 1);
    EXPECT_EQ(gradings[0].created_at, "2026-12-01T08:00:00Z");
    EXPECT_EQ(gradings[0].graders, nlohmann::json::parse(R"({"arith": {"grader": "math", "version": "math-7"},
                                                              "gsm8k": {"grader": "math", "version": "math-7"}})"));
    EXPECT_EQ(gradings[0].policy, "");
    EXPECT_EQ(db.gradings(1).at(0).graders, nlohmann::json::object());
    EXPECT_EQ(db.latest_grading(2), 1);
    // The metrics are grading 1's.
    const auto metrics = db.metrics(3, 1);
    ASSERT_EQ(metrics.size(), 2u);
    EXPECT_EQ(metrics[0].suite, "arith");
    EXPECT_EQ(metrics[0].value, 0.5);
    EXPECT_EQ(metrics[1].ci_low, std::nullopt);
    EXPECT_EQ(db.metrics(1).size(), 2u);  // the version-1 run's too
    EXPECT_EQ(db.samples(1).size(), 3u);
  }
  RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "4");
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  EXPECT_TRUE(raw.query("PRAGMA foreign_key_check").empty());
  EXPECT_EQ(raw.scalar("SELECT group_concat(m, ',') FROM (SELECT metric_id || ':' || run_id || ':' || grading AS m "
                       "FROM metrics ORDER BY metric_id)"),
            "1:1:1,2:1:1,3:3:1,4:3:1");
  // The views keep their earlier columns in order and add the grading and the generation's details at the end; rows
  // from before read NULL for those.
  const auto samples = raw.columns("sample_results");
  ASSERT_EQ(samples.size(), 25u);
  EXPECT_EQ(samples[19], "decode_seconds");
  EXPECT_EQ(samples[20], "grading");
  EXPECT_EQ(samples[21], "max_new_tokens");
  EXPECT_EQ(samples[24], "system_fingerprint");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sample_results WHERE max_new_tokens IS NULL AND reasoning_tokens IS NULL "
                       "AND served_model IS NULL AND system_fingerprint IS NULL"),
            raw.scalar("SELECT count(*) FROM sample_results"));
  EXPECT_EQ(raw.columns("run_metrics"),
            (std::vector<std::string>{"run_id", "suite", "metric", "value", "ci_low", "ci_high", "n", "grading"}));
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sample_results WHERE run_id = 1 AND grading = 1"), "3");
}

TEST(ReportsDbMigration, GarbageFileIsRefusedAndLeftAlone) {
  const auto dir = scratch_dir();
  for (const std::string& bytes :
       {std::string("hello"), std::string(4096, 'x'), std::string("SQLite format 2\n") + std::string(1000, '\0')}) {
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
    EXPECT_EQ(db.schema_version(), 4);
  }
  EXPECT_EQ(read_bytes(file), before);
}

}  // namespace
}  // namespace r1eval::reports::db
