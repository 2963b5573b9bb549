// ResultsDb: the typed API over the schema in reports/db/schema.cpp. One connection per object; calls are serialized
// by a mutex, so one object may be shared between threads.
#include "reports/db/results_db.h"

#include <sqlite3.h>

#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "graders/grader.h"
#include "reports/db/row_tables.h"
#include "reports/db/schema.h"
#include "reports/db/sqlite_handle.h"

namespace r1eval::reports::db {

namespace {

using columns::bind_row;
using columns::insert_sql;
using columns::read_row;
using columns::select_sql;
using sqlite::Transaction;

bool valid_status(std::string_view status) {
  return status == "running" || status == "finished" || status == "interrupted";
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
      throw DbError("results database " + db.path().string() + ": could not switch to the WAL journal (SQLite kept '" +
                    got + "'); keep the file on a local filesystem.");
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

// Inserts a sample, or replaces the stored row of a sample that was not generated (the resumed run generated it
// now), keeping its sample_id; a stored row with any other outcome is left alone and the statement changes nothing.
const std::string& sample_upsert_sql() {
  static const std::string sql = [] {
    std::string updates;
    for (const auto& column : columns::sample_table().columns) {
      if (column.bind == nullptr) continue;
      updates += fmt::format("{}{} = excluded.{}", updates.empty() ? "" : ", ", column.name, column.name);
    }
    return fmt::format(
        "{} ON CONFLICT (run_id, suite, problem_id, sample_index) DO UPDATE SET {} WHERE samples.outcome = {}",
        insert_sql(columns::sample_table()), updates, static_cast<int>(graders::Outcome::kNotGenerated));
  }();
  return sql;
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
        throw DbError("results database " + db.path().string() + ": there is no " + std::string(noun) + " with id " +
                      std::to_string(id) + ".");
      }
    }
  }

  // The run's latest grading number; none for an unknown run (every run has grading 1). Call with the mutex held.
  std::optional<std::int64_t> find_latest_grading(std::int64_t run_id) {
    auto latest = statements.use("SELECT MAX(number) FROM gradings WHERE run_id = ?1");
    latest->bind_int(1, run_id);
    latest->step("reading the gradings of run " + std::to_string(run_id));
    const std::optional<std::int64_t> number =
        latest->is_null(0) ? std::nullopt : std::optional<std::int64_t>(latest->column_int(0));
    latest->reset();
    return number;
  }

  // The same, throwing DbError for an unknown run.
  std::int64_t latest_grading(std::int64_t run_id) {
    const auto number = find_latest_grading(run_id);
    if (!number) {
      throw DbError("results database " + db.path().string() + ": there is no run with id " + std::to_string(run_id) +
                    ".");
    }
    return *number;
  }

  // The id of the run's grading `number`; throws DbError naming the gradings there are. Call with the mutex held.
  std::int64_t grading_id(std::int64_t run_id, std::int64_t number) {
    auto select = statements.use("SELECT grading_id FROM gradings WHERE run_id = ?1 AND number = ?2");
    select->bind_int(1, run_id);
    select->bind_int(2, number);
    const bool found =
        select->step("looking up grading " + std::to_string(number) + " of run " + std::to_string(run_id));
    const std::int64_t id = found ? select->column_int(0) : 0;
    select->reset();
    if (!found) {
      const std::int64_t latest = latest_grading(run_id);
      throw DbError("results database " + db.path().string() + ": run " + std::to_string(run_id) + " has no grading " +
                    std::to_string(number) + " (its gradings are 1 to " + std::to_string(latest) + ").");
    }
    return id;
  }

  // Writes the rows of one of a bench run's tables in one transaction, once every row's bench run is known to exist.
  // describe(row) says what failed when a row cannot be stored.
  template <typename Row, typename Describe>
  void add_bench_rows(const columns::ColumnTable<Row>& table, std::span<const Row> rows, Describe describe) {
    if (rows.empty()) return;
    std::set<std::int64_t> bench_ids;
    for (const auto& row : rows) bench_ids.insert(row.bench_id);
    std::lock_guard lock(mutex);
    Transaction transaction(db, Transaction::Kind::kWrite);
    require_rows("benches", "bench_id", bench_ids, "bench run");
    auto insert = statements.use(insert_sql(table));
    for (const auto& row : rows) {
      insert->reset();
      bind_row(*insert, table, row);
      insert->step(describe(row));
    }
    insert->reset();
    transaction.commit();
  }

  // The rows of `table` that a SELECT of its columns followed by `clause` returns; `id`, when given, is the
  // clause's ?1. `what` names the read in errors.
  template <typename Row>
  std::vector<Row> read_rows(const columns::ColumnTable<Row>& table, std::string_view clause, const std::string& what,
                             std::optional<std::int64_t> id = std::nullopt) {
    std::lock_guard lock(mutex);
    auto select = statements.use(select_sql(table) + std::string(clause));
    if (id) select->bind_int(1, *id);
    std::vector<Row> rows;
    while (select->step(what)) rows.push_back(read_row(db, *select, table));
    return rows;
  }

  // The run's samples with grading `grading`'s verdicts (ResultsDb::samples); call with the mutex held, inside a read
  // transaction so that both reads see one snapshot even while another process appends.
  std::vector<SampleRow> graded_samples(std::int64_t run_id, std::int64_t grading);

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
    auto upsert = impl_->statements.use(insert_sql(columns::run_table()) +
                                        " ON CONFLICT (run_key) DO UPDATE SET status = 'running', finished_at = NULL");
    bind_row(*upsert, columns::run_table(), info);
    upsert->step("starting run '" + info.run_key + "'");
  }
  auto select = impl_->statements.use(select_sql(columns::run_table()) + " WHERE run_key = ?1");
  select->bind_text(1, info.run_key);
  if (!select->step("reading run '" + info.run_key + "'")) throw impl_->db.error("reading the new run");
  RunInfo stored = read_row(impl_->db, *select, columns::run_table());
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
  auto update = impl_->statements.use("UPDATE runs SET status = ?1, finished_at = NULLIF(?2, '') WHERE run_id = ?3");
  update->bind_text(1, status);
  update->bind_text(2, finished_at);
  update->bind_int(3, run_id);
  update->step("setting the status of run " + std::to_string(run_id));
  if (impl_->db.changes() == 0) {
    throw DbError("results database " + path().string() + ": there is no run with id " + std::to_string(run_id) + ".");
  }
}

std::optional<RunInfo> ResultsDb::find_run(std::int64_t run_id) const {
  std::lock_guard lock(impl_->mutex);
  auto select = impl_->statements.use(select_sql(columns::run_table()) + " WHERE run_id = ?1");
  select->bind_int(1, run_id);
  if (!select->step("reading run " + std::to_string(run_id))) return std::nullopt;
  return read_row(impl_->db, *select, columns::run_table());
}

std::vector<RunInfo> ResultsDb::runs() const {
  return impl_->read_rows(columns::run_table(), " ORDER BY run_id", "listing runs");
}

void ResultsDb::add_samples(std::span<const SampleRow> rows) {
  if (rows.empty()) return;
  std::set<std::int64_t> run_ids;
  for (const auto& row : rows) run_ids.insert(row.run_id);
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  impl_->require_rows("runs", "run_id", run_ids, "run");
  auto insert = impl_->statements.use(sample_upsert_sql());
  for (const auto& row : rows) {
    insert->reset();
    bind_row(*insert, columns::sample_table(), columns::StoredSample{row, 0});  // the database assigns sample_id
    const int rc = insert->try_step();
    // No row changed: the sample is stored with a verdict, which the upsert never overwrites.
    if (rc == SQLITE_DONE && impl_->db.changes() > 0) continue;
    const std::string key = "run " + std::to_string(row.run_id) + ", suite '" + row.suite + "', problem '" +
                            row.problem_id + "', sample " + std::to_string(row.sample_index);
    if (rc == SQLITE_DONE || rc == SQLITE_CONSTRAINT_UNIQUE) {
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
  Transaction snapshot(impl_->db, Transaction::Kind::kRead);
  const auto latest = impl_->find_latest_grading(run_id);
  if (!latest) return {};  // an unknown run has no samples
  std::vector<SampleRow> rows = impl_->graded_samples(run_id, *latest);
  snapshot.commit();
  return rows;
}

std::vector<SampleRow> ResultsDb::samples(std::int64_t run_id, std::int64_t grading) const {
  std::lock_guard lock(impl_->mutex);
  Transaction snapshot(impl_->db, Transaction::Kind::kRead);
  std::vector<SampleRow> rows = impl_->graded_samples(run_id, grading);
  snapshot.commit();
  return rows;
}

std::vector<SampleRow> ResultsDb::Impl::graded_samples(std::int64_t run_id, std::int64_t grading) {
  const std::string what = "reading the samples of run " + std::to_string(run_id);
  // The grading's verdicts, by sample (none for grading 1, whose verdicts are the samples' own).
  std::unordered_map<std::int64_t, columns::StoredVerdict> verdicts;
  if (grading != 1) {
    const std::int64_t id = grading_id(run_id, grading);
    auto select = statements.use(select_sql(columns::verdict_table()) + " WHERE grading_id = ?1");
    select->bind_int(1, id);
    while (select->step(what)) {
      columns::StoredVerdict verdict = read_row(db, *select, columns::verdict_table());
      verdicts.emplace(verdict.sample_id, std::move(verdict));
    }
  }
  // The order is computed over the keys alone, then the rows are read in storage order and placed: sorting whole
  // rows would make SQLite copy every completion through its sorter (several times slower for a large run).
  // Suites come in the order the run lists them (stable across resumes); any other suite after them, in the order
  // its first sample arrived.
  std::unordered_map<std::int64_t, std::size_t> position;
  {
    auto order = statements.use(
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
  auto select = statements.use(select_sql(columns::sample_table()) + " WHERE run_id = ?1");
  select->bind_int(1, run_id);
  while (select->step(what)) {
    columns::StoredSample stored = read_row(db, *select, columns::sample_table());
    const auto found = position.find(stored.sample_id);
    if (found == position.end()) throw db.error(what + " (a row outside the snapshot)");
    SampleRow& row = rows[found->second];
    row = static_cast<SampleRow&&>(stored);  // the row without its id
    if (const auto verdict = verdicts.find(stored.sample_id); verdict != verdicts.end()) {
      row.correct = verdict->second.correct;
      row.outcome = verdict->second.outcome;
      row.extracted = std::move(verdict->second.extracted);
      row.detail = std::move(verdict->second.detail);
      row.has_answer = verdict->second.has_answer;
    }
  }
  select->reset();
  return rows;
}

void ResultsDb::replace_metrics(std::int64_t run_id, std::span<const MetricRow> rows) {
  replace_metrics(run_id, latest_grading(run_id), rows);
}

void ResultsDb::replace_metrics(std::int64_t run_id, std::int64_t grading, std::span<const MetricRow> rows) {
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  impl_->grading_id(run_id, grading);  // the run and its grading exist
  const std::string which = "grading " + std::to_string(grading) + " of run " + std::to_string(run_id);
  {
    auto erase = impl_->statements.use("DELETE FROM metrics WHERE run_id = ?1 AND grading = ?2");
    erase->bind_int(1, run_id);
    erase->bind_int(2, grading);
    erase->step("clearing the metrics of " + which);
  }
  auto insert = impl_->statements.use(insert_sql(columns::metric_table()));
  for (const auto& row : rows) {
    insert->reset();
    columns::StoredMetric stored{row, run_id, grading};
    bind_row(*insert, columns::metric_table(), stored);
    insert->step("storing metric '" + row.metric + "' of suite '" + row.suite + "' for " + which +
                 " (nothing was replaced)");
  }
  insert->reset();
  transaction.commit();
}

std::vector<MetricRow> ResultsDb::metrics(std::int64_t run_id) const {
  std::optional<std::int64_t> latest;
  {
    std::lock_guard lock(impl_->mutex);
    latest = impl_->find_latest_grading(run_id);
  }
  if (!latest) return {};  // an unknown run has no metrics
  return metrics(run_id, *latest);
}

std::vector<MetricRow> ResultsDb::metrics(std::int64_t run_id, std::int64_t grading) const {
  std::lock_guard lock(impl_->mutex);
  auto select = impl_->statements.use(select_sql(columns::metric_table()) +
                                      " WHERE run_id = ?1 AND grading = ?2 ORDER BY metric_id");
  select->bind_int(1, run_id);
  select->bind_int(2, grading);
  std::vector<MetricRow> rows;
  const std::string what =
      "reading the metrics of grading " + std::to_string(grading) + " of run " + std::to_string(run_id);
  while (select->step(what)) {
    rows.push_back(static_cast<MetricRow&&>(read_row(impl_->db, *select, columns::metric_table())));
  }
  return rows;
}

GradingInfo ResultsDb::add_grading(const GradingInfo& info, std::span<const SampleRow> graded) {
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  const std::string run = "run " + std::to_string(info.run_id);
  // Under the write lock, so two processes grading one run cannot take the same number.
  columns::StoredGrading stored{info, 0};
  stored.number = impl_->latest_grading(info.run_id) + 1;
  {
    auto insert = impl_->statements.use(insert_sql(columns::grading_table()));
    bind_row(*insert, columns::grading_table(), stored);
    insert->step("starting grading " + std::to_string(stored.number) + " of " + run);
  }
  stored.grading_id = sqlite3_last_insert_rowid(impl_->db.get());
  // Each row's sample by its key, through the UNIQUE (run_id, suite, problem_id, sample_index) index.
  auto find = impl_->statements.use(
      "SELECT sample_id FROM samples WHERE run_id = ?1 AND suite = ?2 AND problem_id = ?3 AND sample_index = ?4");
  auto insert = impl_->statements.use(insert_sql(columns::verdict_table()));
  for (const SampleRow& row : graded) {
    const std::string key =
        "suite '" + row.suite + "', problem '" + row.problem_id + "', sample " + std::to_string(row.sample_index);
    find->reset();
    find->bind_int(1, info.run_id);
    find->bind_text(2, row.suite);
    find->bind_text(3, row.problem_id);
    find->bind_int(4, row.sample_index);
    if (row.run_id != info.run_id || !find->step("looking up the sample (" + key + ")")) {
      throw DbError("results database " + path().string() + ": " + run + " has no stored sample (" + key +
                    ") to grade; grading " + std::to_string(stored.number) + " was not stored.");
    }
    const columns::StoredVerdict verdict{stored.grading_id, find->column_int(0), row.correct,   row.outcome,
                                         row.extracted,     row.detail,          row.has_answer};
    find->reset();
    insert->reset();
    bind_row(*insert, columns::verdict_table(), verdict);
    insert->step("storing the verdict of the sample (" + key + ") in grading " + std::to_string(stored.number) +
                 " of " + run + " (nothing was stored)");
  }
  insert->reset();
  transaction.commit();
  return stored;
}

std::vector<GradingInfo> ResultsDb::gradings(std::int64_t run_id) const {
  std::vector<GradingInfo> rows;
  for (columns::StoredGrading& stored :
       impl_->read_rows(columns::grading_table(), " WHERE run_id = ?1 ORDER BY number",
                        "reading the gradings of run " + std::to_string(run_id), run_id)) {
    rows.push_back(static_cast<GradingInfo&&>(stored));
  }
  return rows;
}

std::int64_t ResultsDb::latest_grading(std::int64_t run_id) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->latest_grading(run_id);
}

BenchInfo ResultsDb::begin_bench(const BenchInfo& info) {
  std::lock_guard lock(impl_->mutex);
  Transaction transaction(impl_->db, Transaction::Kind::kWrite);
  {
    auto insert = impl_->statements.use(insert_sql(columns::bench_table()));
    bind_row(*insert, columns::bench_table(), info);
    insert->step("starting a bench run");
  }
  auto select = impl_->statements.use(select_sql(columns::bench_table()) + " WHERE bench_id = ?1");
  select->bind_int(1, sqlite3_last_insert_rowid(impl_->db.get()));
  if (!select->step("reading the new bench run")) throw impl_->db.error("reading the new bench run");
  BenchInfo stored = read_row(impl_->db, *select, columns::bench_table());
  select->reset();
  transaction.commit();
  return stored;
}

void ResultsDb::add_kernel_results(std::span<const KernelResultRow> rows) {
  impl_->add_bench_rows(columns::kernel_table(), rows, [](const KernelResultRow& row) {
    return "storing the timing of kernel '" + row.kernel + "' (" + row.shape + ")";
  });
}

void ResultsDb::add_throughput(std::span<const ThroughputRow> rows) {
  impl_->add_bench_rows(columns::throughput_table(), rows, [](const ThroughputRow& row) {
    return "storing the " + row.phase + " throughput of '" + row.model + "'";
  });
}

std::vector<BenchInfo> ResultsDb::benches() const {
  return impl_->read_rows(columns::bench_table(), " ORDER BY bench_id", "listing bench runs");
}

std::vector<KernelResultRow> ResultsDb::kernel_results(std::int64_t bench_id) const {
  return impl_->read_rows(columns::kernel_table(), " WHERE bench_id = ?1 ORDER BY timing_id",
                          "reading the kernel results of bench run " + std::to_string(bench_id), bench_id);
}

std::vector<ThroughputRow> ResultsDb::throughput(std::int64_t bench_id) const {
  return impl_->read_rows(columns::throughput_table(), " WHERE bench_id = ?1 ORDER BY measurement_id",
                          "reading the throughput of bench run " + std::to_string(bench_id), bench_id);
}

}  // namespace r1eval::reports::db
