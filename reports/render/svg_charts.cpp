#include "reports/render/svg_charts.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <set>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "reports/render/text_escape.h"

namespace r1eval::reports::render::svg {
namespace {

constexpr double kWidth = 720.0;
constexpr double kHeight = 340.0;
// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
constexpr std::array<std::string_view, 8> kPalette = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                      "#56B4E9", "#D55E00", "#332288", "#999933"};
constexpr std::string_view kHighlightColour = "#D55E00";
constexpr std::size_t kMaxLabelChars = 24;

std::string_view colour(std::size_t index) { return kPalette[index % kPalette.size()]; }
// Beyond the palette, lines repeat its colours dashed so that series stay distinguishable.
std::string_view dash(std::size_t index) { return index < kPalette.size() ? "" : R"( stroke-dasharray="6 3")"; }

std::string num(double value) { return fmt::format("{:.1f}", value); }

// A label cut to max_chars characters (never inside a UTF-8 sequence), then escaped.
std::string label(std::string_view text, std::size_t max_chars = kMaxLabelChars) {
  const std::string clean = sanitize_text(text);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    if ((static_cast<unsigned char>(clean[i]) & 0xC0U) == 0x80U) continue;
    if (chars == max_chars) return html_escape(clean.substr(0, i)) + "\xE2\x80\xA6";
    ++chars;
  }
  return html_escape(clean);
}

struct Plot {
  double left;
  double top;
  double right;
  double bottom;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

std::string open_svg(const std::string& title) {
  return fmt::format(
      R"(<svg class="chart" viewBox="0 0 {0} {1}" width="{0}" height="{1}" font-family="sans-serif" font-size="12" )"
      R"(role="img"><title>{2}</title><rect width="{0}" height="{1}" fill="#ffffff"/>)"
      R"(<text x="12" y="22" font-size="15" font-weight="bold">{2}</text>)",
      kWidth, kHeight, html_escape(title));
}

std::string text(double x, double y, std::string_view escaped, std::string_view anchor = "middle",
                 std::string_view extra = "") {
  return fmt::format(R"(<text x="{}" y="{}" text-anchor="{}"{}>{}</text>)", num(x), num(y), anchor, extra, escaped);
}

std::string no_data(const std::string& title) {
  return open_svg(title) + text(kWidth / 2, kHeight / 2, "no data", "middle", R"( fill="#666666")") + "</svg>";
}

// The vertical scale: 0 to top in steps, labelled as percentages or plain numbers.
struct Scale {
  double top = 1.0;
  double step = 0.2;
  bool percent = false;
};

double nice_step(double raw) {
  if (!(raw > 0.0) || !std::isfinite(raw)) return 1.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  const double nice = fraction <= 1.0 ? 1.0 : fraction <= 2.0 ? 2.0 : fraction <= 5.0 ? 5.0 : 10.0;
  return nice * magnitude;
}

Scale value_scale(double max_value, bool percent, bool integer_steps) {
  if (percent) return {1.0, 0.2, true};
  Scale scale;
  if (!(max_value > 0.0) || !std::isfinite(max_value)) max_value = 1.0;
  scale.step = nice_step(max_value / 5.0);
  if (integer_steps) scale.step = std::max(1.0, scale.step);
  scale.top = std::max(scale.step, std::ceil(max_value / scale.step - 1e-9) * scale.step);
  return scale;
}

std::string tick_text(double value, const Scale& scale) {
  if (scale.percent) return fmt::format("{:.0f}%", value * 100.0);
  const int decimals = scale.step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(scale.step) - 1e-9));
  return fmt::format("{:.{}f}", value, decimals);
}

double y_of(const Plot& plot, const Scale& scale, double value) {
  const double clamped = std::clamp(value, 0.0, scale.top);
  return plot.bottom - clamped / scale.top * plot.height();
}

std::string value_axis(const Plot& plot, const Scale& scale, const std::string& axis_label) {
  std::string out;
  const auto steps = static_cast<int>(std::lround(scale.top / scale.step));
  for (int i = 0; i <= steps; ++i) {
    const double value = i * scale.step;
    const double y = y_of(plot, scale, value);
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dddddd"/>)", num(plot.left), num(y),
                       num(plot.right), num(y));
    out += text(plot.left - 6, y + 4, tick_text(value, scale), "end");
  }
  out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#333333"/>)", num(plot.left), num(plot.top),
                     num(plot.bottom));
  out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#333333"/>)", num(plot.left),
                     num(plot.bottom), num(plot.right));
  const double mid = (plot.top + plot.bottom) / 2;
  out += fmt::format(R"svg(<text x="16" y="{0}" text-anchor="middle" transform="rotate(-90 16 {0})">{1}</text>)svg",
                     num(mid), label(axis_label, 40));
  return out;
}

struct LegendEntry {
  std::string name;
  std::string_view colour;
  std::string_view dash;
};

// A row of legend entries under the title, wrapping onto a second row when needed.
std::string legend_row(const std::vector<LegendEntry>& entries, double x0, double y0) {
  std::string out;
  double x = x0;
  double y = y0;
  for (const auto& entry : entries) {
    const std::string name = label(entry.name, 32);
    const double width = 28.0 + 7.0 * static_cast<double>(std::min<std::size_t>(entry.name.size(), 32));
    if (x + width > kWidth - 12 && x > x0) {
      x = x0;
      y += 16;
    }
    out += fmt::format(R"(<rect x="{}" y="{}" width="12" height="10" fill="{}"/>)", num(x), num(y - 9), entry.colour);
    out += text(x + 16, y, name, "start");
    x += width;
  }
  return out;
}

std::string bar_tooltip(const std::string& series, const std::string& category, const Bar& bar, bool percent) {
  const auto show = [&](double v) { return percent ? fmt::format("{:.1f}%", v * 100.0) : fmt::format("{:g}", v); };
  std::string tip = (series.empty() ? category : series + ", " + category) + ": " + show(bar.value);
  if (bar.low && bar.high && std::isfinite(*bar.low) && std::isfinite(*bar.high)) {
    tip += fmt::format(" [{}, {}]", show(*bar.low), show(*bar.high));
  }
  return fmt::format("<title>{}</title>", html_escape(tip));
}

}  // namespace

HistogramBins histogram_bins(const std::vector<HistogramValue>& values, int max_bins) {
  HistogramBins bins;
  double low = 0.0;
  double high = 0.0;
  bool any = false;
  bool integers = true;
  for (const auto& item : values) {
    if (!std::isfinite(item.value)) continue;
    low = any ? std::min(low, item.value) : std::min(0.0, item.value);
    high = any ? std::max(high, item.value) : item.value;
    integers = integers && item.value == std::floor(item.value);
    any = true;
  }
  if (!any) return bins;
  max_bins = std::max(1, max_bins);
  double width = nice_step((high - low) / max_bins);
  if (integers) width = std::max(1.0, width);
  bins.start = std::floor(low / width) * width;
  const auto count = static_cast<std::size_t>(std::floor((high - bins.start) / width)) + 1;
  bins.width = width;
  bins.plain.assign(count, 0);
  bins.highlighted.assign(count, 0);
  for (const auto& item : values) {
    if (!std::isfinite(item.value)) continue;
    const auto index = std::min(count - 1, static_cast<std::size_t>(std::floor((item.value - bins.start) / width)));
    ++(item.highlighted ? bins.highlighted : bins.plain)[index];
  }
  return bins;
}

std::string bar_chart(const BarChart& chart) {
  const std::size_t categories = chart.categories.size();
  const std::size_t series_count = chart.series.size();
  double max_value = 0.0;
  bool any = false;
  for (const auto& series : chart.series) {
    for (std::size_t c = 0; c < std::min(categories, series.bars.size()); ++c) {
      const Bar& bar = series.bars[c];
      if (!std::isfinite(bar.value)) continue;
      any = true;
      max_value = std::max(max_value, bar.value);
      if (bar.high && std::isfinite(*bar.high)) max_value = std::max(max_value, *bar.high);
    }
  }
  if (!any) return no_data(chart.title);

  const bool legend = series_count > 1;
  const Plot plot{64.0, legend ? 64.0 : 44.0, kWidth - 20.0, kHeight - 78.0};
  const Scale scale = value_scale(max_value, chart.axis.percent, false);
  std::string out = open_svg(chart.title);
  if (legend) {
    std::vector<LegendEntry> entries;
    for (std::size_t s = 0; s < series_count; ++s) entries.push_back({chart.series[s].name, colour(s), ""});
    out += legend_row(entries, plot.left, 44.0);
  }
  out += value_axis(plot, scale, chart.axis.label);

  const double band = plot.width() / static_cast<double>(categories);
  const double bar_width = band * 0.8 / static_cast<double>(series_count);
  for (std::size_t c = 0; c < categories; ++c) {
    const double group_left = plot.left + band * static_cast<double>(c) + band * 0.1;
    for (std::size_t s = 0; s < series_count; ++s) {
      const auto& series = chart.series[s];
      if (c >= series.bars.size() || !std::isfinite(series.bars[c].value)) continue;
      const Bar& bar = series.bars[c];
      const double x = group_left + bar_width * static_cast<double>(s);
      const double y = y_of(plot, scale, bar.value);
      out += fmt::format(R"(<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}">{}</rect>)", num(x),
                         num(y), num(std::max(1.0, bar_width - 2.0)), num(plot.bottom - y), colour(s),
                         bar_tooltip(legend ? series.name : "", chart.categories[c], bar, chart.axis.percent));
      const double centre = x + bar_width / 2 - 1.0;
      double label_y = y - 4;
      if (bar.low && bar.high && std::isfinite(*bar.low) && std::isfinite(*bar.high)) {
        const double y_low = y_of(plot, scale, *bar.low);
        const double y_high = y_of(plot, scale, *bar.high);
        const double cap = std::min(6.0, bar_width / 4);
        out += fmt::format(
            R"(<g class="error-bar" stroke="#222222" stroke-width="1.5"><line x1="{0}" y1="{1}" x2="{0}" y2="{2}"/>)"
            R"(<line x1="{3}" y1="{1}" x2="{4}" y2="{1}"/><line x1="{3}" y1="{2}" x2="{4}" y2="{2}"/></g>)",
            num(centre), num(y_low), num(y_high), num(centre - cap), num(centre + cap));
        label_y = std::min(label_y, y_high - 4);
      }
      if (bar_width >= 34) {
        const std::string value =
            chart.axis.percent ? fmt::format("{:.1f}%", bar.value * 100.0) : fmt::format("{:g}", bar.value);
        out += text(centre, label_y, value, "middle", R"( font-size="11")");
      }
    }
    const double centre = plot.left + band * (static_cast<double>(c) + 0.5);
    if (band < 80) {
      out += fmt::format(R"svg(<text x="{0}" y="{1}" text-anchor="end" transform="rotate(-35 {0} {1})">{2}</text>)svg",
                         num(centre), num(plot.bottom + 14), label(chart.categories[c], 18));
    } else {
      out += text(centre, plot.bottom + 16, label(chart.categories[c]));
    }
  }
  return out + "</svg>";
}

std::string line_chart(const LineChart& chart) {
  const auto to_axis = [&](double x) { return chart.log2_x ? std::log2(x) : x; };
  const auto usable = [&](const LinePoint& p) {
    return std::isfinite(p.x) && std::isfinite(p.y) && (!chart.log2_x || p.x > 0.0);
  };
  std::set<double> xs;
  double max_y = 0.0;
  for (const auto& series : chart.series) {
    for (const auto& point : series.points) {
      if (!usable(point)) continue;
      xs.insert(point.x);
      max_y = std::max(max_y, point.y);
    }
  }
  if (xs.empty()) return no_data(chart.title);

  const Plot plot{64.0, 44.0, kWidth - 180.0, kHeight - 56.0};
  const Scale scale = value_scale(max_y, chart.axis.percent, false);
  double x_min = to_axis(*xs.begin());
  double x_max = to_axis(*xs.rbegin());
  if (x_max - x_min < 1e-12) {
    x_min -= 1.0;
    x_max += 1.0;
  }
  const double pad = (x_max - x_min) * 0.04;
  const auto x_of = [&](double x) {
    return plot.left + (to_axis(x) - x_min + pad) / (x_max - x_min + 2 * pad) * plot.width();
  };

  std::string out = open_svg(chart.title) + value_axis(plot, scale, chart.axis.label);
  double last_tick = -1e9;
  for (const double x : xs) {
    const double px = x_of(x);
    out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#333333"/>)", num(px), num(plot.bottom),
                       num(plot.bottom + 4));
    if (px - last_tick >= 26) {
      out += text(px, plot.bottom + 17, html_escape(fmt::format("{:g}", x)));
      last_tick = px;
    }
  }
  out += text((plot.left + plot.right) / 2, plot.bottom + 38, label(chart.x_label, 60));

  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    std::vector<LinePoint> points;
    std::copy_if(chart.series[s].points.begin(), chart.series[s].points.end(), std::back_inserter(points), usable);
    std::sort(points.begin(), points.end(), [](const LinePoint& a, const LinePoint& b) { return a.x < b.x; });
    const std::string name = sanitize_text(chart.series[s].name);
    std::string path;
    std::string markers;
    for (const auto& point : points) {
      const double px = x_of(point.x);
      const double py = y_of(plot, scale, point.y);
      path += fmt::format("{}{},{}", path.empty() ? "" : " ", num(px), num(py));
      const std::string value =
          chart.axis.percent ? fmt::format("{:.1f}%", point.y * 100.0) : fmt::format("{:g}", point.y);
      markers += fmt::format(R"(<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}</title></circle>)", num(px),
                             num(py), colour(s), html_escape(fmt::format("{} at {:g}: {}", name, point.x, value)));
    }
    out += fmt::format(R"(<g class="series"><polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>{}</g>)",
                       path, colour(s), dash(s), markers);
    const double legend_y = plot.top + 6 + 18.0 * static_cast<double>(s);
    out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}" stroke-width="2"{4}/>)",
                       num(plot.right + 16), num(legend_y - 4), num(plot.right + 36), colour(s), dash(s));
    out += text(plot.right + 42, legend_y, label(name, 20), "start");
  }
  return out + "</svg>";
}

std::string histogram(const Histogram& chart) {
  const HistogramBins bins = histogram_bins(chart.values, chart.max_bins);
  if (bins.plain.empty()) return no_data(chart.title);
  std::int64_t max_count = 0;
  bool any_highlighted = false;
  for (std::size_t i = 0; i < bins.plain.size(); ++i) {
    max_count = std::max(max_count, bins.plain[i] + bins.highlighted[i]);
    any_highlighted = any_highlighted || bins.highlighted[i] > 0;
  }
  const Plot plot{64.0, 64.0, kWidth - 20.0, kHeight - 56.0};
  const Scale scale = value_scale(static_cast<double>(max_count), false, true);
  std::string out = open_svg(chart.title);
  std::vector<LegendEntry> legend = {{chart.plain_name, colour(0), ""}};
  if (any_highlighted) legend.push_back({chart.highlighted_name, kHighlightColour, ""});
  out += legend_row(legend, plot.left, 44.0);
  out += value_axis(plot, scale, "samples");

  const std::size_t count = bins.plain.size();
  const double bin_width = plot.width() / static_cast<double>(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double x = plot.left + bin_width * static_cast<double>(i);
    const double from = bins.start + bins.width * static_cast<double>(i);
    const std::string range = fmt::format("{:g}–{:g}", from, from + bins.width);
    const double y_plain = y_of(plot, scale, static_cast<double>(bins.plain[i]));
    const double y_total = y_of(plot, scale, static_cast<double>(bins.plain[i] + bins.highlighted[i]));
    const double drawn_width = std::max(1.0, bin_width - 1.0);
    if (bins.plain[i] > 0) {
      out += fmt::format(R"(<rect class="bin" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>)",
                         num(x), num(y_plain), num(drawn_width), num(plot.bottom - y_plain), colour(0),
                         html_escape(fmt::format("{}: {} {}", range, bins.plain[i], sanitize_text(chart.plain_name))));
    }
    if (bins.highlighted[i] > 0) {
      out += fmt::format(
          R"(<rect class="bin" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>)", num(x),
          num(y_total), num(drawn_width), num(y_plain - y_total), kHighlightColour,
          html_escape(fmt::format("{}: {} {}", range, bins.highlighted[i], sanitize_text(chart.highlighted_name))));
    }
  }
  // Edge labels: at most about eight, always including the first edge.
  const std::size_t every = std::max<std::size_t>(1, (count + 7) / 8);
  for (std::size_t i = 0; i <= count; i += every) {
    const double x = plot.left + bin_width * static_cast<double>(i);
    out +=
        text(x, plot.bottom + 16, html_escape(fmt::format("{:g}", bins.start + bins.width * static_cast<double>(i))));
  }
  out += text((plot.left + plot.right) / 2, plot.bottom + 38, label(chart.x_label, 60));
  return out + "</svg>";
}

}  // namespace r1eval::reports::render::svg
