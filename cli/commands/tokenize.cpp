// r1eval tokenize / detokenize: the model directory's tokenizer and chat template on the command line.
//   tokenize --model DIR --text TEXT                 -> {"ids": [...]}            (exactly the text, no BOS)
//   tokenize --model DIR --messages JSON [--add-generation-prompt] [--think] [--template NAME]
//                                                    -> {"rendered": "...", "ids": [...]}
//   detokenize --model DIR --ids 1,2,3 [--skip-special-tokens]  -> the text, with no newline added
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input_text.h"
#include "cli/token_list.h"
#include "common/json_limits.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

namespace r1eval::cli {
namespace {

engine::tokenizer::Tokenizer load_tokenizer(const std::string& dir) {
  auto tok = engine::tokenizer::Tokenizer::load(dir);
  if (!tok) throw std::runtime_error(dir + " has no tokenizer.json and tokenizer_config.json to tokenize with");
  return std::move(*tok);
}

// --messages takes the JSON itself, @FILE to read it from a file, or "-" (or "@-") for standard input.
nlohmann::json parse_messages(const std::string& arg) {
  if (arg == "-" || arg.starts_with('@')) {
    const std::string path = arg == "-" ? arg : arg.substr(1);
    return common::parse_untrusted_json(read_input_text(path, "messages file"), input_name(path));
  }
  return common::parse_untrusted_json(arg, "--messages");
}

void print_line(const nlohmann::ordered_json& value) {
  const std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  struct Options {
    std::string model_dir;
    std::string text;
    std::string messages;
    std::string template_name;
    bool add_generation_prompt = false;
    bool think = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("tokenize", "Print the token ids of a text, or of messages through the chat template");
  cmd->add_option("--model", options->model_dir, "Model directory holding tokenizer.json and tokenizer_config.json")
      ->required();
  auto* text = cmd->add_option("--text", options->text, "Text to encode exactly (no BOS is added)");
  auto* messages =
      cmd->add_option("--messages", options->messages,
                      "Chat messages as a JSON list of {\"role\", \"content\"} (or @FILE; -: standard input)");
  text->excludes(messages);
  cmd->add_flag("--add-generation-prompt", options->add_generation_prompt, "End with the assistant prompt")
      ->needs(messages);
  cmd->add_flag("--think", options->think,
                "Follow the generation prompt with \"<think>\\n\" (DeepSeek-R1's recommendation)")
      ->needs(messages);
  cmd->add_option("--template", options->template_name,
                  "Chat template: the model's default, another name from its tokenizer_config.json, or r1-zero")
      ->needs(messages);
  cmd->callback([options, text, messages] {
    if (text->count() == 0 && messages->count() == 0) throw std::runtime_error("tokenize needs --text or --messages");
    const engine::tokenizer::Tokenizer tok = load_tokenizer(options->model_dir);
    if (text->count() > 0) {
      print_line({{"ids", tok.encode(options->text)}});
      return;
    }
    const auto chat = engine::tokenizer::ChatTemplate::select(tok.config(), options->template_name);
    engine::tokenizer::ChatOptions chat_options;
    chat_options.add_generation_prompt = options->add_generation_prompt;
    chat_options.force_think = options->think;
    const std::string rendered = chat.render(parse_messages(options->messages), chat_options, tok.config());
    print_line({{"rendered", rendered}, {"ids", tok.encode(rendered)}});
  });
}

void add_detokenize_command(CLI::App& app) {
  struct Options {
    std::string model_dir;
    std::string ids;
    bool skip_special = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("detokenize", "Print the text of comma-separated token ids");
  cmd->add_option("--model", options->model_dir, "Model directory holding tokenizer.json and tokenizer_config.json")
      ->required();
  cmd->add_option("--ids", options->ids, "Comma-separated token ids, e.g. 0,128803,3085")->required();
  cmd->add_flag("--skip-special-tokens", options->skip_special, "Leave out special tokens such as BOS/EOS");
  cmd->callback([options] {
    const std::vector<std::int32_t> ids = parse_token_list(options->ids, "--ids");
    const engine::tokenizer::Tokenizer tok = load_tokenizer(options->model_dir);
    const std::string text = tok.decode(ids, options->skip_special);
    std::fwrite(text.data(), 1, text.size(), stdout);
  });
}

}  // namespace r1eval::cli
