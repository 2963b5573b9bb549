#include "graders/logic/knights_knaves.h"

#include <algorithm>
#include <cctype>

#include "graders/format/reasoning_parts.h"
#include "graders/logic/answer_span.h"

namespace r1eval::graders::logic {
namespace {

constexpr std::size_t kRoleWindow = 200;

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool is_word_at(std::string_view text, std::size_t at, std::size_t length) {
  return (at == 0 || !word_char(text[at - 1])) && (at + length >= text.size() || !word_char(text[at + length]));
}

// 1 / 0 for the first role word in `segment` (lower-cased), -1 when there is none.
int role_in(const std::string& segment) {
  std::size_t best = std::string::npos;
  int role = -1;
  for (const auto& [word, value] : {std::pair<std::string_view, int>{"knight", 1}, {"knave", 0}}) {
    for (std::size_t at = segment.find(word); at != std::string::npos; at = segment.find(word, at + 1)) {
      const std::size_t length = word.size() + (at + word.size() < segment.size() && segment[at + word.size()] == 's');
      if (!is_word_at(segment, at, length)) continue;
      if (at < best) {
        best = at;
        role = value;
      }
      break;
    }
  }
  if (role < 0) return -1;
  // "is not a knight" / "isn't a knave": a negation right before the role word flips it.
  const std::string before = segment.substr(0, best);
  const std::size_t tail = before.size() > 12 ? before.size() - 12 : 0;
  const std::string near = before.substr(tail);
  if (near.find("not ") != std::string::npos || near.find("n't ") != std::string::npos) role = 1 - role;
  return role;
}

KnightsKnaves from_names_and_solution(const nlohmann::json& record) {
  KnightsKnaves kk;
  for (const nlohmann::json& name : record["names"]) kk.names.push_back(name.get<std::string>());
  for (const nlohmann::json& value : record["solution"]) kk.knight.push_back(value.get<bool>());
  if (kk.names.size() != kk.knight.size()) {
    throw std::invalid_argument("logic: the Knights-and-Knaves record has " + std::to_string(kk.names.size()) +
                                " names but " + std::to_string(kk.knight.size()) + " roles");
  }
  return kk;
}

bool has_names_and_solution(const nlohmann::json& record) {
  return record.is_object() && record.contains("names") && record["names"].is_array() && record.contains("solution") &&
         record["solution"].is_array();
}

// Names in a gold sentence: the words before each " is a knight/knave".
std::vector<std::string> names_in_sentence(std::string_view text) {
  std::vector<std::string> names;
  for (std::size_t at = text.find(" is a "); at != std::string_view::npos; at = text.find(" is a ", at + 1)) {
    std::size_t start = at;
    while (start > 0 && (word_char(text[start - 1]) || text[start - 1] == '-' || text[start - 1] == '\'')) --start;
    if (start < at) names.emplace_back(text.substr(start, at - start));
  }
  return names;
}

}  // namespace

std::vector<int> read_roles(std::string_view answer, const std::vector<std::string>& names) {
  std::vector<int> roles(names.size(), -1);
  for (std::size_t n = 0; n < names.size(); ++n) {
    const std::string& name = names[n];
    if (name.empty()) continue;
    for (std::size_t at = answer.rfind(name); at != std::string_view::npos;
         at = at == 0 ? std::string_view::npos : answer.rfind(name, at - 1)) {
      if (!is_word_at(answer, at, name.size())) continue;
      const std::size_t from = at + name.size();
      // The role follows the name closely ("X is a knight"); a bounded window keeps huge one-line outputs linear.
      std::string_view window = answer.substr(from, kRoleWindow);
      window = window.substr(0, window.find('\n'));
      const int role = role_in(lower(window));
      if (role >= 0) {
        roles[n] = role;
        break;
      }
    }
  }
  return roles;
}

std::optional<KnightsKnaves> knights_knaves_gold(const nlohmann::json& gold, const nlohmann::json& problem) {
  if (has_names_and_solution(gold)) return from_names_and_solution(gold);
  if (has_names_and_solution(problem)) return from_names_and_solution(problem);
  if (!gold.is_string()) return std::nullopt;
  const std::string text = gold.get<std::string>();
  const std::string low = lower(text);
  if (low.find("knight") == std::string::npos && low.find("knave") == std::string::npos) return std::nullopt;
  KnightsKnaves kk;
  kk.names = problem.is_object() && problem.contains("names") && problem["names"].is_array()
                 ? problem["names"].get<std::vector<std::string>>()
                 : names_in_sentence(text);
  if (kk.names.empty()) return std::nullopt;
  for (int role : read_roles(text, kk.names)) {
    if (role < 0) throw std::invalid_argument("logic: the gold Knights-and-Knaves answer does not give every role");
    kk.knight.push_back(role == 1);
  }
  return kk;
}

}  // namespace r1eval::graders::logic
