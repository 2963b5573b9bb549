// Chat templates: byte-exact renders against @huggingface/jinja (the vectors), plus hand-checked Jinja semantics.
#include <gtest/gtest.h>

#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer_error.h"
#include "tests/engine/tokenizer/test_data.h"

namespace r1eval::engine::tokenizer {
namespace {

using testing::r1_tokenizer;
using testing::read_jsonl;
using testing::repo_path;
using testing::v3_tokenizer;

const Tokenizer& tokenizer_for(const std::string& template_name) {
  // "deepseek-r1-original" is the API package's R1 template, bundled as datasets/tokenizers/deepseek-r1.
  return template_name == "deepseek-v3" ? v3_tokenizer() : r1_tokenizer();
}

TEST(ChatTemplateVectors, RenderAndIdsMatchHuggingFace) {
  const auto rows = read_jsonl(repo_path("datasets/tokenizers/deepseek-v3/chat_template_vectors_dev.jsonl"));
  ASSERT_EQ(rows.size(), 12u);
  for (const auto& row : rows) {
    const std::string name = row["template"].get<std::string>();
    ASSERT_TRUE(name == "deepseek-v3" || name == "deepseek-r1-original") << name;
    const Tokenizer& tok = tokenizer_for(name);
    const auto tmpl = ChatTemplate::select(tok.config(), "");
    ChatOptions options;
    options.add_generation_prompt = row["add_generation_prompt"].get<bool>();
    const std::string rendered = tmpl.render(row["messages"], options, tok.config());
    EXPECT_EQ(rendered, row["rendered"].get<std::string>()) << row.dump();
    EXPECT_EQ(tok.encode(rendered), row["ids"].get<std::vector<std::int32_t>>()) << row.dump();
  }
}

nlohmann::json conversation_with_reasoning() {
  return nlohmann::json::parse(R"([
    {"role": "user", "content": "What is 2+2?"},
    {"role": "assistant", "content": "<think>\n2+2 is 4.\n</think>\n\nThe answer is 4."},
    {"role": "user", "content": "And 3+3?"}])");
}

TEST(ChatTemplateR1, StripsReasoningFromEarlierAssistantTurns) {
  const auto tmpl = ChatTemplate::select(r1_tokenizer().config(), "default");
  ChatOptions options;
  options.add_generation_prompt = true;
  EXPECT_EQ(tmpl.render(conversation_with_reasoning(), options, r1_tokenizer().config()),
            "<｜begin▁of▁sentence｜><｜User｜>What is 2+2?<｜Assistant｜>\n\nThe answer is 4.<｜end▁of▁sentence｜>"
            "<｜User｜>And 3+3?<｜Assistant｜>");
}

TEST(ChatTemplateR1, V3TemplateKeepsReasoning) {
  const auto tmpl = ChatTemplate::select(v3_tokenizer().config(), "default");
  EXPECT_EQ(tmpl.render(conversation_with_reasoning(), {}, v3_tokenizer().config()),
            "<｜begin▁of▁sentence｜><｜User｜>What is 2+2?<｜Assistant｜><think>\n2+2 is 4.\n</think>\n\nThe answer is 4."
            "<｜end▁of▁sentence｜><｜User｜>And 3+3?");
}

TEST(ChatTemplateR1, ForceThinkAppendsThinkTagOnce) {
  const auto tmpl = ChatTemplate::select(r1_tokenizer().config(), "");
  const auto messages = nlohmann::json::parse(R"([{"role": "user", "content": "Hi"}])");
  ChatOptions options;
  options.add_generation_prompt = true;
  options.force_think = true;
  const std::string rendered = tmpl.render(messages, options, r1_tokenizer().config());
  EXPECT_EQ(rendered, "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>\n");
  // With R1's tokenizer <think> is one added token (128798); "\n" is id 201 in this vocabulary.
  const auto ids = r1_tokenizer().encode(rendered);
  ASSERT_EQ(ids.size(), 6u);
  EXPECT_EQ(ids[0], 0);
  EXPECT_EQ(ids[1], 128803);
  EXPECT_EQ(ids[3], 128804);
  EXPECT_EQ(ids[4], 128798);
  EXPECT_EQ(r1_tokenizer().decode({ids[5]}), "\n");
  // Without a generation prompt nothing is appended.
  options.add_generation_prompt = false;
  EXPECT_EQ(tmpl.render(messages, options, r1_tokenizer().config()), "<｜begin▁of▁sentence｜><｜User｜>Hi");
}

TEST(ChatTemplateR1Zero, RendersThePaperTemplate) {
  const auto tmpl = ChatTemplate::select(r1_tokenizer().config(), "r1-zero");
  const auto messages = nlohmann::json::parse(R"([{"role": "user", "content": "Compute 1+1"}])");
  EXPECT_EQ(tmpl.render(messages, {}, r1_tokenizer().config()),
            "<｜begin▁of▁sentence｜>A conversation between User and Assistant. The user asks a question, and the "
            "Assistant solves it. The assistant first thinks about the reasoning process in the mind and then provides "
            "the user with the answer. The reasoning process and answer are enclosed within <think> </think> and "
            "<answer> </answer> tags, respectively, i.e., <think> reasoning process here </think> <answer> answer here "
            "</answer>. User: Compute 1+1. Assistant:");
  const auto two = nlohmann::json::parse(R"([{"role": "user", "content": "a"}, {"role": "user", "content": "b"}])");
  EXPECT_THROW(tmpl.render(two, {}, r1_tokenizer().config()), TokenizerError);
}

TEST(ChatTemplateSelect, UnknownNameListsTheChoices) {
  try {
    ChatTemplate::select(v3_tokenizer().config(), "chatml");
    FAIL() << "expected an error";
  } catch (const TokenizerError& e) {
    EXPECT_NE(std::string(e.what()).find("r1-zero"), std::string::npos) << e.what();
  }
}

TEST(ChatTemplateMessages, RejectsMalformedMessages) {
  const auto tmpl = ChatTemplate::select(v3_tokenizer().config(), "");
  EXPECT_THROW(tmpl.render(nlohmann::json::object(), {}, v3_tokenizer().config()), TokenizerError);
  EXPECT_THROW(tmpl.render(nlohmann::json::parse(R"([{"content": "x"}])"), {}, v3_tokenizer().config()),
               TokenizerError);
}

// Jinja semantics, each expected output worked out from the Jinja2 documentation (not from this interpreter).
std::string render(const std::string& source, const nlohmann::json& vars = nlohmann::json::object()) {
  return jinja::Template::parse(source, "test").render(vars);
}

TEST(Jinja, WhitespaceControlAndTrimBlocks) {
  EXPECT_EQ(render("a  {{- 'b' -}}  c"), "abc");
  EXPECT_EQ(render("{% if true %}\nx\n{% endif %}\ny"), "x\ny");     // trim_blocks drops the newline after %}
  EXPECT_EQ(render("line\n    {% if true %}x{% endif %}"), "line\nx");  // lstrip_blocks drops the indent
  EXPECT_EQ(render("{{ 'a' }}\n"), "a");                              // one trailing newline is dropped
  EXPECT_EQ(render("{# comment #}z"), "z");
}

TEST(Jinja, ScopesNamespacesAndLoops) {
  EXPECT_EQ(render("{% set x = 1 %}{% for i in [1,2] %}{% set x = i %}{% endfor %}{{ x }}"), "1");
  EXPECT_EQ(render("{% set ns = namespace(x=1) %}{% for i in [1,2] %}{% set ns.x = i %}{% endfor %}{{ ns.x }}"), "2");
  EXPECT_EQ(render("{% for i in 'ab' %}{{ loop.index }}{{ i }}{% if not loop.last %},{% endif %}{% endfor %}"),
            "1a,2b");
  EXPECT_EQ(render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", {{"d", {{"a", 1}}}}), "a=1;");
  EXPECT_EQ(render("{% for i in [] %}x{% else %}empty{% endfor %}"), "empty");
}

TEST(Jinja, ExpressionsFiltersAndTests) {
  EXPECT_EQ(render("{{ 'a</think>b</think>c'.split('</think>')[-1] }}"), "c");
  EXPECT_EQ(render("{{ not x is defined }}"), "True");
  EXPECT_EQ(render("{{ none is none }} {{ 1 is not none }}"), "True True");
  EXPECT_EQ(render("{{ 'x' in 'axb' }} {{ 'y' not in ['x'] }}"), "True True");
  EXPECT_EQ(render("{{ [1, 2, 3] | length }} {{ '  pad ' | trim }}|"), "3 pad|");
  EXPECT_EQ(render("{{ {'a': [1, 'b']} | tojson }}"), "{\"a\": [1, \"b\"]}");
  EXPECT_EQ(render("{{ 7 // 2 }} {{ 7 % 3 }} {{ 1 / 2 }} {{ 2 ~ 'x' }}"), "3 1 0.5 2x");
  EXPECT_EQ(render("{{ 'yes' if 0 else 'no' }}"), "no");
  EXPECT_EQ(render("{{ '\\n' }}|{{ \"it's\" }}"), "\n|it's");
  EXPECT_EQ(render("{{ [1,2,3][1:] }}"), "[2, 3]");
}

TEST(Jinja, ErrorsNameTheProblem) {
  EXPECT_THROW(render("{% if x %}"), TokenizerError);
  EXPECT_THROW(render("{{ 'a' + undefined_var }}"), TokenizerError);
  EXPECT_THROW(render("{% macro m() %}{% endmacro %}"), TokenizerError);
  EXPECT_THROW(render("{{ raise_exception('bad role') }}"), TokenizerError);
  EXPECT_THROW(render("{{ x.y }}"), TokenizerError);
}

}  // namespace
}  // namespace r1eval::engine::tokenizer
