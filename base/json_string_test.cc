#include "base/json_string.h"

#include "gtest/gtest.h"

namespace cdiscan {
namespace {

TEST(JsonStringTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(JsonString("Na 126 \"L\"\n\\ \t\x01"), R"("Na 126 \"L\"\n\\ \t\u0001")");
  EXPECT_EQ(JsonString("µmol/L"), "\"µmol/L\"");
}

TEST(JsonStringTest, HtmlSafeEscapesMarkup) {
  EXPECT_EQ(JsonString("</script><b>&", JsonEscaping::kHtmlSafe),
            R"("\u003c/script\u003e\u003cb\u003e\u0026")");
  EXPECT_EQ(JsonString("a<b"), "\"a<b\"");
}

}  // namespace
}  // namespace cdiscan
