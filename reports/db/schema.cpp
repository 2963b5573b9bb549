#include "reports/db/schema.h"

#include <map>
#include <string>

#include "graders/grader.h"

namespace r1eval::reports::db::schema {

namespace {

// Version 1: runs, their samples and metrics, and the two views of the evaluation API.
// Frozen: a released step is never edited (tests/reports/db/data/schema_v1.sql is a copy); change the schema by
// appending a step.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE runs (
  run_id         INTEGER PRIMARY KEY,
  run_key        TEXT NOT NULL UNIQUE CHECK (run_key <> ''),
  status         TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted')),
  started_at     TEXT NOT NULL,
  finished_at    TEXT,                 -- NULL while running
  model          TEXT NOT NULL,
  template_name  TEXT NOT NULL,
  suites         TEXT NOT NULL,        -- comma-separated, in the order given
  samples        INTEGER NOT NULL,     -- k per problem; 0: each suite's default
  problem_limit  INTEGER NOT NULL,     -- problems per suite; 0: all
  max_new_tokens INTEGER NOT NULL,
  temperature    REAL NOT NULL,
  top_p          REAL NOT NULL,
  seed           TEXT NOT NULL,        -- decimal: an unsigned 64-bit seed does not fit SQLite's INTEGER
  provenance     TEXT NOT NULL CHECK (json_valid(provenance))
);

-- Names of the graders' stable outcome codes (graders/grader.h), kept up to date on open.
CREATE TABLE outcomes (
  code INTEGER PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE samples (
  sample_id         INTEGER PRIMARY KEY,  -- insertion order
  run_id            INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  suite             TEXT NOT NULL,
  subset            TEXT NOT NULL,
  problem_id        TEXT NOT NULL,
  problem_index     INTEGER NOT NULL,
  sample_index      INTEGER NOT NULL,
  prompt_tokens     INTEGER NOT NULL,
  completion        TEXT NOT NULL,
  completion_tokens INTEGER NOT NULL,
  finish_reason     TEXT NOT NULL,
  correct           INTEGER NOT NULL CHECK (correct IN (0, 1)),
  outcome           INTEGER NOT NULL,
  extracted         TEXT NOT NULL,
  detail            TEXT NOT NULL,
  format_ok         INTEGER NOT NULL CHECK (format_ok IN (0, 1)),
  has_answer        INTEGER NOT NULL CHECK (has_answer IN (0, 1)),
  UNIQUE (run_id, suite, problem_id, sample_index)
);

CREATE TABLE metrics (
  metric_id INTEGER PRIMARY KEY,  -- insertion order
  run_id    INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  suite     TEXT NOT NULL,
  metric    TEXT NOT NULL,
  value     REAL,                 -- NULL: not a number
  ci_low    REAL,
  ci_high   REAL,
  n         INTEGER NOT NULL,
  UNIQUE (run_id, suite, metric)
);

CREATE VIEW sample_results AS
SELECT s.run_id, s.suite, s.subset, s.problem_id, s.problem_index, s.sample_index, s.completion, s.correct,
       s.outcome, COALESCE(o.name, 'unknown') AS outcome_name, s.extracted, s.detail, s.finish_reason,
       s.prompt_tokens, s.completion_tokens, s.format_ok, s.has_answer
FROM samples AS s LEFT JOIN outcomes AS o ON o.code = s.outcome;

CREATE VIEW run_metrics AS
SELECT run_id, suite, metric, value, ci_low, ci_high, n FROM metrics;
)sql";

// Version 2: per-sample language share and timings; the benchmark tables (r1eval bench) and their views.
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE samples ADD COLUMN language_share REAL;   -- NULL: not measured (rows from version 1)
ALTER TABLE samples ADD COLUMN prefill_seconds REAL;
ALTER TABLE samples ADD COLUMN decode_seconds REAL;

DROP VIEW sample_results;
CREATE VIEW sample_results AS
SELECT s.run_id, s.suite, s.subset, s.problem_id, s.problem_index, s.sample_index, s.completion, s.correct,
       s.outcome, COALESCE(o.name, 'unknown') AS outcome_name, s.extracted, s.detail, s.finish_reason,
       s.prompt_tokens, s.completion_tokens, s.format_ok, s.has_answer, s.language_share, s.prefill_seconds,
       s.decode_seconds
FROM samples AS s LEFT JOIN outcomes AS o ON o.code = s.outcome;

CREATE TABLE benches (
  bench_id   INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  model      TEXT NOT NULL,
  machine    TEXT NOT NULL CHECK (json_valid(machine)),
  provenance TEXT NOT NULL CHECK (json_valid(provenance))
);

CREATE TABLE kernel_timings (
  timing_id    INTEGER PRIMARY KEY,
  bench_id     INTEGER NOT NULL REFERENCES benches (bench_id) ON DELETE CASCADE,
  kernel       TEXT NOT NULL,
  shape        TEXT NOT NULL,
  dtype        TEXT NOT NULL,
  backend      TEXT NOT NULL,
  seconds      REAL,
  gflops       REAL,
  gbps         REAL,
  roofline_pct REAL,
  repetitions  INTEGER NOT NULL
);
CREATE INDEX kernel_timings_by_bench ON kernel_timings (bench_id);

CREATE TABLE throughput_measurements (
  measurement_id    INTEGER PRIMARY KEY,
  bench_id          INTEGER NOT NULL REFERENCES benches (bench_id) ON DELETE CASCADE,
  model             TEXT NOT NULL,
  phase             TEXT NOT NULL,
  batch             INTEGER NOT NULL,
  context           INTEGER NOT NULL,
  tokens_per_s      REAL,
  cost_per_mtok_usd REAL,
  price_basis       TEXT NOT NULL,
  projection        INTEGER NOT NULL CHECK (projection IN (0, 1))
);
CREATE INDEX throughput_measurements_by_bench ON throughput_measurements (bench_id);

CREATE VIEW kernel_results AS
SELECT k.bench_id, k.kernel, k.shape, k.dtype, k.backend, k.seconds, k.gflops, k.gbps, k.roofline_pct,
       k.repetitions, b.started_at, b.machine
FROM kernel_timings AS k JOIN benches AS b ON b.bench_id = k.bench_id;

CREATE VIEW throughput AS
SELECT t.bench_id, t.model, t.phase, t.batch, t.context, t.tokens_per_s, t.cost_per_mtok_usd, t.price_basis,
       t.projection, b.started_at, b.machine
FROM throughput_measurements AS t JOIN benches AS b ON b.bench_id = t.bench_id;
)sql";

// Version 3: the per-repetition times each kernel's median is taken over, for `r1eval compare --bench`.
constexpr std::string_view kVersion3 = R"sql(
-- A JSON array of seconds per call; NULL: not kept (rows from version 2).
ALTER TABLE kernel_timings ADD COLUMN repetition_seconds TEXT CHECK (repetition_seconds IS NULL OR
                                                                    json_valid(repetition_seconds));

DROP VIEW kernel_results;
CREATE VIEW kernel_results AS
SELECT k.bench_id, k.kernel, k.shape, k.dtype, k.backend, k.seconds, k.gflops, k.gbps, k.roofline_pct,
       k.repetitions, b.started_at, b.machine, k.repetition_seconds
FROM kernel_timings AS k JOIN benches AS b ON b.bench_id = k.bench_id;
)sql";

// Version 4: gradings. A run's stored completions can be graded again (r1eval regrade) without regenerating them;
// each grading is numbered per run, 1 being the grading done while generating, whose verdicts stay in the samples'
// own columns. A later grading stores one verdict per sample it graded; a sample it has no verdict for (stored
// after it, by a resumed run) shows grading 1's. Metrics are kept per grading. The views without a grading in
// their name (sample_results, run_metrics) show each run's latest grading, so existing queries keep one row per
// sample and per metric.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE gradings (
  grading_id INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  number     INTEGER NOT NULL CHECK (number >= 1),  -- 1, 2, 3... per run; 1: graded while generating
  created_at TEXT NOT NULL,
  graders    TEXT NOT NULL CHECK (json_valid(graders)),  -- {"suite": {"grader": name, "version": version}, ...}
  policy     TEXT,                                       -- the answer policy that overrode the suites'; NULL: none
  UNIQUE (run_id, number)
);

-- Grading 1 of each run, with the graders the run's identity names (the provenance records them per suite).
INSERT INTO gradings (run_id, number, created_at, graders)
SELECT r.run_id, 1, r.started_at,
       (SELECT json_group_object(json_extract(s.value, '$.name'),
                                 json_object('grader', json_extract(s.value, '$.grader'),
                                             'version', json_extract(s.value, '$.grader_version')))
        FROM json_each(r.provenance, '$.identity.suites') AS s)
FROM runs AS r;

-- Every new run gets its grading 1 in the same statement that stores it.
CREATE TRIGGER runs_first_grading AFTER INSERT ON runs BEGIN
  INSERT INTO gradings (run_id, number, created_at, graders)
  SELECT NEW.run_id, 1, NEW.started_at,
         (SELECT json_group_object(json_extract(s.value, '$.name'),
                                   json_object('grader', json_extract(s.value, '$.grader'),
                                               'version', json_extract(s.value, '$.grader_version')))
          FROM json_each(NEW.provenance, '$.identity.suites') AS s);
END;

-- The verdicts of gradings 2, 3...; grading 1's are the samples' own columns.
CREATE TABLE verdicts (
  grading_id INTEGER NOT NULL REFERENCES gradings (grading_id) ON DELETE CASCADE,
  sample_id  INTEGER NOT NULL REFERENCES samples (sample_id) ON DELETE CASCADE,
  correct    INTEGER NOT NULL CHECK (correct IN (0, 1)),
  outcome    INTEGER NOT NULL,
  extracted  TEXT NOT NULL,
  detail     TEXT NOT NULL,
  has_answer INTEGER NOT NULL CHECK (has_answer IN (0, 1)),
  PRIMARY KEY (grading_id, sample_id)
) WITHOUT ROWID;
CREATE INDEX verdicts_by_sample ON verdicts (sample_id);

-- A sample stored as not generated and generated when the run resumes (add_samples replaces the row in place) is a
-- new completion: the later gradings' copies of its old not_generated verdict go, so they show the verdict it was
-- given when generated until a regrade grades it again.
CREATE TRIGGER samples_regenerated AFTER UPDATE OF completion ON samples BEGIN
  DELETE FROM verdicts WHERE sample_id = NEW.sample_id;
END;

-- Metrics per grading: SQLite cannot change a UNIQUE constraint, so the table is rebuilt with its rows (grading 1).
CREATE TABLE metrics_v4 (
  metric_id INTEGER PRIMARY KEY,  -- insertion order
  run_id    INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  grading   INTEGER NOT NULL DEFAULT 1 CHECK (grading >= 1),  -- the grading's number
  suite     TEXT NOT NULL,
  metric    TEXT NOT NULL,
  value     REAL,                 -- NULL: not a number
  ci_low    REAL,
  ci_high   REAL,
  n         INTEGER NOT NULL,
  UNIQUE (run_id, grading, suite, metric)
);
INSERT INTO metrics_v4 (metric_id, run_id, grading, suite, metric, value, ci_low, ci_high, n)
SELECT metric_id, run_id, 1, suite, metric, value, ci_low, ci_high, n FROM metrics;
DROP VIEW run_metrics;
DROP TABLE metrics;
ALTER TABLE metrics_v4 RENAME TO metrics;

-- What each sample was generated with and by. NULL: not known (a row from before version 4, or a backend that does
-- not say).
ALTER TABLE samples ADD COLUMN max_new_tokens INTEGER;    -- the budget it had: the run's, or less where the context
                                                          -- left less after the prompt
ALTER TABLE samples ADD COLUMN reasoning_tokens INTEGER;  -- of completion_tokens, as an endpoint reported them
ALTER TABLE samples ADD COLUMN served_model TEXT;         -- the model id an endpoint's reply named
ALTER TABLE samples ADD COLUMN system_fingerprint TEXT;   -- an endpoint's system_fingerprint

-- Every grading's samples, each with that grading's verdict.
CREATE VIEW sample_verdicts AS
SELECT s.run_id, g.number AS grading, s.suite, s.subset, s.problem_id, s.problem_index, s.sample_index, s.completion,
       COALESCE(v.correct, s.correct) AS correct, COALESCE(v.outcome, s.outcome) AS outcome,
       COALESCE(o.name, 'unknown') AS outcome_name, COALESCE(v.extracted, s.extracted) AS extracted,
       COALESCE(v.detail, s.detail) AS detail, s.finish_reason, s.prompt_tokens, s.completion_tokens, s.format_ok,
       COALESCE(v.has_answer, s.has_answer) AS has_answer, s.language_share, s.prefill_seconds, s.decode_seconds,
       s.sample_id, s.max_new_tokens, s.reasoning_tokens, s.served_model, s.system_fingerprint
FROM samples AS s
JOIN gradings AS g ON g.run_id = s.run_id
LEFT JOIN verdicts AS v ON v.grading_id = g.grading_id AND v.sample_id = s.sample_id
LEFT JOIN outcomes AS o ON o.code = COALESCE(v.outcome, s.outcome);

DROP VIEW sample_results;
CREATE VIEW sample_results AS
SELECT run_id, suite, subset, problem_id, problem_index, sample_index, completion, correct, outcome, outcome_name,
       extracted, detail, finish_reason, prompt_tokens, completion_tokens, format_ok, has_answer, language_share,
       prefill_seconds, decode_seconds, grading, max_new_tokens, reasoning_tokens, served_model, system_fingerprint
FROM sample_verdicts AS sv
WHERE grading = (SELECT MAX(number) FROM gradings AS g WHERE g.run_id = sv.run_id);

CREATE VIEW grading_metrics AS
SELECT run_id, grading, suite, metric, value, ci_low, ci_high, n FROM metrics;

CREATE VIEW run_metrics AS
SELECT m.run_id, m.suite, m.metric, m.value, m.ci_low, m.ci_high, m.n, m.grading
FROM metrics AS m
WHERE m.grading = (SELECT MAX(number) FROM gradings AS g WHERE g.run_id = m.run_id);

-- Each problem of each grading: its samples and how many were right. Samples with no verdict on the model
-- (outcomes not_generated 9, grader_error 10, sandbox_error 7: graders::is_scored is false) are left out of
-- `scored` and of pass_rate, as the metrics leave them out; pass_rate is NULL when none was scored.
CREATE VIEW problem_results AS
SELECT run_id, grading, suite, subset, problem_id, MIN(problem_index) AS problem_index, COUNT(*) AS samples,
       SUM(outcome NOT IN (7, 9, 10)) AS scored, SUM(correct) AS correct,
       CASE WHEN SUM(outcome NOT IN (7, 9, 10)) > 0
            THEN CAST(SUM(correct) AS REAL) / SUM(outcome NOT IN (7, 9, 10)) END AS pass_rate
FROM sample_verdicts
GROUP BY run_id, grading, suite, subset, problem_id;
)sql";

constexpr Migration kMigrations[] = {
    {1, kVersion1},
    {2, kVersion2},
    {3, kVersion3},
    {4, kVersion4},
};

// migrate() finds the step after version v at index v.
constexpr bool versions_consecutive() {
  for (std::size_t i = 0; i < std::size(kMigrations); ++i) {
    if (kMigrations[i].version != static_cast<int>(i) + 1) return false;
  }
  return true;
}
static_assert(versions_consecutive(), "migration versions must be 1, 2, 3... in order");

// Outcome codes run from 0 without gaps (graders/grader.h); the first code without a name ends the list.
constexpr int kMaxOutcomeCodes = 256;

std::map<int, std::string> known_outcomes() {
  std::map<int, std::string> names;
  for (int code = 0; code < kMaxOutcomeCodes; ++code) {
    const std::string_view name = graders::outcome_name(static_cast<graders::Outcome>(code));
    if (name == "unknown") break;
    names.emplace(code, std::string(name));
  }
  return names;
}

struct FileState {
  std::int64_t application_id = 0;
  int user_version = 0;
  std::int64_t objects = 0;  // tables, views, indexes and triggers, SQLite's own excluded
};

std::int64_t single_integer(sqlite::Connection& db, std::string_view sql, std::string_view what) {
  sqlite::Statement statement(db, sql);
  if (!statement.step(what)) throw db.error(what);
  return statement.column_int(0);
}

FileState read_state(sqlite::Connection& db) {
  FileState state;
  state.application_id = single_integer(db, "PRAGMA application_id", "reading the application id");
  state.user_version = static_cast<int>(single_integer(db, "PRAGMA user_version", "reading the schema version"));
  state.objects = single_integer(db, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                                 "listing the schema");
  return state;
}

// Throws unless the file is an empty database or ours with a schema this build can read.
void check_ours(const sqlite::Connection& db, const FileState& state) {
  const std::string file = db.path().string();
  if (state.application_id == 0 && state.user_version == 0 && state.objects == 0) return;  // new or empty
  if (state.application_id != kApplicationId) {
    throw DbError("results database " + file +
                  " is an SQLite database of another program (it has tables but not r1eval's application id); "
                  "choose another --db path.");
  }
  if (state.user_version > current_version()) {
    throw DbError("results database " + file + " has schema version " + std::to_string(state.user_version) +
                  ", newer than the version " + std::to_string(current_version()) +
                  " this r1eval knows; open it with a newer r1eval.");
  }
  if (state.user_version < 0) {
    throw DbError("results database " + file + " has an invalid schema version " + std::to_string(state.user_version) +
                  ".");
  }
}

bool outcomes_current(sqlite::Connection& db, const std::map<int, std::string>& known) {
  std::map<int, std::string> stored;
  sqlite::Statement statement(db, "SELECT code, name FROM outcomes");
  while (statement.step("reading the outcome names")) {
    stored.emplace(static_cast<int>(statement.column_int(0)), statement.column_text(1));
  }
  return stored == known;
}

void write_outcomes(sqlite::Connection& db, const std::map<int, std::string>& known) {
  sqlite::Statement statement(
      db, "INSERT INTO outcomes (code, name) VALUES (?1, ?2) ON CONFLICT (code) DO UPDATE SET name = excluded.name");
  for (const auto& [code, name] : known) {
    statement.reset();
    statement.bind_int(1, code);
    statement.bind_text(2, name);
    statement.step("writing the outcome names");
  }
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int current_version() { return kMigrations[std::size(kMigrations) - 1].version; }

bool verify(sqlite::Connection& db) {
  sqlite::Transaction read(db, sqlite::Transaction::Kind::kRead);
  const FileState state = read_state(db);
  check_ours(db, state);
  const bool current = state.user_version == current_version() && outcomes_current(db, known_outcomes());
  read.commit();
  return current;
}

void verify_readable(sqlite::Connection& db) {
  sqlite::Transaction read(db, sqlite::Transaction::Kind::kRead);
  const FileState state = read_state(db);
  check_ours(db, state);
  read.commit();
  const std::string file = db.path().string();
  if (state.objects == 0) throw DbError("results database " + file + " is empty: it holds no r1eval results yet.");
  if (state.user_version < current_version()) {
    throw DbError("results database " + file + " has schema version " + std::to_string(state.user_version) +
                  ", older than the version " + std::to_string(current_version()) +
                  " this r1eval reads; the next r1eval run or bench on it upgrades it.");
  }
}

int migrate(sqlite::Connection& db) {
  const auto known = known_outcomes();
  for (;;) {
    sqlite::Transaction write(db, sqlite::Transaction::Kind::kWrite);
    const FileState state = read_state(db);  // again, under the write lock: another process may have migrated
    check_ours(db, state);
    if (state.user_version == current_version()) {
      if (!outcomes_current(db, known)) write_outcomes(db, known);
      write.commit();
      return state.user_version;
    }
    const Migration& step = kMigrations[state.user_version];
    const std::string what = "migrating the schema to version " + std::to_string(step.version);
    if (state.user_version == 0) {
      db.exec("PRAGMA application_id = " + std::to_string(kApplicationId), what);
    }
    db.exec(step.sql, what);
    write_outcomes(db, known);
    db.exec("PRAGMA user_version = " + std::to_string(step.version), what);
    write.commit();
  }
}

}  // namespace r1eval::reports::db::schema
