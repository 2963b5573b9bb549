// Code extraction from reasoning outputs, with expected results decided by reading the rule: the answer part
// (after the last </think>, inside <answer> when tagged), its last python block, else its last untagged block,
// else the whole answer.
#include <string>

#include <gtest/gtest.h>

#include "graders/code/code_extraction.h"
#include "graders/code/code_graders.h"

namespace r1eval::graders::code {
namespace {

TEST(CodeExtraction, LastPythonBlockOfTheAnswerWins) {
  const std::string output =
      "Let me think.\n```python\nprint('draft')\n```\n</think>\nHere:\n```python\ndef f():\n    return 1\n```\n"
      "and an example:\n```\nf()\n```\n";
  const ExtractedCode code = extract_code(output);
  EXPECT_EQ(code.code, "def f():\n    return 1\n");
  EXPECT_EQ(code.source, "python block");
}

TEST(CodeExtraction, CodeInsideTheReasoningIsIgnored) {
  EXPECT_EQ(extract_code("<think>\n```python\nx = 1\n```\n</think>\nNo code, sorry.").code, "No code, sorry.");
  const ExtractedCode unfinished = extract_code("<think>\n```python\nx = 1\n```\nstill thinking");
  EXPECT_EQ(unfinished.code, "");
  EXPECT_EQ(unfinished.source, "none");
}

TEST(CodeExtraction, UntaggedAndOtherLanguageTags) {
  EXPECT_EQ(extract_code("```\nx = 2\n```").code, "x = 2\n");
  EXPECT_EQ(extract_code("```Python3\nx = 3\n```\n```\ny = 4\n```").code, "x = 3\n");
  EXPECT_EQ(extract_code("```py\nx = 5\n```").code, "x = 5\n");
  EXPECT_EQ(extract_code("```cpp\nint main() {}\n```").source, "none");
}

TEST(CodeExtraction, WholeAnswerWithoutFences) {
  const ExtractedCode code = extract_code("</think>\n\ndef f():\n    return 2\n\n");
  EXPECT_EQ(code.code, "def f():\n    return 2");
  EXPECT_EQ(extract_code("\n    return x + 1\n").code, "    return x + 1");
  EXPECT_EQ(code.source, "whole answer");
}

TEST(CodeExtraction, R1ZeroAnswerTags) {
  EXPECT_EQ(extract_code("<think>plan</think> <answer>\n```python\nz = 9\n```\n</answer>").code, "z = 9\n");
}

TEST(CodeExtraction, UnclosedFenceRunsToTheEnd) {
  EXPECT_EQ(extract_code("</think>\n```python\ndef g():\n    return 3\n").code, "def g():\n    return 3\n");
}

TEST(CodeExtraction, FencesInsideStringsNeedTheirOwnLine) {
  // A closing fence must be alone on its line; "```" inside code does not end the block.
  EXPECT_EQ(extract_code("```python\ns = '```'\nt = 1\n```").code, "s = '```'\nt = 1\n");
  EXPECT_EQ(extract_code("  ```python\n  x = 1\n  ```\r\n").code, "  x = 1\n");
}

TEST(CodeExtraction, HugeOutputsAreLinear) {
  std::string output(2'000'000, 'a');
  output += "\n```python\nok = True\n";  // never closed
  EXPECT_EQ(extract_code(output).code, "ok = True\n");
  std::string fences;
  for (int i = 0; i < 100000; ++i) fences += "```\n";
  EXPECT_NO_THROW(extract_code(fences));
}

TEST(HumanEvalProgram, BodyIsAppendedToThePrompt) {
  const std::string prompt = "def add(a, b):\n    \"\"\"Add.\"\"\"\n";
  EXPECT_EQ(humaneval_program(prompt, "    return a + b\n", "add"), prompt + "    return a + b\n\n");
  // A body whose first line lost its indentation is re-indented.
  EXPECT_EQ(humaneval_program(prompt, "return a + b\n", "add"), prompt + "    return a + b\n\n");
}

TEST(HumanEvalProgram, FullDefinitionFollowsThePromptForItsHelpers) {
  const std::string prompt = "import math\ndef helper(x):\n    return x\ndef add(a, b):\n    \"\"\"Add.\"\"\"\n";
  const std::string code = "def add(a, b):\n    return helper(a) + b\n";
  EXPECT_EQ(humaneval_program(prompt, code, "add"), prompt + "\n\n" + code + "\n");
}

}  // namespace
}  // namespace r1eval::graders::code
