#include "engine/nightly.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace cdiscan::engine {
namespace {

struct SnippetCase {
  std::string text;
  size_t begin, end, context;
  std::string window;
  size_t window_begin;
};

TEST(SnippetWindowTest, LinesOfTheSpanBoundedAndUtf8Safe) {
  const std::vector<SnippetCase> cases = {
      // The span's line, not its neighbours.
      {"LABS:\nNa 126 (L), K 4.1\nA/P: ok", 6, 16, 300, "Na 126 (L), K 4.1", 6},
      // A span over two lines keeps both.
      {"a\nb c\nd e\nf", 4, 7, 300, "b c\nd e", 2},
      // Start of text, end of text.
      {"Na 126", 0, 6, 300, "Na 126", 0},
      // A long line is cut to `context` bytes either side.
      {std::string(50, 'x') + "HIT" + std::string(50, 'y'), 50, 53, 10,
       std::string(10, 'x') + "HIT" + std::string(10, 'y'), 40},
      // Never cuts inside a UTF-8 character ("é" is two bytes).
      {"\xC3\xA9\xC3\xA9HIT\xC3\xA9\xC3\xA9", 4, 7, 1, "HIT", 4},
      {"\xC3\xA9\xC3\xA9HIT\xC3\xA9\xC3\xA9", 4, 7, 2, "\xC3\xA9HIT\xC3\xA9", 2},
  };
  for (const SnippetCase& c : cases) {
    size_t window_begin = 99;
    EXPECT_EQ(SnippetWindow(c.text, c.begin, c.end, c.context, &window_begin), c.window)
        << c.text;
    EXPECT_EQ(window_begin, c.window_begin) << c.text;
  }
}

TEST(NightReportJsonTest, AgreementRatePerRule) {
  NightReport report;
  report.night = "2026-11-21";
  report.by_rule["r.fires"].fired = 3;
  report.agreement.push_back({"r.fires", 4, 3, 1, 0});
  report.agreement.push_back({"r.silent", 1, 0, 0, 1});
  const std::string json = NightReportJson(report);
  EXPECT_NE(json.find(R"({"rule_id":"r.fires","fired":3,"new":0,"dispositions":4,"agreed":3,)"
                      R"("disagreed":1,"queried":0,"agreement_rate":0.750})"),
            std::string::npos)
      << json;
  // Only QUERIED: nothing decided yet, so no rate.
  EXPECT_NE(json.find(R"("rule_id":"r.silent","fired":0)"), std::string::npos);
  EXPECT_NE(json.find(R"("queried":1,"agreement_rate":null)"), std::string::npos);
}

}  // namespace
}  // namespace cdiscan::engine
