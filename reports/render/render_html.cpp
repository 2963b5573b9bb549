// The HTML report: one self-contained file. Styles and SVG charts are inline, nothing is fetched (the page's
// Content-Security-Policy forbids it, and forbids script, as a second line of defence behind escaping).
#include <fmt/format.h>

#include "reports/render/error_notice.h"
#include "reports/render/grading_tables.h"
#include "reports/render/metric_format.h"
#include "reports/render/problem_pages.h"
#include "reports/render/problem_tables.h"
#include "reports/render/render_formats.h"
#include "reports/render/report_charts.h"
#include "reports/render/report_content.h"
#include "reports/render/report_tables.h"
#include "reports/render/text_escape.h"

namespace r1eval::reports::render {
namespace {

constexpr std::string_view kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; margin: 0; background: #f6f7f9; }
main { max-width: 1160px; margin: 0 auto; padding: 24px; background: #ffffff; }
h1 { font-size: 1.6em; margin-top: 0; }
h2 { border-bottom: 1px solid #d0d4da; padding-bottom: 4px; margin-top: 2em; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
th, td { border: 1px solid #d0d4da; padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef0f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.flagged td { background: #fde2e2; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; border: 1px solid #e1e4e8; flex: 1 1 520px; max-width: 720px; }
svg.chart { display: block; width: 100%; height: auto; }
details { margin: 8px 0; border: 1px solid #e1e4e8; padding: 4px 8px; }
summary { cursor: pointer; font-weight: 600; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: 8px; font-size: 0.85em; }
p.note { color: #555555; }
p.alert { color: #b00020; font-weight: 600; }
)";

std::string table_html(const TextTable& table) {
  std::string out = "<table>\n<thead><tr>";
  for (const auto& cell : table.header) out += fmt::format("<th>{}</th>", html_escape(cell));
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    out += table.flagged[r] ? R"(<tr class="flagged">)" : "<tr>";
    for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
      out += table.numeric[c] ? R"(<td class="num">)" : "<td>";
      out += html_escape(table.rows[r][c]) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string table_or_note(const TextTable& table, std::string_view note) {
  if (table.rows.empty()) return fmt::format("<p class=\"note\">{}</p>\n", html_escape(note));
  return table_html(table);
}

std::string fields_html(const std::vector<Field>& fields) {
  std::string out = "<dl class=\"fields\">\n";
  for (const auto& field : fields) {
    out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", html_escape(field.name), html_escape(field.value));
  }
  return out + "</dl>\n";
}

std::string figure(const std::string& svg_markup) { return fmt::format("<figure>{}</figure>\n", svg_markup); }

std::string results_section(const ReportData& data) {
  std::string out = "<section id=\"results\">\n<h2>Results</h2>\n";
  const TextTable summary = summary_table(data);
  if (summary.rows.empty()) {
    return out + "<p class=\"note\">No results yet: the run has no samples or metrics.</p>\n</section>\n";
  }
  out += table_html(summary);
  std::string charts;
  if (const auto chart = pass1_chart(data)) charts += figure(svg::bar_chart(*chart));
  if (const auto chart = pass_at_k_chart(data)) charts += figure(svg::line_chart(*chart));
  if (const auto chart = reasoning_chart(data)) charts += figure(svg::bar_chart(*chart));
  if (!charts.empty()) out += fmt::format("<div class=\"charts\">\n{}</div>\n", charts);
  out +=
      "<h2 id=\"metrics\">All metrics</h2>\n"
      "<p class=\"note\">Intervals are 95% bootstrap intervals over problems and samples.</p>\n";
  out += table_or_note(metrics_table(data), "No metrics computed yet.");
  out += fmt::format("<h2 id=\"difficulty\">Difficulty</h2>\n<p class=\"note\">{}</p>\n", kDifficultyNote);
  out += table_or_note(difficulty_table(data), "No samples yet.");
  return out + "</section>\n";
}

std::string comparison_section(const ReportData& data) {
  if (data.baseline_name.empty()) return "";
  std::string out =
      fmt::format("<section id=\"comparison\">\n<h2>Comparison with {}</h2>\n", html_escape(data.baseline_name));
  out += table_or_note(comparison_table(data), "No shared suites and metrics to compare.");
  std::size_t regressions = 0;
  for (const auto& row : data.comparison) regressions += row.significant_regression ? 1 : 0;
  out += regressions == 0 ? std::string("<p class=\"note\">No significant regression.</p>\n")
                          : fmt::format("<p class=\"alert\">{} significant regression{}.</p>\n", regressions,
                                        regressions == 1 ? "" : "s");
  return out + "</section>\n";
}

// With two gradings or more: the samples whose verdicts the latest grading changed.
std::string audit_section(const ReportData& data) {
  if (data.gradings < 2) return {};
  std::string out = fmt::format("<section id=\"audit\">\n<h2>Audit: grading 1 against grading {}</h2>\n<p>{}</p>\n",
                                data.gradings, html_escape(audit_note(data)));
  if (!data.audit.empty()) out += table_html(audit_table(data));
  return out + "</section>\n";
}

std::string samples_section(const ReportData& data) {
  const TextTable outcomes = outcomes_table(data);
  if (outcomes.rows.empty()) return "";
  std::string out = fmt::format("<section id=\"samples\">\n<h2>Outcomes</h2>\n{}", table_html(outcomes));
  out += "<h2 id=\"lengths\">Completion lengths</h2>\n<div class=\"charts\">\n";
  for (const auto& chart : completion_length_histograms(data)) out += figure(svg::histogram(chart));
  out +=
      "</div>\n<h2 id=\"examples\">Example completions</h2>\n"
      "<p class=\"note\">Each suite's first incorrect and first correct sample.</p>\n";
  for (const auto& example : pick_examples(data, kExampleBytes)) {
    out +=
        fmt::format("<details><summary>{}{} · problem {} · sample {} · {} ({})</summary>\n", html_escape(example.suite),
                    example.subset.empty() ? std::string() : fmt::format(" / {}", html_escape(example.subset)),
                    html_escape(example.problem_id), example.sample_index, example.correct ? "correct" : "incorrect",
                    html_escape(example.outcome));
    out += fmt::format("<p>Extracted answer: <code>{}</code> · finish: {} · {} tokens</p>\n",
                       html_escape(example.extracted.empty() ? kMissing : example.extracted),
                       html_escape(example.finish_reason), example.completion_tokens);
    out += fmt::format("<pre>{}</pre>\n", html_escape(example.excerpt));
    if (example.excerpt.size() < example.full_bytes) {
      out += fmt::format("<p class=\"note\">First {} of {} bytes.</p>\n", example.excerpt.size(), example.full_bytes);
    }
    out += "</details>\n";
  }
  return out + "</section>\n";
}

std::string bench_section(const ReportData& data) {
  if (!data.bench) return "";
  std::string out = fmt::format("<section id=\"bench\">\n<h2>Benchmark {}</h2>\n", data.bench->bench_id);
  out += fields_html({{"Started", data.bench->started_at}, {"Model", data.bench->model}});
  const auto machine = json_fields(data.bench->machine);
  if (!machine.empty()) out += fmt::format("<h3>Machine</h3>\n{}", table_html(field_table(machine)));
  out += fmt::format("<h3>Kernels</h3>\n{}", table_or_note(kernels_table(data), "No kernel results."));
  if (const auto chart = roofline_chart(data)) out += figure(svg::bar_chart(*chart));
  out +=
      fmt::format("<h3>Throughput and cost</h3>\n{}", table_or_note(throughput_table(data), "No throughput results."));
  return out + "</section>\n";
}

}  // namespace

std::string render_html(const ReportData& data) {
  const std::string title = fmt::format("r1eval report: run {}", data.run.run_id);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n", title, kStyle);
  out += fmt::format("<h1>{}</h1>\n<section id=\"run\">\n", title) + fields_html(run_fields(data));
  out += "</section>\n";
  if (const std::string notice = error_notice(data); !notice.empty()) {
    out += fmt::format("<p id=\"errors\" role=\"alert\"><strong>Errors:</strong> {}</p>\n", html_escape(notice));
  }
  out += results_section(data);
  out += comparison_section(data);
  out += audit_section(data);
  out += samples_section(data);
  out += problems_section_html(data);
  out += bench_section(data);
  // Last and folded: dozens of hashes and settings that matter when reproducing a run, not when reading it.
  const auto provenance = json_fields(data.run.provenance);
  if (!provenance.empty()) {
    out += fmt::format(
        "<section id=\"provenance\">\n<h2>Provenance</h2>\n<details><summary>{} fields: build, machine, "
        "model and data hashes, suite settings</summary>\n{}</details>\n</section>\n",
        provenance.size(), table_html(field_table(provenance)));
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace r1eval::reports::render
