#include "cli/argument_errors.h"

#include <string_view>
#include <vector>

#include "common/did_you_mean.h"

namespace r1eval::cli {
namespace {

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

std::vector<std::string> option_names(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

// "--name" of "--name=value".
std::string option_of(std::string_view arg) { return std::string(arg.substr(0, arg.find('='))); }

}  // namespace

std::string describe_parse_error(CLI::App& app, const CLI::ParseError& error, int argc, const char* const* argv) {
  // The command is the first argument; without a known one, name what was given.
  const CLI::App* command = nullptr;
  if (argc > 1 && argv[1][0] != '-') {
    const std::string name = argv[1];
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->get_name() == name) command = sub;
    }
    if (command == nullptr) {
      return "unknown command '" + name + "'" + common::did_you_mean(name, command_names(app));
    }
  } else {
    std::string list;
    for (const std::string& name : command_names(app)) list += (list.empty() ? "" : ", ") + name;
    const std::string given = argc > 1 ? "'" + std::string(argv[1]) + "'" : "nothing";
    return "the first argument must be a command, not " + given + "; the commands are " + list;
  }
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") continue;
    const std::string option = option_of(arg);
    if (command->get_option_no_throw(option) == nullptr && app.get_option_no_throw(option) == nullptr) {
      return "unknown option " + option + " for " + command->get_name() +
             common::did_you_mean(option, option_names(*command));
    }
  }
  // CLI11's own message ("--samples: Value 0 not in range [1 - 9223372036854775807]") names the option.
  std::string message = error.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == '.')) message.pop_back();
  return message;
}

}  // namespace r1eval::cli
