#include "tools/context_command.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace cdiscan::tools {
namespace {

struct Case {
  const char* name;
  std::string input;
  std::string output;
  std::string error_substring;  // empty: no error expected
  int exit_code;
};

class ContextCommandTest : public testing::TestWithParam<Case> {};

TEST_P(ContextCommandTest, Runs) {
  const Case& c = GetParam();
  std::istringstream in(c.input);
  std::ostringstream out, err;
  EXPECT_EQ(RunContextCommand(in, out, err), c.exit_code);
  EXPECT_EQ(out.str(), c.output);
  if (c.error_substring.empty()) {
    EXPECT_EQ(err.str(), "");
  } else {
    EXPECT_NE(err.str().find(c.error_substring), std::string::npos) << err.str();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ContextCommandTest,
    testing::Values(
        Case{"negated", "1\tpneumonia\tNo evidence of pneumonia.\n",
             "1\tnegated\trecent\tpatient\n", "", 0},
        Case{"case_insensitive_target", "a\tPNEUMONIA\tProbable pneumonia.\n",
             "a\tpossible\trecent\tpatient\n", "", 0},
        Case{"several_lines_crlf",
             "1\tdiabetes\tMother had diabetes.\r\n2\tstroke\tHistory of stroke.\r\n",
             "1\taffirmed\trecent\tother\n2\taffirmed\thistorical\tpatient\n", "", 0},
        Case{"whole_word_preferred", "x\tmi\tNo MI; admits to mild pain.\n",
             "x\tnegated\trecent\tpatient\n", "", 0},
        Case{"comments_and_blank_lines_skipped", "# header\n\n1\tfever\tFever.\n",
             "1\taffirmed\trecent\tpatient\n", "", 0},
        Case{"missing_field_reported", "1\tfever\n2\tfever\tNo fever.\n",
             "2\tnegated\trecent\tpatient\n", "line 1", 1},
        Case{"target_not_found_reported", "1\tsepsis\tNo fever.\n2\tfever\tNo fever.\n",
             "2\tnegated\trecent\tpatient\n", "line 1: target 'sepsis' not found", 1},
        Case{"unicode_sentence", "1\tfever\tDenies\xc2\xa0" "fever\xe2\x80\x94none.\n",
             "1\tnegated\trecent\tpatient\n", "", 0}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// The whole annotated corpus goes through the command: one output line per record, ids in
// order, and the same assessments the corpus test measures.
TEST(ContextCommandCorpusTest, ProcessesCorpus) {
  std::ifstream corpus("nlp/testdata/context_corpus.tsv");
  ASSERT_TRUE(corpus.good());
  std::string input, line;
  std::vector<std::string> ids;
  int agree = 0;
  std::vector<std::vector<std::string>> gold;
  while (std::getline(corpus, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    ASSERT_EQ(f.size(), 6u);
    input += f[0] + "\t" + f[1] + "\t" + f[2] + "\n";
    gold.push_back(f);
  }
  std::istringstream in(input);
  std::ostringstream out, err;
  ASSERT_EQ(RunContextCommand(in, out, err), 0) << err.str();
  std::vector<std::string> lines = absl::StrSplit(out.str(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), gold.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], '\t');
    ASSERT_EQ(f.size(), 4u);
    EXPECT_EQ(f[0], gold[i][0]);
    agree += f[1] == gold[i][3] && f[2] == gold[i][4] && f[3] == gold[i][5];
  }
  EXPECT_GE(agree, static_cast<int>(gold.size() * 0.95));
}

}  // namespace
}  // namespace cdiscan::tools
