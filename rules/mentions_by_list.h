// An encounter's term mentions by term list (MentionFact.term_list_id), in note order then
// mention order. Rules ask for a few lists each (documentation, suppressors, text indicators);
// scanning every mention of every note for each of them was most of evaluating an encounter.
#ifndef CDISCAN_RULES_MENTIONS_BY_LIST_H_
#define CDISCAN_RULES_MENTIONS_BY_LIST_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "proto/facts.pb.h"
#include "rules/encounter_record.h"

namespace cdiscan::rules {

struct NoteMention {
  const NoteFacts* note;
  const MentionFact* mention;
};

class MentionsByList {
 public:
  explicit MentionsByList(const EncounterRecord& record) {
    for (const NoteFacts& note : record.notes) {
      for (const MentionFact& mention : note.mention()) {
        by_list_[mention.term_list_id()].push_back({&note, &mention});
      }
    }
  }

  // `list`: a TermMatcher::TermListId; -1 (a list without patterns) has no mentions.
  const std::vector<NoteMention>& Of(int64_t list) const {
    static const std::vector<NoteMention>* const kNone = new std::vector<NoteMention>();
    auto it = list < 0 ? by_list_.end() : by_list_.find(static_cast<uint32_t>(list));
    return it == by_list_.end() ? *kNone : it->second;
  }

 private:
  absl::flat_hash_map<uint32_t, std::vector<NoteMention>> by_list_;
};

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_MENTIONS_BY_LIST_H_
