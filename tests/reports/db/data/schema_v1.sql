-- A results database as r1eval wrote it at schema version 1: the version-1 migration of reports/db/schema.cpp,
-- frozen here as it was released, plus a few rows. reports_db_migration_test builds a file from this script and
-- checks that ResultsDb::open migrates it to the current version with every row kept. Never edit this file to
-- follow a schema change: it stands for files that already exist.
PRAGMA application_id = 1378960726;  -- 0x52314556, "R1EV"
BEGIN;
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

INSERT INTO outcomes (code, name) VALUES
  (0, 'pass'), (1, 'fail'), (2, 'no_answer'), (3, 'timeout'), (4, 'memory_limit'), (5, 'output_limit'),
  (6, 'runtime_error'), (7, 'sandbox_error'), (8, 'format_error');

INSERT INTO runs (run_id, run_key, status, started_at, finished_at, model, template_name, suites, samples,
                  problem_limit, max_new_tokens, temperature, top_p, seed, provenance)
VALUES (1, 'v1-run-key', 'finished', '2026-10-01T08:00:00Z', '2026-10-01T09:30:00Z', '/models/tiny', 'r1',
        'gsm8k,math500', 2, 2, 4096, 0.6, 0.95, '18446744073709551615', '{"r1eval":"0.0.9","git":"0123abc"}'),
       (2, 'v1-interrupted', 'interrupted', '2026-10-02T08:00:00Z', NULL, '/models/tiny', 'r1-zero', 'aime2024',
        1, 0, 32768, 0.6, 0.95, '7', '{}');

INSERT INTO samples (sample_id, run_id, suite, subset, problem_id, problem_index, sample_index, prompt_tokens,
                     completion, completion_tokens, finish_reason, correct, outcome, extracted, detail, format_ok,
                     has_answer)
VALUES (1, 1, 'gsm8k', '', 'gsm8k/0', 0, 0, 57, '<think>2+2</think> \boxed{4}', 12, 'stop', 1, 0, '4',
        'equal', 1, 1),
       (2, 1, 'gsm8k', '', 'gsm8k/0', 0, 1, 57, '<think>hmm</think> \boxed{5}', 11, 'stop', 0, 1, '5',
        'not equal to 4', 1, 1),
       (3, 1, 'math500', '', 'math500/7', 0, 0, 80, '<think>∫ x dx = ½x²</think>', 4096, 'length', 0, 2, '',
        'no boxed answer', 0, 0),
       (4, 2, 'aime2024', '', 'aime2024/3', 0, 0, 90, 'Answer: 204', 30, 'stop', 0, 8, '204',
        'missing <think> tags', 0, 1);

INSERT INTO metrics (metric_id, run_id, suite, metric, value, ci_low, ci_high, n)
VALUES (1, 1, 'gsm8k', 'pass@1', 0.5, 0.0, 1.0, 1),
       (2, 1, 'all', 'format_compliance', 0.6666666666666666, NULL, NULL, 2);

PRAGMA user_version = 1;
COMMIT;
