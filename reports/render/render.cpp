#include "reports/render/render.h"

#include <stdexcept>

#include "reports/render/render_formats.h"
#include "reports/render/text_escape.h"

namespace r1eval::reports::render {

ReportFormat parse_report_format(std::string_view name) {
  if (name == "md" || name == "markdown") return ReportFormat::kMarkdown;
  if (name == "html") return ReportFormat::kHtml;
  if (name == "json") return ReportFormat::kJson;
  throw std::invalid_argument("unknown report format \"" + sanitize_text(name) + "\": expected md, html or json");
}

std::string render_report(const ReportData& data, ReportFormat format) {
  switch (format) {
    case ReportFormat::kMarkdown: return render_markdown(data);
    case ReportFormat::kHtml: return render_html(data);
    case ReportFormat::kJson: return render_json(data);
  }
  throw std::invalid_argument("render_report: unknown report format value");
}

}  // namespace r1eval::reports::render
