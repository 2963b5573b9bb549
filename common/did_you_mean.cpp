#include "common/did_you_mean.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

namespace r1eval::common {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Edit distance over case-folded text where swapping two neighbours counts as one edit (optimal string
// alignment), so the commonest typo, "maht" for "math", is one edit away.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, row);
  }
  return previous[b.size()];
}

}  // namespace

std::string did_you_mean(std::string_view name, const std::vector<std::string>& known) {
  if (known.empty()) return "";
  const std::string wanted = lower(name);
  const std::string* best = nullptr;
  std::size_t best_distance = static_cast<std::size_t>(-1);
  for (const std::string& candidate : known) {
    const std::size_t distance = edit_distance(wanted, lower(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = &candidate;
    }
  }
  // Close means: at most a third of the longer name changed, and never more than 3 edits.
  const std::size_t longest = std::max(wanted.size(), best->size());
  if (best_distance <= std::min<std::size_t>(3, std::max<std::size_t>(1, longest / 3))) {
    return "; did you mean '" + *best + "'?";
  }
  // Otherwise a name that contains the wanted one, or is contained in it ("aime" for "aime2024").
  for (const std::string& candidate : known) {
    const std::string folded = lower(candidate);
    if (!wanted.empty() && (folded.find(wanted) != std::string::npos || wanted.find(folded) != std::string::npos)) {
      return "; did you mean '" + candidate + "'?";
    }
  }
  std::string list;
  for (const std::string& candidate : known) list += (list.empty() ? "" : ", ") + candidate;
  return "; known names: " + list;
}

}  // namespace r1eval::common
