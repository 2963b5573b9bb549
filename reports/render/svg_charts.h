// Charts as inline SVG text: pure functions from numbers and labels to markup, no script and no external
// resources. Every label is escaped (and made valid UTF-8) here, so callers pass raw names. Values that are not
// finite are left out of a chart rather than drawn; a chart with nothing to draw says "no data".
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace r1eval::reports::render::svg {

struct ValueAxis {
  std::string label;
  bool percent = false;  // values are fractions in [0, 1], drawn on a fixed 0–100% axis
};

struct Bar {
  double value = std::numeric_limits<double>::quiet_NaN();
  std::optional<double> low;  // interval drawn as an error bar when both ends are finite
  std::optional<double> high;
};

struct BarSeries {
  std::string name;
  std::vector<Bar> bars;  // one per category; missing trailing bars count as NaN
};

// Grouped bars: one group per category, one bar per series in each group, a legend when there are several series.
struct BarChart {
  std::string title;
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  ValueAxis axis;
};

struct LinePoint {
  double x = 0.0;
  double y = 0.0;
};

struct LineSeries {
  std::string name;
  std::vector<LinePoint> points;  // drawn in x order
};

struct LineChart {
  std::string title;
  std::string x_label;
  bool log2_x = false;  // x on a log2 axis (x <= 0 is left out); ticks at the x values present
  std::vector<LineSeries> series;
  ValueAxis axis;
};

struct HistogramValue {
  double value = 0.0;
  bool highlighted = false;  // stacked on top in a second colour (e.g. a truncated completion)
};

// Counts per equal-width bin; bin i covers [start + i·width, start + (i+1)·width).
struct HistogramBins {
  double start = 0.0;
  double width = 1.0;
  std::vector<std::int64_t> plain;
  std::vector<std::int64_t> highlighted;
};

// Bins of a "nice" width (1, 2 or 5 × 10^k, at least 1 for integer data) from min(0, smallest) so that at most
// max_bins + 1 bins cover every finite value. No finite value: no bins.
HistogramBins histogram_bins(const std::vector<HistogramValue>& values, int max_bins);

struct Histogram {
  std::string title;
  std::string x_label;
  std::vector<HistogramValue> values;
  std::string plain_name;  // legend entries
  std::string highlighted_name;
  int max_bins = 20;
};

std::string bar_chart(const BarChart& chart);
std::string line_chart(const LineChart& chart);
std::string histogram(const Histogram& chart);

}  // namespace r1eval::reports::render::svg
