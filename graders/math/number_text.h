// How digits separated by commas and spaces read as numbers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace r1eval::graders::math {

// "1,000,000", "1 000 000" and "-12,345.5" as the whole answer are one number: groups of three digits after a
// first group of one to three that does not start with 0. Anything else is returned as it is: inside tuples a
// comma separates, and "0,125" or "1,22" are not thousands.
std::string join_thousands(std::string s);

// "1,22" and "0,125" read with a decimal comma: "1.22", "0.125". nullopt unless the whole text is two digit
// groups joined by one comma; three digits after a comma are thousands, so join_thousands has taken those
// (except after a leading 0). The reading is ambiguous in general ("0,1" lists the roots 0 and 1), so the
// comparison uses it only for a prediction against a gold that is one number.
std::optional<std::string> decimal_comma_reading(std::string_view s);

}  // namespace r1eval::graders::math
