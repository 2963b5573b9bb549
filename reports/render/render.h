// `r1eval report`: a run rendered as Markdown, one self-contained HTML file (inline CSS and SVG charts, no
// external resources, no script), or a stable JSON document. Every string from the run (completions included) is
// escaped for the output format and invalid UTF-8 is replaced, so any database renders to a valid file.
#pragma once

#include <string>
#include <string_view>

#include "reports/render/report_data.h"

namespace r1eval::reports::render {

enum class ReportFormat { kMarkdown, kHtml, kJson };

// "md" (or "markdown"), "html", "json". Throws std::invalid_argument naming the valid formats.
ReportFormat parse_report_format(std::string_view name);

std::string render_report(const ReportData& data, ReportFormat format);

}  // namespace r1eval::reports::render
