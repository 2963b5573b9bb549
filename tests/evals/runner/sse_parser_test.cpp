// The event-stream parser: events split across pieces at any byte, every line ending, comments and blank keep-alives.
#include "evals/runner/sse_parser.h"

#include <gtest/gtest.h>

namespace r1eval::evals::runner {
namespace {

std::vector<std::string> parse_in_pieces(const std::string& stream, std::size_t piece) {
  SseParser parser;
  std::vector<std::string> events;
  for (std::size_t i = 0; i < stream.size(); i += piece) parser.feed(std::string_view(stream).substr(i, piece), events);
  return events;
}

TEST(SseParser, HandsOutEachEventWholeHoweverTheBytesArrive) {
  const std::string stream = ": keep-alive\n\n\ndata: {\"a\":1}\n\ndata:{\"b\":2}\r\n\r\n: ping\r\ndata: [DONE]\r\r";
  for (std::size_t piece = 1; piece <= stream.size(); ++piece) {
    EXPECT_EQ(parse_in_pieces(stream, piece), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "[DONE]"}))
        << "pieces of " << piece << " bytes";
  }
}

TEST(SseParser, JoinsDataLinesAndIgnoresOtherFields) {
  EXPECT_EQ(parse_in_pieces("event: message\nid: 7\ndata: one\ndata: two\nretry: 5\n\n", 3),
            (std::vector<std::string>{"one\ntwo"}));
}

TEST(SseParser, KeepsAnUnfinishedEventBack) {
  SseParser parser;
  std::vector<std::string> events;
  parser.feed(": keep-alive\n", events);
  EXPECT_TRUE(parser.received_anything());
  parser.feed("data: half", events);
  EXPECT_TRUE(events.empty());
  parser.feed("\n\n", events);
  EXPECT_EQ(events, std::vector<std::string>{"half"});
}

}  // namespace
}  // namespace r1eval::evals::runner
