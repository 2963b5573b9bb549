// A hand-built report: three suites with known metrics, twelve samples each (one completion holding HTML, a
// script tag and invalid UTF-8), a comparison with exactly one significant regression, and a bench section.
#pragma once

#include <string>

#include "reports/render/report_data.h"

namespace r1eval::reports::render::testing {

// The hostile completion of gsm8k problem p0, sample 0.
inline const std::string kHostileCompletion =
    "<think>2+2</think> <script>alert(1)</script> bad bytes: \xFF\xFE and \xC3( end \\boxed{4}";

ReportData sample_report_data();

// A run that has just started: no samples, no metrics.
ReportData empty_report_data();

// True when text is valid UTF-8 (checked by nlohmann::json's strict serializer, independent of the renderers).
bool is_valid_utf8(const std::string& text);

}  // namespace r1eval::reports::render::testing
