// Reading one suite file: every key is known, typed and checked here, so a typo fails when the suite is read
// (naming the file and the key) rather than hours into a run.
#include <algorithm>
#include <array>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "common/did_you_mean.h"
#include "common/json_limits.h"
#include "datasets/loaders.h"
#include "evals/suites/suite.h"
#include "graders/grader.h"
#include "graders/math/extract.h"

namespace r1eval::evals::suites {
namespace {

constexpr std::array<std::string_view, 17> kKeys = {
    "name",    "version",        "description", "loader",       "files",     "instruction",
    "instruction_position",      "answer_policy", "grader",     "also_graded_by", "default_samples",
    "r1_protocol_samples",       "max_new_tokens", "language",  "template",  "limit_order", "generator"};

// Answer policies of the graders that do not take one from the request: descriptive, but still a fixed set.
constexpr std::array<std::string_view, 2> kOtherPolicies = {"code_block", "final_answer"};

class SuiteReader {
 public:
  SuiteReader(const nlohmann::json& document, std::string where) : document_(document), where_(std::move(where)) {}

  [[noreturn]] void fail(const std::string& what) const { throw std::invalid_argument(where_ + ": " + what); }

  std::string text(std::string_view key, const std::string* fallback) const {
    const auto it = document_.find(key);
    if (it == document_.end()) {
      if (fallback == nullptr) fail("missing key '" + std::string(key) + "'");
      return *fallback;
    }
    if (!it->is_string()) fail("key '" + std::string(key) + "' must be a string");
    return it->get<std::string>();
  }
  std::string required_text(std::string_view key) const {
    std::string value = text(key, nullptr);
    if (value.empty()) fail("key '" + std::string(key) + "' is empty");
    return value;
  }
  std::string optional_text(std::string_view key, const std::string& fallback) const { return text(key, &fallback); }

  std::string one_of(std::string_view key, const std::string& fallback,
                     std::initializer_list<std::string_view> allowed) const {
    const std::string value = optional_text(key, fallback);
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      std::string list;
      for (std::string_view option : allowed) list += (list.empty() ? "'" : ", '") + std::string(option) + "'";
      fail("key '" + std::string(key) + "' is '" + value + "'; expected one of " + list);
    }
    return value;
  }

  std::int64_t positive(std::string_view key, std::int64_t fallback) const {
    const auto it = document_.find(key);
    if (it == document_.end()) return fallback;
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1)
      fail("key '" + std::string(key) + "' must be a positive integer");
    return it->get<std::int64_t>();
  }

  std::vector<std::string> list(std::string_view key, bool required) const {
    const auto it = document_.find(key);
    if (it == document_.end()) {
      if (required) fail("missing key '" + std::string(key) + "'");
      return {};
    }
    if (!it->is_array() || (required && it->empty()))
      fail("key '" + std::string(key) + "' must be a non-empty list of strings");
    std::vector<std::string> values;
    for (const nlohmann::json& value : *it) {
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
        fail("key '" + std::string(key) + "' must hold non-empty strings");
      }
      values.push_back(value.get<std::string>());
    }
    return values;
  }

 private:
  const nlohmann::json& document_;
  std::string where_;
};

void check_grader_name(const SuiteReader& reader, const std::string& name) {
  const std::vector<std::string> known = graders::grader_names();
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    reader.fail("unknown grader '" + name + "'" + common::did_you_mean(name, known));
  }
}

void check_answer_policy(const SuiteReader& reader, const Suite& suite) {
  if (suite.grader == "math") {
    try {
      graders::math::policy_from_problem(nlohmann::json{{"answer_policy", suite.answer_policy}});
    } catch (const std::invalid_argument& error) {
      reader.fail(std::string("answer_policy: ") + error.what());
    }
    return;
  }
  if (std::find(kOtherPolicies.begin(), kOtherPolicies.end(), suite.answer_policy) == kOtherPolicies.end()) {
    reader.fail("answer_policy '" + suite.answer_policy + "' is not one for grader '" + suite.grader +
                "' (expected 'code_block' or 'final_answer'; math presets need grader 'math')");
  }
}

void check_data_path(const SuiteReader& reader, const std::string& file) {
  const std::filesystem::path path(file);
  if (path.is_absolute() || std::any_of(path.begin(), path.end(), [](const auto& part) { return part == ".."; })) {
    reader.fail("data file '" + file + "' must be a path inside the datasets folder");
  }
}

}  // namespace

Suite parse_suite(const std::string& json_text, const std::filesystem::path& file) {
  const std::string where = "suite file " + file.string();
  const nlohmann::json document = common::parse_untrusted_json(json_text, where);
  if (!document.is_object()) throw std::invalid_argument(where + ": not a JSON object");
  const SuiteReader reader(document, where);
  const std::vector<std::string> known_keys(kKeys.begin(), kKeys.end());
  for (const auto& item : document.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), item.key()) == kKeys.end()) {
      reader.fail("unknown key '" + item.key() + "'" + common::did_you_mean(item.key(), known_keys));
    }
  }

  Suite suite;
  suite.source_file = file;
  suite.name = reader.required_text("name");
  if (suite.name + ".json" != file.filename().string()) {
    reader.fail("the suite is named '" + suite.name + "' but its file must then be " + suite.name + ".json");
  }
  suite.version = reader.required_text("version");
  suite.description = reader.required_text("description");
  suite.loader = reader.required_text("loader");
  if (!datasets::has_loader(suite.loader)) {
    reader.fail("unknown dataset loader '" + suite.loader + "'" +
                common::did_you_mean(suite.loader, datasets::loader_names()));
  }
  suite.files = reader.list("files", true);
  for (const std::string& data_file : suite.files) check_data_path(reader, data_file);
  suite.instruction = reader.optional_text("instruction", "");
  suite.instruction_position = reader.one_of("instruction_position", "after", {"after", "before"});
  suite.grader = reader.required_text("grader");
  check_grader_name(reader, suite.grader);
  suite.extra_graders = reader.list("also_graded_by", false);
  for (const std::string& grader : suite.extra_graders) check_grader_name(reader, grader);
  suite.answer_policy = reader.required_text("answer_policy");
  check_answer_policy(reader, suite);
  suite.default_samples = reader.positive("default_samples", 1);
  suite.r1_protocol_samples = reader.positive("r1_protocol_samples", 1);
  suite.max_new_tokens = reader.positive("max_new_tokens", 32768);
  suite.language = reader.one_of("language", "en", {"en", "zh"});
  suite.chat_template = reader.one_of("template", "r1", {"r1", "r1-zero"});
  suite.limit_order = reader.one_of("limit_order", "first", {"first", "round_robin"});
  suite.generator = reader.optional_text("generator", "");
  if (!suite.generator.empty()) {
    const std::vector<std::string> generators = datasets::generator_names();
    if (std::find(generators.begin(), generators.end(), suite.generator) == generators.end()) {
      reader.fail("unknown problem generator '" + suite.generator + "'" +
                  common::did_you_mean(suite.generator, generators));
    }
  }
  return suite;
}

}  // namespace r1eval::evals::suites
