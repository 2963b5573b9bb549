// The Markdown report: the same sections and tables as the HTML report, without charts.
#include <fmt/format.h>

#include "reports/render/error_notice.h"
#include "reports/render/grading_tables.h"
#include "reports/render/metric_format.h"
#include "reports/render/problem_tables.h"
#include "reports/render/render_formats.h"
#include "reports/render/report_content.h"
#include "reports/render/report_tables.h"
#include "reports/render/text_escape.h"

namespace r1eval::reports::render {
namespace {

void append_table(std::string& out, const TextTable& table) {
  out += "|";
  for (const auto& cell : table.header) out += fmt::format(" {} |", markdown_inline(cell));
  out += "\n|";
  for (std::size_t c = 0; c < table.header.size(); ++c) out += table.numeric[c] ? " ---: |" : " --- |";
  out += "\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const char* emphasis = table.flagged[r] ? "**" : "";
    out += "|";
    for (const auto& cell : table.rows[r]) out += fmt::format(" {0}{1}{0} |", emphasis, markdown_inline(cell));
    out += "\n";
  }
  out += "\n";
}

void append_fields(std::string& out, const std::vector<Field>& fields) {
  for (const auto& field : fields) {
    out += fmt::format("- **{}:** {}\n", markdown_inline(field.name), markdown_inline(field.value));
  }
  out += "\n";
}

void append_table_or(std::string& out, const TextTable& table, std::string_view empty_note) {
  if (table.rows.empty()) {
    out += fmt::format("_{}_\n\n", empty_note);
  } else {
    append_table(out, table);
  }
}

void append_examples(std::string& out, const ReportData& data) {
  const auto examples = pick_examples(data, kExampleBytes);
  if (examples.empty()) return;
  out += "## Example completions\n\nEach suite's first incorrect and first correct sample.\n\n";
  for (const auto& example : examples) {
    out += fmt::format("### {}{} · problem {} · sample {} · {} ({})\n\n", markdown_inline(example.suite),
                       example.subset.empty() ? std::string() : fmt::format(" / {}", markdown_inline(example.subset)),
                       markdown_inline(example.problem_id), example.sample_index,
                       example.correct ? "correct" : "incorrect", markdown_inline(example.outcome));
    out += fmt::format("Extracted answer: {} · finish: {} · {} tokens\n\n",
                       example.extracted.empty() ? std::string(kMissing) : markdown_inline(example.extracted),
                       markdown_inline(example.finish_reason), example.completion_tokens);
    out += markdown_code_block(example.excerpt) + "\n";
    if (example.excerpt.size() < example.full_bytes) {
      out += fmt::format("_(first {} of {} bytes)_\n\n", example.excerpt.size(), example.full_bytes);
    }
  }
}

void append_bench(std::string& out, const ReportData& data) {
  if (!data.bench) return;
  out += fmt::format("## Benchmark {}\n\n", data.bench->bench_id);
  append_fields(out, {{"Started", data.bench->started_at}, {"Model", data.bench->model}});
  const auto machine = json_fields(data.bench->machine);
  if (!machine.empty()) {
    out += "### Machine\n\n";
    append_table(out, field_table(machine));
  }
  out += "### Kernels\n\n";
  append_table_or(out, kernels_table(data), "No kernel results.");
  out += "### Throughput and cost\n\n";
  append_table_or(out, throughput_table(data), "No throughput results.");
}

}  // namespace

std::string render_markdown(const ReportData& data) {
  std::string out = fmt::format("# r1eval report: run {}\n\n", data.run.run_id);
  append_fields(out, run_fields(data));
  if (const std::string notice = error_notice(data); !notice.empty()) {
    out += fmt::format("> **Errors:** {}\n\n", markdown_inline(notice));
  }

  out += "## Results\n\n";
  const TextTable summary = summary_table(data);
  if (summary.rows.empty()) {
    out += "_No results yet: the run has no samples or metrics._\n\n";
  } else {
    append_table(out, summary);
    out += "## All metrics\n\nIntervals are 95% bootstrap intervals over problems and samples.\n\n";
    append_table_or(out, metrics_table(data), "No metrics computed yet.");
    out += fmt::format("## Difficulty\n\n{}\n\n", kDifficultyNote);
    append_table_or(out, difficulty_table(data), "No samples yet.");
  }

  if (!data.baseline_name.empty()) {
    out += fmt::format("## Comparison with {}\n\n", markdown_inline(data.baseline_name));
    append_table_or(out, comparison_table(data), "No shared suites and metrics to compare.");
    std::size_t regressions = 0;
    for (const auto& row : data.comparison) regressions += row.significant_regression ? 1 : 0;
    out += regressions == 0
               ? std::string("No significant regression.\n\n")
               : fmt::format("**{} significant regression{}.**\n\n", regressions, regressions == 1 ? "" : "s");
  }

  if (data.gradings >= 2) {
    out += fmt::format("## Audit: grading 1 against grading {}\n\n{}\n\n", data.gradings,
                       markdown_inline(audit_note(data)));
    if (!data.audit.empty()) append_table(out, audit_table(data));
  }

  const TextTable outcomes = outcomes_table(data);
  if (!outcomes.rows.empty()) {
    out += "## Outcomes\n\n";
    append_table(out, outcomes);
  }
  append_examples(out, data);
  append_bench(out, data);
  // Last: the hashes and settings that matter when reproducing a run, not when reading it.
  const auto provenance = json_fields(data.run.provenance);
  if (!provenance.empty()) {
    out += "## Provenance\n\n";
    append_table(out, field_table(provenance));
  }
  return out;
}

}  // namespace r1eval::reports::render
