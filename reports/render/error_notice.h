// The one sentence a report opens with when some of the run's samples are errors rather than verdicts (sandbox_error,
// not_generated, grader_error: graders::is_scored): how many, their share and their kinds, so that no reader takes
// the scores below for the whole run's.
#pragma once

#include <string>

#include "reports/render/report_data.h"

namespace r1eval::reports::render {

// Empty when the run has no error. The count and share come from the run's "all" metrics (errors, samples), or
// from the samples when the run's metrics predate them; the kinds, with their counts, from the samples.
std::string error_notice(const ReportData& data);

}  // namespace r1eval::reports::render
