#include "reports/render/text_escape.h"

#include <gtest/gtest.h>

namespace r1eval::reports::render {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(SanitizeText, KeepsValidUtf8AndWhitespace) {
  const std::string text = "h\xC3\xA9llo \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\ttab\nline\r";
  EXPECT_EQ(sanitize_text(text), text);
}

TEST(SanitizeText, ReplacesEachMaximalIllFormedSubsequence) {
  EXPECT_EQ(sanitize_text("a\xFF"
                          "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(sanitize_text("\xC3("), kFffd + "(");                               // lead byte without continuation
  EXPECT_EQ(sanitize_text("x\xE6\x97"), "x" + kFffd);                           // truncated at the end: one U+FFFD
  EXPECT_EQ(sanitize_text("\xC0\xAF"), kFffd + kFffd);                          // overlong lead, stray continuation
  EXPECT_EQ(sanitize_text("\xE0\x80\xAF"), kFffd + kFffd + kFffd);              // overlong three-byte form
  EXPECT_EQ(sanitize_text("\xED\xA0\x80"), kFffd + kFffd + kFffd);              // UTF-16 surrogate
  EXPECT_EQ(sanitize_text("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // above U+10FFFF
  EXPECT_EQ(sanitize_text("\x80\x80"), kFffd + kFffd);
}

TEST(SanitizeText, ReplacesControlCharacters) {
  EXPECT_EQ(sanitize_text(std::string("a\0b\x01\x7F", 5)), "a" + kFffd + "b" + kFffd + kFffd);
}

TEST(HtmlEscape, EscapesMarkupAndQuotes) {
  EXPECT_EQ(html_escape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_escape("</script>\xFF"), "&lt;/script&gt;" + kFffd);
}

TEST(MarkdownInline, EscapesMarkupAndFlattensLines) {
  EXPECT_EQ(markdown_inline("a|b\n*c* <d> _e_ [f](g) `h` \\"), "a\\|b \\*c\\* &lt;d&gt; \\_e\\_ [f\\](g) \\`h\\` \\\\");
  EXPECT_EQ(markdown_inline("![i](j) [k][l] [0.1, 0.2]"), "![i\\](j) [k\\][l] [0.1, 0.2]");
}

TEST(MarkdownCodeBlock, FenceIsLongerThanAnyBacktickRunInside) {
  EXPECT_EQ(markdown_code_block("plain"), "```text\nplain\n```\n");
  EXPECT_EQ(markdown_code_block("a ``` b\n"), "````text\na ``` b\n````\n");
  EXPECT_EQ(markdown_code_block("`````"), "``````text\n`````\n``````\n");
}

TEST(TruncateUtf8, NeverSplitsACharacter) {
  EXPECT_EQ(truncate_utf8("a\xC3\xA9"
                          "b",
                          2),
            "a");
  EXPECT_EQ(truncate_utf8("a\xC3\xA9"
                          "b",
                          3),
            "a\xC3\xA9");
  EXPECT_EQ(truncate_utf8("abc", 10), "abc");
  EXPECT_EQ(truncate_utf8("\xF0\x9F\x98\x80", 3), "");
}

}  // namespace
}  // namespace r1eval::reports::render
