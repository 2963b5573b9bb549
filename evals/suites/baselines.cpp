#include "evals/suites/baselines.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "common/did_you_mean.h"
#include "common/json_limits.h"
#include "common/repo_paths.h"
#include "evals/suites/suite.h"

namespace r1eval::evals::suites {
namespace {

constexpr std::string_view kPrefix = "paper:";

std::string string_at(const nlohmann::json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    throw std::invalid_argument(where + ": missing or empty string '" + key + "'");
  }
  return it->get<std::string>();
}

BaselineFigure read_figure(const nlohmann::json& item, const std::string& default_source, const std::string& where,
                           const std::vector<std::string>& suites) {
  if (!item.is_object()) throw std::invalid_argument(where + ": a figure must be a JSON object");
  BaselineFigure figure;
  figure.suite = string_at(item, "suite", where);
  if (std::find(suites.begin(), suites.end(), figure.suite) == suites.end()) {
    throw std::invalid_argument(where + ": unknown suite '" + figure.suite + "'" +
                                common::did_you_mean(figure.suite, suites));
  }
  figure.metric = string_at(item, "metric", where);
  const auto value = item.find("value");
  if (value == item.end() || !value->is_number() || value->get<double>() < 0.0 || value->get<double>() > 1.0) {
    throw std::invalid_argument(where + ": " + figure.suite + " " + figure.metric + " needs a 'value' in [0, 1]");
  }
  figure.value = value->get<double>();
  figure.source = item.contains("source") ? string_at(item, "source", where) : default_source;
  if (item.contains("note")) figure.note = string_at(item, "note", where);
  return figure;
}

}  // namespace

std::map<std::string, std::vector<BaselineFigure>> read_baselines(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read the baselines file " + file.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const nlohmann::json document = common::parse_untrusted_json(text, "the baselines file " + file.string());
  if (!document.is_object() || !document.contains("baselines") || !document["baselines"].is_object()) {
    throw std::invalid_argument(file.string() + ": expected an object with a 'baselines' object");
  }
  const std::vector<std::string> suites = suite_names();
  std::map<std::string, std::vector<BaselineFigure>> baselines;
  for (const auto& [name, entry] : document["baselines"].items()) {
    const std::string where = file.string() + ", baseline '" + name + "'";
    if (name.rfind(kPrefix, 0) != 0) throw std::invalid_argument(where + ": names start with 'paper:'");
    if (!entry.is_object() || !entry.contains("figures") || !entry["figures"].is_array() || entry["figures"].empty()) {
      throw std::invalid_argument(where + ": expected an object with a non-empty 'figures' list");
    }
    const std::string source = string_at(entry, "source", where);
    std::vector<BaselineFigure>& figures = baselines[name];
    for (const nlohmann::json& item : entry["figures"]) {
      figures.push_back(read_figure(item, source, where, suites));
      for (std::size_t i = 0; i + 1 < figures.size(); ++i) {
        if (figures[i].suite == figures.back().suite && figures[i].metric == figures.back().metric) {
          throw std::invalid_argument(where + ": " + figures.back().suite + " " + figures.back().metric +
                                      " is given twice");
        }
      }
    }
  }
  return baselines;
}

namespace {

const std::map<std::string, std::vector<BaselineFigure>>& bundled() {
  static const std::map<std::string, std::vector<BaselineFigure>> baselines =
      read_baselines(common::baselines_dir() / "paper.json");
  return baselines;
}

}  // namespace

std::vector<BaselineFigure> paper_baseline(std::string_view name) {
  const std::string full = name.rfind(kPrefix, 0) == 0 ? std::string(name) : std::string(kPrefix) + std::string(name);
  const auto it = bundled().find(full);
  if (it == bundled().end()) {
    throw std::invalid_argument("unknown paper baseline '" + std::string(name) + "'" +
                                common::did_you_mean(full, paper_baseline_names()));
  }
  return it->second;
}

std::vector<std::string> paper_baseline_names() {
  std::vector<std::string> names;
  for (const auto& entry : bundled()) names.push_back(entry.first);
  return names;
}

}  // namespace r1eval::evals::suites
