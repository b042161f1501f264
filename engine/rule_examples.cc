#include "engine/rule_examples.h"

#include "absl/strings/str_cat.h"
#include "engine/note_scanner.h"
#include "google/protobuf/descriptor.h"

namespace cdiscan::engine {
namespace {

AuthorRole ParseRole(const std::string& name) {
  if (name.empty()) return PHYSICIAN;
  const auto* value = AuthorRole_descriptor()->FindValueByName(name);
  return value == nullptr ? AUTHOR_ROLE_UNSPECIFIED : static_cast<AuthorRole>(value->number());
}

// The encounter of an example that sets age, sex or admission time; without one, age and sex
// are unknown, as for an extract without an encounters file.
Encounter ExampleEncounterOf(const RuleExample& example, const rules::EncounterRecord& record) {
  Encounter encounter;
  encounter.set_encounter_id(record.encounter_id);
  encounter.set_patient_id(record.patient_id);
  encounter.set_patient_class(INPATIENT);
  encounter.set_age(example.encounter().age());
  encounter.set_sex(example.encounter().sex());
  encounter.set_admit_time(example.encounter().admit_time());
  return encounter;
}

// The example's notes, scanned, as one encounter.
rules::EncounterRecord ScanExample(const NoteScanner& scanner, NoteScanner::Scratch* scratch,
                                   const RuleExample& example, const std::string& encounter_id) {
  rules::EncounterRecord record;
  record.encounter_id = encounter_id;
  record.patient_id = "example";
  if (example.has_encounter()) record.encounter = ExampleEncounterOf(example, record);
  uint64_t sequence = 0;
  for (const ExampleNote& example_note : example.note()) {
    Note note;
    note.set_note_id(absl::StrCat("example-note-", sequence));
    note.set_patient_id(record.patient_id);
    note.set_encounter_id(record.encounter_id);
    note.set_note_type(example_note.note_type());
    note.set_author_role(ParseRole(example_note.author_role()));
    note.set_authored_at(example_note.authored_at());
    note.set_text(example_note.text());
    NoteFacts facts;
    scanner.Scan(note, sequence++, scratch, &facts);
    record.notes.push_back(std::move(facts));
  }
  return record;
}

}  // namespace

std::vector<ExampleResult> RunRuleExamples(const rules::RuleEvaluator& evaluator) {
  const rules::RuleLibrary& library = evaluator.library();
  NoteScanner scanner(library);  // the evaluator's library, as term list numbers require
  NoteScanner::Scratch scratch;
  std::vector<ExampleResult> results;
  std::vector<Finding> findings;
  for (size_t r = 0; r < library.rules().size(); ++r) {
    const Rule& rule = library.rules()[r];
    for (const RuleExample& example : rule.example()) {
      ExampleResult result;
      result.rule_id = rule.id();
      result.example = example.name();
      result.should_fire = example.should_fire();
      const rules::EncounterRecord record =
          ScanExample(scanner, &scratch, example, absl::StrCat("example:", rule.id()));
      findings.clear();
      evaluator.Evaluate(record, &findings);
      for (Finding& finding : findings) {
        if (finding.rule_id() != rule.id()) continue;
        result.fired = true;
        result.detail = finding.rationale();
        result.query = std::move(*finding.mutable_query());
      }
      // Why it stayed silent, for the author of an example that should have fired.
      if (!result.fired && result.should_fire) result.detail = evaluator.ExplainSilence(record, r);
      results.push_back(std::move(result));
    }
  }
  return results;
}

std::vector<Finding> ExampleFindings(const rules::RuleEvaluator& evaluator,
                                     const RuleExample& example) {
  NoteScanner scanner(evaluator.library());
  NoteScanner::Scratch scratch;
  std::vector<Finding> findings;
  evaluator.Evaluate(ScanExample(scanner, &scratch, example, "example"), &findings);
  return findings;
}

std::string ExampleSilence(const rules::RuleEvaluator& evaluator, const std::string& rule_id,
                           const RuleExample& example) {
  const std::vector<Rule>& rules = evaluator.library().rules();
  for (size_t r = 0; r < rules.size(); ++r) {
    if (rules[r].id() != rule_id) continue;
    NoteScanner scanner(evaluator.library());
    NoteScanner::Scratch scratch;
    return evaluator.ExplainSilence(ScanExample(scanner, &scratch, example, "example"), r);
  }
  return "no such rule";
}

}  // namespace cdiscan::engine
