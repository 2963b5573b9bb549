// A small HTML well-formedness check for the report tests, independent of the renderer: tags balance (void
// elements excepted, "/>" only inside SVG where the HTML parser honours it), no bare '<' or '&' in text, and
// every attribute collected so tests can look for external URLs.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace r1eval::reports::render::testing {

struct HtmlCheck {
  std::string error;                                            // empty when well-formed
  std::vector<std::pair<std::string, std::string>> attributes;  // (lowercase name, value) in document order
  std::map<std::string, int> elements;                          // start tags per lowercase element name
};

HtmlCheck check_html(std::string_view html);

}  // namespace r1eval::reports::render::testing
