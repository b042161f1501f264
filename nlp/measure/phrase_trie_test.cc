#include "nlp/measure/phrase_trie.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace cdiscan::nlp {
namespace {

TEST(PhraseTrie, LongestMatchAtWordBoundary) {
  PhraseTrie trie;
  trie.Add("na", 0);
  trie.Add("na+", 1);
  trie.Add("o2 sat", 2);
  trie.Add("sodium chloride", 3);
  trie.Add("sodium", 4);
  trie.Add("%", 5);
  trie.Finish();
  struct Case {
    std::string text;
    size_t pos;
    int value;
    size_t end;
  };
  for (const Case& c : std::vector<Case>{
           {"na 126", 0, 0, 2},
           {"na+ 126", 0, 1, 3},
           {"nab 1", 0, -1, 0},           // not at a word boundary
           {"o2   sat 91", 0, 2, 8},      // a space matches a run of spaces
           {"o2 saturation", 0, -1, 0},  // "sat" must end at a boundary
           {"sodium chloride 0.9", 0, 3, 15},
           {"sodium chlor", 0, 4, 6},     // falls back to the longest complete phrase
           {"86% ra", 2, 5, 3},
           {"x na", 2, 0, 4},
       }) {
    size_t end = 0;
    EXPECT_EQ(trie.Match(c.text, c.pos, c.text.size(), &end), c.value) << c.text;
    if (c.value >= 0) {
      EXPECT_EQ(end, c.end) << c.text;
    }
  }
  EXPECT_TRUE(trie.CanStart('n'));
  EXPECT_FALSE(trie.CanStart('z'));
  EXPECT_TRUE(trie.CanStart2('n', 'a'));
  EXPECT_TRUE(trie.CanStart2('o', '2'));
  EXPECT_FALSE(trie.CanStart2('n', 'o'));
  EXPECT_TRUE(trie.CanStart2('%', 'x'));  // one-byte non-word phrase: any next byte
  PhraseTrie k;
  k.Add("k", 0);
  k.Finish();
  EXPECT_TRUE(k.CanStart2('k', ' '));
  EXPECT_TRUE(k.CanStart2('k', '+'));
  EXPECT_FALSE(k.CanStart2('k', 'n'));  // "kn..." cannot end the word after "k"
}

uint32_t Hash(const std::string& word) { return PhraseTrie::WordSignature(word); }

TEST(PhraseTrie, WordFilterKnowsFirstWords) {
  PhraseTrie trie;
  trie.Add("o2 sat", 0);
  trie.Add("na+", 1);
  trie.Add("t-max", 2);
  trie.Finish();
  EXPECT_TRUE(trie.WordMayStart(Hash("o2")));
  EXPECT_TRUE(trie.WordMayStart(Hash("na")));
  EXPECT_TRUE(trie.WordMayStart(Hash("t")));
  int passed = 0;
  for (const std::string w : {"the", "patient", "with", "sodium", "of", "and", "history"}) {
    passed += trie.WordMayStart(Hash(w));
  }
  EXPECT_LE(passed, 1);  // signature collisions are possible, but rare
  PhraseTrie unit;
  unit.Add("%", 0);
  unit.Finish();
  EXPECT_TRUE(unit.WordMayStart(Hash("anything")));
}

TEST(PhraseTrie, RespectsLimit) {
  PhraseTrie trie;
  trie.Add("sodium", 7);
  trie.Finish();
  size_t end = 0;
  EXPECT_EQ(trie.Match("sodium", 0, 3, &end), -1);
}

}  // namespace
}  // namespace cdiscan::nlp
