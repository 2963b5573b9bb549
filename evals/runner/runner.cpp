#include "evals/runner/runner.h"

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "common/build_info.h"
#include "common/hash.h"
#include "common/utc_time.h"
#include "datasets/content_hash.h"
#include "evals/metrics/run_metrics.h"
#include "evals/runner/provenance.h"
#include "evals/runner/run_lock.h"
#include "evals/runner/sample_grading.h"
#include "evals/suites/suite.h"
#include "graders/math/equivalence.h"

namespace r1eval::evals::runner {
namespace {

using SampleKey = std::tuple<std::string, std::string, std::int64_t>;  // suite, problem id, sample index

// One suite as this run evaluates it: its problems and the settings the options resolve to.
struct PlannedSuite {
  suites::Suite suite;
  datasets::Dataset data;
  std::int64_t limit = 0;
  std::int64_t samples = 1;
  std::int64_t max_new_tokens = 1;
  std::string template_name;
  std::unique_ptr<graders::Grader> grader;
};

// The samples of one problem this invocation generates.
struct PendingProblem {
  std::size_t suite = 0;
  std::size_t problem = 0;
  std::vector<std::int64_t> sample_indices;  // by stream position in the request
  std::int64_t outstanding = 0;
};

// "arith:100" -> {"arith", 100}; "gsm8k" -> {"gsm8k", default_limit}.
std::pair<std::string, std::int64_t> parse_suite_entry(const std::string& entry, std::int64_t default_limit) {
  const auto colon = entry.find(':');
  if (colon == std::string::npos) return {entry, default_limit};
  const std::string count = entry.substr(colon + 1);
  std::size_t used = 0;
  long long limit = 0;
  try {
    limit = std::stoll(count, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != count.size() || count.empty() || limit < 1) {
    throw std::invalid_argument("suite entry '" + entry + "' should be NAME or NAME:LIMIT with a positive LIMIT");
  }
  return {entry.substr(0, colon), limit};
}

std::vector<PlannedSuite> plan_suites(const RunOptions& options) {
  if (options.suites.empty()) throw std::invalid_argument("no suite given; name one or more with --suite");
  if (options.samples < 0 || options.limit < 0 || options.max_new_tokens < 0 || options.generate < 0) {
    throw std::invalid_argument("--samples, --limit, --max-new-tokens and --generate must not be negative");
  }
  std::vector<PlannedSuite> planned;
  std::set<std::string> seen;
  for (const std::string& entry : options.suites) {
    const auto [name, limit] = parse_suite_entry(entry, options.limit);
    if (!seen.insert(name).second) throw std::invalid_argument("suite '" + name + "' is named twice");
    PlannedSuite p;
    p.suite = suites::find_suite(name);
    if (options.generate > 0 && !p.suite.generator.empty()) {
      p.suite.generate_count = options.generate;
      p.suite.generate_seed = options.seed;
    }
    p.data = suites::load_suite_problems(p.suite, limit);
    p.limit = limit;
    p.samples = options.samples > 0           ? options.samples
                : options.r1_protocol_samples ? p.suite.r1_protocol_samples
                                              : p.suite.default_samples;
    p.max_new_tokens = options.max_new_tokens > 0 ? options.max_new_tokens : p.suite.max_new_tokens;
    p.template_name = options.template_name.empty() ? p.suite.chat_template : options.template_name;
    p.grader = options.grader_factory ? options.grader_factory(p.suite.grader) : graders::make_grader(p.suite.grader);
    planned.push_back(std::move(p));
  }
  return planned;
}

// Everything that decides the completions; its hash is the run's key.
nlohmann::json run_identity(const RunOptions& options, const std::vector<PlannedSuite>& planned) {
  nlohmann::json suites = nlohmann::json::array();
  for (const PlannedSuite& p : planned) {
    suites.push_back({{"name", p.suite.name},
                      {"version", p.suite.version},
                      {"data", p.data.content_hash},
                      {"limit", p.limit},
                      {"problems", p.data.problems.size()},
                      {"samples", p.samples},
                      {"max_new_tokens", p.max_new_tokens},
                      {"template", p.template_name},
                      {"grader", p.suite.grader},
                      {"grader_version", std::string(p.grader->version())}});
  }
  return {{"model", options.model_fingerprint}, {"backend", options.backend_identity}, {"suites", suites},
          {"limit", options.limit},  {"temperature", options.temperature},            {"top_p", options.top_p},
          {"seed", options.seed}};
}

std::string suite_names(const std::vector<PlannedSuite>& planned) {
  std::string out;
  for (const PlannedSuite& p : planned) out += (out.empty() ? "" : ",") + p.suite.name;
  return out;
}

}  // namespace

std::uint64_t sample_stream(const std::string& suite, const std::string& problem_id, std::int64_t sample_index) {
  // FNV-1a over the three fields, each followed by a 0xff byte (which UTF-8 text never holds) so that no two
  // splits of the same characters collide, then SplitMix64's mix to spread the bits.
  const std::string index = std::to_string(sample_index);
  std::uint64_t h = common::kFnv1aOffset;
  for (const std::string_view field :
       {std::string_view(suite), std::string_view(problem_id), std::string_view(index)}) {
    h = common::fnv1a("\xff", common::fnv1a(field, h));
  }
  return common::splitmix64_mix(h);
}

std::vector<reports::db::MetricRow> update_run_metrics(reports::db::ResultsDb& db, std::int64_t run_id,
                                                       std::optional<metrics::TokenPrices> prices) {
  const std::vector<reports::db::SampleRow> rows = db.samples(run_id);
  metrics::MetricOptions options;
  options.equivalence_for_suite = [](const std::string& suite) -> metrics::AnswerEquivalence {
    if (suites::find_suite(suite).grader == "math") {
      return [](const std::string& a, const std::string& b) { return graders::math::answers_equivalent(a, b); };
    }
    return {};
  };
  std::vector<reports::db::MetricRow> result = metrics::compute_run_metrics(rows, options);
  if (!prices) prices = metrics::stored_token_prices(db.metrics(run_id));
  if (prices) {
    const std::vector<reports::db::MetricRow> cost = metrics::cost_metrics(rows, *prices);
    result.insert(result.end(), cost.begin(), cost.end());
  }
  db.replace_metrics(run_id, result);
  return result;
}

void validate_run_options(const RunOptions& options) { plan_suites(options); }

RunOutcome run_evaluation(const RunOptions& options, Backend& backend, reports::db::ResultsDb& db, Progress& progress,
                          const std::atomic<bool>& stop_requested) {
  std::vector<PlannedSuite> planned = plan_suites(options);
  const nlohmann::json identity = run_identity(options, planned);

  reports::db::RunInfo info;
  info.run_key = datasets::sha256_text(identity.dump());
  info.status = "running";
  info.started_at = common::utc_timestamp();
  info.model = options.model;
  info.template_name = options.template_name.empty() ? "per-suite" : options.template_name;
  info.suites = suite_names(planned);  // per-suite limits are in the provenance's identity
  info.samples = options.samples;
  info.limit = options.limit;
  info.max_new_tokens = options.max_new_tokens;
  info.temperature = options.temperature;
  info.top_p = options.top_p;
  info.seed = options.seed;
  info.provenance = {{"identity", identity}, {"build", common::build_info()}, {"machine", machine_info()},
                     {"backend", backend.provenance()}};
  // Before the run is marked running or anything is generated: a second process on the same run stops here.
  const RunLock lock = RunLock::acquire(db.path(), info.run_key);
  const reports::db::RunInfo run = db.begin_run(info);

  RunOutcome outcome;
  outcome.run_id = run.run_id;
  // Samples stored as not generated are not done: this invocation asks for them again, and their new rows replace
  // the old (ResultsDb::add_samples).
  std::set<SampleKey> stored;
  for (const reports::db::SampleRow& row : db.samples(run.run_id)) {
    if (row.outcome == static_cast<int>(graders::Outcome::kNotGenerated)) continue;
    stored.emplace(row.suite, row.problem_id, row.sample_index);
  }

  std::map<std::uint64_t, PendingProblem> pending;
  std::int64_t total_problems = 0;
  std::int64_t complete_problems = 0;
  std::vector<reports::db::SampleRow> unwritten;
  std::uint64_t next_id = 0;
  for (std::size_t s = 0; s < planned.size(); ++s) {
    const PlannedSuite& p = planned[s];
    for (std::size_t j = 0; j < p.data.problems.size(); ++j) {
      const datasets::Problem& problem = p.data.problems[j];
      ++total_problems;
      outcome.samples_total += p.samples;
      PendingProblem todo{s, j, {}, 0};
      CompletionRequest request;
      for (std::int64_t k = 0; k < p.samples; ++k) {
        if (stored.count({p.suite.name, problem.id, k}) > 0) {
          ++outcome.samples_resumed;
          continue;
        }
        todo.sample_indices.push_back(k);
        request.streams.push_back(sample_stream(p.suite.name, problem.id, k));
      }
      if (todo.sample_indices.empty()) {
        ++complete_problems;
        continue;
      }
      request.id = next_id++;
      request.user_message = suites::user_message(p.suite, problem);
      request.template_name = p.template_name;
      request.sampling = SamplingSettings{options.temperature, options.top_p, options.seed};
      request.max_new_tokens = p.max_new_tokens;
      todo.outstanding = static_cast<std::int64_t>(todo.sample_indices.size());
      try {
        backend.submit(request);
        pending.emplace(request.id, std::move(todo));
      } catch (const std::invalid_argument& e) {
        // A problem the backend cannot take (a prompt longer than the model's context) has no answer to grade: its
        // samples are stored as not generated, counted in error_rate and never scored.
        outcome.samples_not_generated += todo.outstanding;
        if (outcome.not_generated_reason.empty()) {
          outcome.not_generated_reason = p.suite.name + " problem " + problem.id + ": " + e.what();
        }
        for (const std::int64_t k : todo.sample_indices) {
          const SampleContext context{&p.suite, &problem, p.grader.get(), p.template_name, static_cast<std::int64_t>(j),
                                      k};
          unwritten.push_back(not_generated_sample(
              context, run.run_id, fmt::format("The backend could not take the prompt: {}.", e.what())));
        }
      }
    }
  }
  progress.start(outcome.samples_total, total_problems, outcome.samples_resumed, complete_problems);

  auto flush = [&] {
    if (unwritten.empty()) return;
    db.add_samples(unwritten);
    unwritten.clear();
  };
  std::vector<Completion> finished;
  auto last_flush = std::chrono::steady_clock::now();
  std::int64_t consecutive_failures = 0;
  while (!backend.idle() && !outcome.stopped_after_failures) {
    if (stop_requested.load()) {
      outcome.interrupted = true;
      break;
    }
    finished.clear();
    backend.advance(finished);
    progress.backend_activity(backend.activity());
    for (const Completion& c : finished) {
      PendingProblem& todo = pending.at(c.request_id);
      const PlannedSuite& p = planned[todo.suite];
      const SampleContext context{&p.suite, &p.data.problems[todo.problem], p.grader.get(), p.template_name,
                                  static_cast<std::int64_t>(todo.problem), todo.sample_indices[c.sample]};
      if (!c.error.empty()) {
        // Nothing was generated, so there is nothing to grade: the row says so and is never scored.
        ++outcome.samples_failed;
        outcome.last_failure = c.error;
        unwritten.push_back(
            not_generated_sample(context, run.run_id, fmt::format("The backend failed the sample: {}.", c.error)));
        progress.sample_done(0, --todo.outstanding == 0);
        if (++consecutive_failures >= options.max_consecutive_failures) outcome.stopped_after_failures = true;
        continue;
      }
      consecutive_failures = 0;
      if (c.finish_reason == "non_finite") {
        // Tokens drawn after the logits went NaN would be garbage, and grading the text before would score an
        // answer the model never finished: the sample is not generated, like one that could not start.
        ++outcome.samples_not_generated;
        if (outcome.not_generated_reason.empty()) {
          outcome.not_generated_reason = p.suite.name + " problem " + p.data.problems[todo.problem].id +
                                         ": the model's logits held a NaN or infinity";
        }
        reports::db::SampleRow row = not_generated_sample(
            context, run.run_id, "Generation stopped because the model's logits held a NaN or infinity.");
        row.prompt_tokens = c.prompt_tokens;
        row.finish_reason = c.finish_reason;
        unwritten.push_back(std::move(row));
        progress.sample_done(c.completion_tokens, --todo.outstanding == 0);
        continue;
      }
      reports::db::SampleRow row = grade_sample(context, c, run.run_id);
      if (c.max_new_tokens > 0 && c.max_new_tokens < p.max_new_tokens) {
        // The row records the budget it really had, so a truncation is not read against the suite's budget.
        row.detail += fmt::format("{}budget clamped to {} tokens by the model's context",
                                  row.detail.empty() ? "" : "; ", c.max_new_tokens);
        ++outcome.samples_clamped;
        if (outcome.smallest_budget == 0 || c.max_new_tokens < outcome.smallest_budget) {
          outcome.smallest_budget = c.max_new_tokens;
        }
      }
      unwritten.push_back(std::move(row));
      ++outcome.samples_generated;
      progress.sample_done(c.completion_tokens, --todo.outstanding == 0);
    }
    const auto now = std::chrono::steady_clock::now();
    if (static_cast<std::int64_t>(unwritten.size()) >= options.write_batch ||
        now - last_flush > std::chrono::seconds(2)) {
      flush();
      last_flush = now;
    }
  }
  flush();
  progress.finish();
  outcome.metrics = update_run_metrics(db, run.run_id, options.prices);
  const bool incomplete = outcome.interrupted || outcome.samples_failed > 0 || outcome.stopped_after_failures;
  db.set_run_status(run.run_id, incomplete ? "interrupted" : "finished", common::utc_timestamp());
  return outcome;
}

}  // namespace r1eval::evals::runner
