// ResultsDb: the typed API over the schema in reports/schema.cpp. One connection per object; calls are serialized
// by a mutex, so one object may be shared between threads.
#include "reports/results_db.h"

#include <sqlite3.h>

#include <charconv>
#include <cmath>
#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>

#include "reports/schema.h"
#include "reports/sqlite_handle.h"

namespace r1eval::reports {

namespace {

using sqlite::Transaction;

// ISO-8601 UTC, for rows whose caller left the time empty.
constexpr std::string_view kNowIso = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

std::string to_json_text(const nlohmann::json& value) {
  // Invalid UTF-8 (a path from a foreign filesystem) is replaced rather than refusing the whole run.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json from_json_text(const sqlite::Connection& db, const std::string& text, std::string_view column) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw DbError("results database " + db.path().string() + ": the stored " + std::string(column) +
                  " is not valid JSON: " + e.what());
  }
}

std::uint64_t parse_seed(const sqlite::Connection& db, const std::string& text) {
  std::uint64_t seed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw DbError("results database " + db.path().string() + ": the stored seed '" + text +
                  "' is not an unsigned 64-bit number.");
  }
  return seed;
}

// A measured figure whose NULL means "not measured": the row's default when read back.
double real_or(const sqlite::Statement& statement, int column, double fallback) {
  return statement.is_null(column) ? fallback : statement.column_real(column);
}

// Kernel repetition times are stored as a JSON array; an empty list as NULL (not kept).
std::string repetition_seconds_json(const KernelResultRow& row) {
  nlohmann::json array = nlohmann::json::array();
  for (const double seconds : row.repetition_seconds) {
    if (!std::isfinite(seconds)) {
      throw DbError("kernel '" + row.kernel + "' (" + row.shape +
                    ") has a repetition time that is not a finite number.");
    }
    array.push_back(seconds);
  }
  return array.dump();
}

std::vector<double> read_repetition_seconds(const sqlite::Connection& db, const sqlite::Statement& row, int column) {
  std::vector<double> seconds;
  if (row.is_null(column)) return seconds;
  const nlohmann::json array = from_json_text(db, row.column_text(column), "kernel repetition times");
  if (!array.is_array()) {
    throw DbError("results database " + db.path().string() +
                  ": the stored kernel repetition times are not a JSON array.");
  }
  for (const auto& value : array) {
    if (!value.is_number()) {
      throw DbError("results database " + db.path().string() +
                    ": a stored kernel repetition time is not a number: " + value.dump());
    }
    seconds.push_back(value.get<double>());
  }
  return seconds;
}

bool valid_status(std::string_view status) {
  return status == "running" || status == "finished" || status == "interrupted";
}

constexpr std::string_view kRunColumns =
    "run_id, run_key, status, started_at, COALESCE(finished_at, ''), model, template_name, suites, samples, "
    "problem_limit, max_new_tokens, temperature, top_p, seed, provenance";

RunInfo read_run(const sqlite::Connection& db, const sqlite::Statement& row) {
  RunInfo run;
  run.run_id = row.column_int(0);
  run.run_key = row.column_text(1);
  run.status = row.column_text(2);
  run.started_at = row.column_text(3);
  run.finished_at = row.column_text(4);
  run.model = row.column_text(5);
  run.template_name = row.column_text(6);
  run.suites = row.column_text(7);
  run.samples = row.column_int(8);
  run.limit = row.column_int(9);
  run.max_new_tokens = row.column_int(10);
  run.temperature = row.column_real(11);
  run.top_p = row.column_real(12);
  run.seed = parse_seed(db, row.column_text(13));
  run.provenance = from_json_text(db, row.column_text(14), "run provenance");
  return run;
}

constexpr std::string_view kBenchColumns = "bench_id, started_at, model, machine, provenance";

BenchInfo read_bench(const sqlite::Connection& db, const sqlite::Statement& row) {
  BenchInfo bench;
  bench.bench_id = row.column_int(0);
  bench.started_at = row.column_text(1);
  bench.model = row.column_text(2);
  bench.machine = from_json_text(db, row.column_text(3), "bench machine");
  bench.provenance = from_json_text(db, row.column_text(4), "bench provenance");
  return bench;
}

// Switching the journal needs the file to itself, and SQLite answers SQLITE_BUSY at once rather than waiting when
// another process has it open (several runs starting on one new file): retry for as long as busy_timeout would.
void switch_to_wal(sqlite::Connection& db) {
  constexpr int kRetryMs = 10;
  constexpr int kGiveUpMs = 5000;
  sqlite::Statement mode(db, "PRAGMA journal_mode = WAL");
  for (int waited_ms = 0;; waited_ms += kRetryMs) {
    mode.reset();
    const int rc = mode.try_step();
    if (rc == SQLITE_ROW) {
      const std::string got = mode.column_text(0);
      mode.reset();
      if (got == "wal") return;
      throw DbError("results database " + db.path().string() +
                    ": could not switch to the WAL journal (SQLite kept '" + got +
                    "'); keep the file on a local filesystem.");
    }
    if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= kGiveUpMs) throw db.error("switching to the WAL journal", rc);
    sqlite3_sleep(kRetryMs);
  }
}

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (const auto part : parts) text += part;
  return text;
}

}  // namespace

struct ResultsDb::Impl {
  explicit Impl(sqlite::Connection connection) : db(std::move(connection)), statements(db) {}

  // Throws unless every id in `ids` names a row of `table` (a clearer message than a foreign-key failure).
  void require_rows(std::string_view table, std::string_view id_column, const std::set<std::int64_t>& ids,
                    std::string_view noun) {
    auto exists = statements.use(sql({"SELECT 1 FROM ", table, " WHERE ", id_column, " = ?1"}));
    for (const auto id : ids) {
      exists->reset();
      exists->bind_int(1, id);
      if (!exists->step("looking up a " + std::string(noun))) {
        throw DbError("results database " + db.path().string() + ": there is no " + std::string(noun) +
                      " with id " + std::to_string(id) + ".");
      }
    }
  }

  sqlite::Connection db;
  sqlite::StatementCache statements;
  std::mutex mutex;
  int version = 0;
};

ResultsDb ResultsDb::open(const std::filesystem::path& path) {
  auto impl = std::make_unique<Impl>(sqlite::Connection::open(path));
  impl->db.exec("PRAGMA foreign_keys = ON", "enabling foreign keys");
  // Verified before anything is written: a foreign database is never switched to WAL or migrated.
  const bool current = schema::verify(impl->db);
  switch_to_wal(impl->db);
  // With WAL, NORMAL still never loses or tears a committed transaction when the process is killed.
  impl->db.exec("PRAGMA synchronous = NORMAL", "setting synchronous mode");
  // An up-to-date file (a report opened beside a running evaluation) takes no write lock.
  impl->version = current ? schema::current_version() : schema::migrate(impl->db);
  return ResultsDb(std::move(impl));
}

ResultsDb ResultsDb::open_read_only(const std::filesystem::path& path) {
  auto impl = std::make_unique<Impl>(sqlite::Connection::open_read_only(path));
  schema::verify_readable(impl->db);
  impl->version = schema::current_version();
  return ResultsDb(std::move(impl));
}

ResultsDb::ResultsDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResultsDb::ResultsDb(ResultsDb&&) noexcept = default;
ResultsDb& ResultsDb::operator=(ResultsDb&&) noexcept = default;
ResultsDb::~ResultsDb() = default;

int ResultsDb::current_schema_version() { return schema::current_version(); }

int ResultsDb::schema_version() const { return impl_->version; }

const std::filesystem::path& ResultsDb::path() const { return impl_->db.path(); }

RunInfo ResultsDb::begin_run(const RunInfo& info) {
  if (info.run_key.empty()) throw DbError("results database " + path().string() + ": a run needs a run_key.");
  if (!info.status.empty() && !valid_status(info.status)) {
    throw DbError("results database " + path().string() + ": run status '" + info.status +
                  "' is not one of running, finished, interrupted.");
  }
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  {
    // One statement inserts a new run or marks the existing one running again, atomically.
    auto upsert = impl_->statements.use(sql(
        {"INSERT INTO runs (run_key, status, started_at, finished_at, model, template_name, suites, samples, "
         "problem_limit, max_new_tokens, temperature, top_p, seed, provenance) "
         "VALUES (?1, COALESCE(NULLIF(?2, ''), 'running'), COALESCE(NULLIF(?3, ''), ",
         kNowIso,
         "), NULLIF(?4, ''), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
         "ON CONFLICT (run_key) DO UPDATE SET status = 'running', finished_at = NULL"}));
    upsert->bind_text(1, info.run_key);
    upsert->bind_text(2, info.status);
    upsert->bind_text(3, info.started_at);
    upsert->bind_text(4, info.finished_at);
    upsert->bind_text(5, info.model);
    upsert->bind_text(6, info.template_name);
    upsert->bind_text(7, info.suites);
    upsert->bind_int(8, info.samples);
    upsert->bind_int(9, info.limit);
    upsert->bind_int(10, info.max_new_tokens);
    upsert->bind_real(11, info.temperature);
    upsert->bind_real(12, info.top_p);
    upsert->bind_text(13, std::to_string(info.seed));
    upsert->bind_text(14, to_json_text(info.provenance));
    upsert->step("starting run '" + info.run_key + "'");
  }
  auto select = impl_->statements.use(sql({"SELECT ", kRunColumns, " FROM runs WHERE run_key = ?1"}));
  select->bind_text(1, info.run_key);
  if (!select->step("reading run '" + info.run_key + "'")) throw impl_->db.error("reading the new run");
  RunInfo stored = read_run(impl_->db, *select);
  select->reset();
  transaction.commit();
  return stored;
}

void ResultsDb::set_run_status(std::int64_t run_id, const std::string& status, const std::string& finished_at) {
  if (!valid_status(status)) {
    throw DbError("results database " + path().string() + ": run status '" + status +
                  "' is not one of running, finished, interrupted.");
  }
  std::lock_guard lock(impl_->mutex);
  auto update =
      impl_->statements.use("UPDATE runs SET status = ?1, finished_at = NULLIF(?2, '') WHERE run_id = ?3");
  update->bind_text(1, status);
  update->bind_text(2, finished_at);
  update->bind_int(3, run_id);
  update->step("setting the status of run " + std::to_string(run_id));
  if (impl_->db.changes() == 0) {
    throw DbError("results database " + path().string() + ": there is no run with id " + std::to_string(run_id) +
                  ".");
  }
}

std::optional<RunInfo> ResultsDb::find_run(std::int64_t run_id) const {
  std::lock_guard lock(impl_->mutex);
  auto select = impl_->statements.use(sql({"SELECT ", kRunColumns, " FROM runs WHERE run_id = ?1"}));
  select->bind_int(1, run_id);
  if (!select->step("reading run " + std::to_string(run_id))) return std::nullopt;
  return read_run(impl_->db, *select);
}

std::vector<RunInfo> ResultsDb::runs() const {
  std::lock_guard lock(impl_->mutex);
  auto select = impl_->statements.use(sql({"SELECT ", kRunColumns, " FROM runs ORDER BY run_id"}));
  std::vector<RunInfo> runs;
  while (select->step("listing runs")) runs.push_back(read_run(impl_->db, *select));
  return runs;
}

void ResultsDb::add_samples(std::span<const SampleRow> rows) {
  if (rows.empty()) return;
  std::set<std::int64_t> run_ids;
  for (const auto& row : rows) run_ids.insert(row.run_id);
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  impl_->require_rows("runs", "run_id", run_ids, "run");
  auto insert = impl_->statements.use(
      "INSERT INTO samples (run_id, suite, subset, problem_id, problem_index, sample_index, prompt_tokens, "
      "completion, completion_tokens, finish_reason, correct, outcome, extracted, detail, format_ok, has_answer, "
      "language_share, prefill_seconds, decode_seconds) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");
  for (const auto& row : rows) {
    insert->reset();
    insert->bind_int(1, row.run_id);
    insert->bind_text(2, row.suite);
    insert->bind_text(3, row.subset);
    insert->bind_text(4, row.problem_id);
    insert->bind_int(5, row.problem_index);
    insert->bind_int(6, row.sample_index);
    insert->bind_int(7, row.prompt_tokens);
    insert->bind_text(8, row.completion);
    insert->bind_int(9, row.completion_tokens);
    insert->bind_text(10, row.finish_reason);
    insert->bind_int(11, row.correct ? 1 : 0);
    insert->bind_int(12, row.outcome);
    insert->bind_text(13, row.extracted);
    insert->bind_text(14, row.detail);
    insert->bind_int(15, row.format_ok ? 1 : 0);
    insert->bind_int(16, row.has_answer ? 1 : 0);
    insert->bind_real(17, row.language_share);
    insert->bind_real(18, row.prefill_seconds);
    insert->bind_real(19, row.decode_seconds);
    const int rc = insert->try_step();
    if (rc == SQLITE_DONE) continue;
    const std::string key = "run " + std::to_string(row.run_id) + ", suite '" + row.suite + "', problem '" +
                            row.problem_id + "', sample " + std::to_string(row.sample_index);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
      throw DbError("results database " + path().string() + ": the sample (" + key +
                    ") is already stored; none of this batch of " + std::to_string(rows.size()) +
                    " samples was written.");
    }
    throw impl_->db.error("adding the sample (" + key + "); none of the batch was written, and adding it", rc);
  }
  insert->reset();
  transaction.commit();
}

std::vector<SampleRow> ResultsDb::samples(std::int64_t run_id) const {
  std::lock_guard lock(impl_->mutex);
  const std::string what = "reading the samples of run " + std::to_string(run_id);
  // Both reads below see one snapshot, even while another process appends.
  Transaction snapshot(impl_->db, Transaction::Kind::kRead);
  // The order is computed over the keys alone, then the rows are read in storage order and placed: sorting whole
  // rows would make SQLite copy every completion through its sorter (several times slower for a large run).
  // Suites come in the order the run lists them (stable across resumes); any other suite after them, in the order
  // its first sample arrived.
  std::unordered_map<std::int64_t, std::size_t> position;
  {
    auto order = impl_->statements.use(
        "WITH firsts AS (SELECT suite, MIN(sample_id) AS first_id FROM samples WHERE run_id = ?1 GROUP BY suite), "
        "listed AS (SELECT ',' || suites || ',' AS list FROM runs WHERE run_id = ?1) "
        "SELECT s.sample_id FROM samples AS s JOIN firsts AS f ON f.suite = s.suite, listed AS l "
        "WHERE s.run_id = ?1 "
        "ORDER BY CASE instr(l.list, ',' || s.suite || ',') WHEN 0 THEN 1 ELSE 0 END, "
        "instr(l.list, ',' || s.suite || ','), f.first_id, s.problem_index, s.sample_index, s.problem_id");
    order->bind_int(1, run_id);
    while (order->step(what)) position.emplace(order->column_int(0), position.size());
  }
  std::vector<SampleRow> rows(position.size());
  auto select = impl_->statements.use(
      "SELECT sample_id, run_id, suite, subset, problem_id, problem_index, sample_index, prompt_tokens, completion, "
      "completion_tokens, finish_reason, correct, outcome, extracted, detail, format_ok, has_answer, language_share, "
      "prefill_seconds, decode_seconds FROM samples WHERE run_id = ?1");
  select->bind_int(1, run_id);
  const SampleRow defaults;
  while (select->step(what)) {
    const auto found = position.find(select->column_int(0));
    if (found == position.end()) throw impl_->db.error(what + " (a row outside the snapshot)");
    SampleRow& row = rows[found->second];
    row.run_id = select->column_int(1);
    row.suite = select->column_text(2);
    row.subset = select->column_text(3);
    row.problem_id = select->column_text(4);
    row.problem_index = select->column_int(5);
    row.sample_index = select->column_int(6);
    row.prompt_tokens = select->column_int(7);
    row.completion = select->column_text(8);
    row.completion_tokens = select->column_int(9);
    row.finish_reason = select->column_text(10);
    row.correct = select->column_int(11) != 0;
    row.outcome = static_cast<int>(select->column_int(12));
    row.extracted = select->column_text(13);
    row.detail = select->column_text(14);
    row.format_ok = select->column_int(15) != 0;
    row.has_answer = select->column_int(16) != 0;
    row.language_share = real_or(*select, 17, defaults.language_share);
    row.prefill_seconds = real_or(*select, 18, defaults.prefill_seconds);
    row.decode_seconds = real_or(*select, 19, defaults.decode_seconds);
  }
  select->reset();
  snapshot.commit();
  return rows;
}

void ResultsDb::replace_metrics(std::int64_t run_id, std::span<const MetricRow> rows) {
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  impl_->require_rows("runs", "run_id", {run_id}, "run");
  {
    auto erase = impl_->statements.use("DELETE FROM metrics WHERE run_id = ?1");
    erase->bind_int(1, run_id);
    erase->step("clearing the metrics of run " + std::to_string(run_id));
  }
  auto insert = impl_->statements.use(
      "INSERT INTO metrics (run_id, suite, metric, value, ci_low, ci_high, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (const auto& row : rows) {
    insert->reset();
    insert->bind_int(1, run_id);
    insert->bind_text(2, row.suite);
    insert->bind_text(3, row.metric);
    insert->bind_real(4, row.value);
    if (row.ci_low) insert->bind_real(5, *row.ci_low); else insert->bind_null(5);
    if (row.ci_high) insert->bind_real(6, *row.ci_high); else insert->bind_null(6);
    insert->bind_int(7, row.n);
    insert->step("storing metric '" + row.metric + "' of suite '" + row.suite + "' for run " +
                 std::to_string(run_id) + " (nothing was replaced)");
  }
  insert->reset();
  transaction.commit();
}

std::vector<MetricRow> ResultsDb::metrics(std::int64_t run_id) const {
  std::lock_guard lock(impl_->mutex);
  auto select = impl_->statements.use(
      "SELECT suite, metric, value, ci_low, ci_high, n FROM metrics WHERE run_id = ?1 ORDER BY metric_id");
  select->bind_int(1, run_id);
  std::vector<MetricRow> rows;
  while (select->step("reading the metrics of run " + std::to_string(run_id))) {
    MetricRow row;
    row.suite = select->column_text(0);
    row.metric = select->column_text(1);
    row.value = select->column_real(2);  // NULL is a NaN that SQLite could not store
    if (!select->is_null(3)) row.ci_low = select->column_real(3);
    if (!select->is_null(4)) row.ci_high = select->column_real(4);
    row.n = select->column_int(5);
    rows.push_back(std::move(row));
  }
  return rows;
}

BenchInfo ResultsDb::begin_bench(const BenchInfo& info) {
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  {
    auto insert = impl_->statements.use(sql({"INSERT INTO benches (started_at, model, machine, provenance) "
                                             "VALUES (COALESCE(NULLIF(?1, ''), ",
                                             kNowIso, "), ?2, ?3, ?4)"}));
    insert->bind_text(1, info.started_at);
    insert->bind_text(2, info.model);
    insert->bind_text(3, to_json_text(info.machine));
    insert->bind_text(4, to_json_text(info.provenance));
    insert->step("starting a bench run");
  }
  auto select = impl_->statements.use(sql({"SELECT ", kBenchColumns, " FROM benches WHERE bench_id = ?1"}));
  select->bind_int(1, sqlite3_last_insert_rowid(impl_->db.get()));
  if (!select->step("reading the new bench run")) throw impl_->db.error("reading the new bench run");
  BenchInfo stored = read_bench(impl_->db, *select);
  select->reset();
  transaction.commit();
  return stored;
}

void ResultsDb::add_kernel_results(std::span<const KernelResultRow> rows) {
  if (rows.empty()) return;
  std::set<std::int64_t> bench_ids;
  for (const auto& row : rows) bench_ids.insert(row.bench_id);
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  impl_->require_rows("benches", "bench_id", bench_ids, "bench run");
  auto insert = impl_->statements.use(
      "INSERT INTO kernel_timings (bench_id, kernel, shape, dtype, backend, seconds, gflops, gbps, roofline_pct, "
      "repetitions, repetition_seconds) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  for (const auto& row : rows) {
    insert->reset();
    insert->bind_int(1, row.bench_id);
    insert->bind_text(2, row.kernel);
    insert->bind_text(3, row.shape);
    insert->bind_text(4, row.dtype);
    insert->bind_text(5, row.backend);
    insert->bind_real(6, row.seconds);
    insert->bind_real(7, row.gflops);
    insert->bind_real(8, row.gbps);
    insert->bind_real(9, row.roofline_pct);
    insert->bind_int(10, row.repetitions);
    if (row.repetition_seconds.empty()) {
      insert->bind_null(11);
    } else {
      insert->bind_text(11, repetition_seconds_json(row));
    }
    insert->step("storing the timing of kernel '" + row.kernel + "' (" + row.shape + ")");
  }
  insert->reset();
  transaction.commit();
}

void ResultsDb::add_throughput(std::span<const ThroughputRow> rows) {
  if (rows.empty()) return;
  std::set<std::int64_t> bench_ids;
  for (const auto& row : rows) bench_ids.insert(row.bench_id);
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  impl_->require_rows("benches", "bench_id", bench_ids, "bench run");
  auto insert = impl_->statements.use(
      "INSERT INTO throughput_measurements (bench_id, model, phase, batch, context, tokens_per_s, "
      "cost_per_mtok_usd, price_basis, projection) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  for (const auto& row : rows) {
    insert->reset();
    insert->bind_int(1, row.bench_id);
    insert->bind_text(2, row.model);
    insert->bind_text(3, row.phase);
    insert->bind_int(4, row.batch);
    insert->bind_int(5, row.context);
    insert->bind_real(6, row.tokens_per_s);
    insert->bind_real(7, row.cost_per_mtok_usd);
    insert->bind_text(8, row.price_basis);
    insert->bind_int(9, row.projection ? 1 : 0);
    insert->step("storing the " + row.phase + " throughput of '" + row.model + "'");
  }
  insert->reset();
  transaction.commit();
}

std::vector<BenchInfo> ResultsDb::benches() const {
  std::lock_guard lock(impl_->mutex);
  auto select = impl_->statements.use(sql({"SELECT ", kBenchColumns, " FROM benches ORDER BY bench_id"}));
  std::vector<BenchInfo> benches;
  while (select->step("listing bench runs")) benches.push_back(read_bench(impl_->db, *select));
  return benches;
}

std::vector<KernelResultRow> ResultsDb::kernel_results(std::int64_t bench_id) const {
  std::lock_guard lock(impl_->mutex);
  auto select = impl_->statements.use(
      "SELECT bench_id, kernel, shape, dtype, backend, seconds, gflops, gbps, roofline_pct, repetitions, "
      "repetition_seconds FROM kernel_timings WHERE bench_id = ?1 ORDER BY timing_id");
  select->bind_int(1, bench_id);
  std::vector<KernelResultRow> rows;
  while (select->step("reading the kernel results of bench run " + std::to_string(bench_id))) {
    KernelResultRow row;
    row.bench_id = select->column_int(0);
    row.kernel = select->column_text(1);
    row.shape = select->column_text(2);
    row.dtype = select->column_text(3);
    row.backend = select->column_text(4);
    row.seconds = select->column_real(5);
    row.gflops = select->column_real(6);
    row.gbps = select->column_real(7);
    row.roofline_pct = select->column_real(8);
    row.repetitions = select->column_int(9);
    row.repetition_seconds = read_repetition_seconds(impl_->db, *select, 10);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<ThroughputRow> ResultsDb::throughput(std::int64_t bench_id) const {
  std::lock_guard lock(impl_->mutex);
  auto select = impl_->statements.use(
      "SELECT bench_id, model, phase, batch, context, tokens_per_s, cost_per_mtok_usd, price_basis, projection "
      "FROM throughput_measurements WHERE bench_id = ?1 ORDER BY measurement_id");
  select->bind_int(1, bench_id);
  std::vector<ThroughputRow> rows;
  while (select->step("reading the throughput of bench run " + std::to_string(bench_id))) {
    ThroughputRow row;
    row.bench_id = select->column_int(0);
    row.model = select->column_text(1);
    row.phase = select->column_text(2);
    row.batch = select->column_int(3);
    row.context = select->column_int(4);
    row.tokens_per_s = select->column_real(5);
    row.cost_per_mtok_usd = select->column_real(6);
    row.price_basis = select->column_text(7);
    row.projection = select->column_int(8) != 0;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace r1eval::reports
