#include "engine/nightly.h"

#include <unistd.h>

#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "base/json_string.h"
#include "engine/note_scanner.h"
#include "rules/rule_evaluator.h"

namespace cdiscan::engine {
namespace {


std::string JsonCounts(const std::map<std::string, int64_t>& counts) {
  std::string out = "{";
  for (const auto& [key, count] : counts) {
    absl::StrAppend(&out, out.size() > 1 ? "," : "", JsonString(key), ":", count);
  }
  return out + "}";
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string SnippetWindow(absl::string_view text, size_t begin, size_t end, size_t context,
                          size_t* window_begin) {
  end = std::min(end, text.size());
  begin = std::min(begin, end);
  // The whole line(s) of the span, but never more than `context` bytes either side.
  size_t start = text.rfind('\n', begin == 0 ? 0 : begin - 1);
  start = (start == absl::string_view::npos || begin == 0) ? 0 : start + 1;
  if (begin > context && start < begin - context) start = begin - context;
  size_t stop = text.find('\n', end);
  if (stop == absl::string_view::npos) stop = text.size();
  if (stop > end + context) stop = end + context;
  while (start < begin && IsContinuationByte(text[start])) ++start;
  while (stop > end && stop < text.size() && IsContinuationByte(text[stop])) --stop;
  *window_begin = start;
  return std::string(text.substr(start, stop - start));
}

std::string NightReportJson(const NightReport& r) {
  const RunSummary& s = r.scan;
  std::string rules = "[";
  std::map<std::string, const io::RuleAgreement*> agreement;
  for (const io::RuleAgreement& a : r.agreement) agreement[a.rule_id] = &a;
  std::map<std::string, RuleCount> all_rules = r.by_rule;
  for (const io::RuleAgreement& a : r.agreement) all_rules[a.rule_id];
  for (const auto& [rule, count] : all_rules) {
    const io::RuleAgreement* a = agreement.count(rule) ? agreement[rule] : nullptr;
    const int64_t decided = a == nullptr ? 0 : a->agreed + a->disagreed;
    absl::StrAppend(
        &rules, rules.size() > 1 ? "," : "", "{\"rule_id\":", JsonString(rule),
        ",\"fired\":", count.fired, ",\"new\":", count.new_tonight,
        ",\"dispositions\":", a == nullptr ? 0 : a->dispositions,
        ",\"agreed\":", a == nullptr ? 0 : a->agreed,
        ",\"disagreed\":", a == nullptr ? 0 : a->disagreed,
        ",\"queried\":", a == nullptr ? 0 : a->queried, ",\"agreement_rate\":",
        decided == 0 ? "null" : absl::StrFormat("%.3f", static_cast<double>(a->agreed) / decided),
        "}");
  }
  rules += "]";
  return absl::StrCat(
      "{\"night\":", JsonString(r.night), ",\"as_of\":", JsonString(r.as_of),
      ",\"resumed_night\":", JsonString(r.resumed_night),
      ",\"input\":{\"notes_read\":", s.notes_read(), ",\"notes_scanned\":", s.notes_scanned(),
      ",\"notes_rejected\":", s.notes_rejected(),
      ",\"encounter_records\":", s.encounter_records_read(),
      ",\"encounter_records_rejected\":", s.encounter_records_rejected(),
      ",\"observations\":", s.observations_read(),
      ",\"observations_rejected\":", s.observations_rejected(),
      ",\"patients\":", s.patients_read(), ",\"unused_fhir_resources\":", s.records_ignored(),
      ",\"other_rejected\":", s.other_records_rejected(), ",\"note_bytes\":", s.note_bytes(),
      ",\"facts_spilled_bytes\":", s.facts_spilled_bytes(),
      "},\"encounters_evaluated\":", s.encounters(),
      ",\"findings\":{\"tonight\":", r.findings, ",\"new\":", r.new_findings,
      ",\"still_open\":", r.still_open, ",\"reopened\":", r.reopened,
      ",\"suppressed\":", r.suppressed, ",\"resolved\":", r.resolved,
      ",\"open_after\":", r.open_after, ",\"by_kind\":", JsonCounts(r.by_kind),
      ",\"by_condition\":", JsonCounts(r.by_condition), "},\"rules\":", rules,
      ",\"worklists\":{\"concurrent\":", r.concurrent_rows,
      ",\"retrospective\":", r.retrospective_rows, "},\"snippets\":", r.snippets,
      ",\"seconds\":{\"scan\":", absl::StrFormat("%.3f", r.scan_seconds),
      ",\"reconcile\":", absl::StrFormat("%.3f", r.reconcile_seconds),
      ",\"snippets\":", absl::StrFormat("%.3f", r.snippet_seconds),
      ",\"total\":", absl::StrFormat("%.3f", r.total_seconds), "}}");
}

absl::StatusOr<NightReport> RunNight(const rules::RuleLibrary& library,
                                     const rules::SeverityTable& severity,
                                     const NightlyOptions& options, io::StateStore* store,
                                     RejectLog* rejects) {
  const absl::Time start = absl::Now();
  NightReport report;
  report.night = options.night;
  report.as_of = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", options.as_of, absl::UTCTimeZone());

  absl::StatusOr<std::string> incomplete = store->IncompleteNight();
  if (!incomplete.ok()) return incomplete.status();
  report.resumed_night = *incomplete;
  if (absl::Status s = store->MarkRunStarted(report.night, report.as_of); !s.ok()) return s;

  // 1. Scan. Nothing is written to the store yet, so a failure here leaves it untouched.
  NoteScanner scanner(library);
  rules::RuleEvaluator evaluator(library, severity);
  ScanPipeline pipeline(scanner, evaluator, options.scan, rejects);
  pipeline.set_release_after_evaluate(true);
  for (const std::string& path : options.extracts) {
    if (absl::Status s = pipeline.ReadExtract(path); !s.ok()) return s;
  }
  report.scan_seconds = absl::ToDoubleSeconds(absl::Now() - start);

  // 2. Reconcile, in one transaction.
  const absl::Time reconcile_start = absl::Now();
  if (absl::Status s = store->Begin(); !s.ok()) return s;
  auto fail = [&](absl::Status status) {
    (void)store->Rollback();
    return status;
  };
  // Open findings tonight, for snippets: evidence note id -> (finding, evidence index, span).
  // Only ids and spans are held, not the findings (their evidence lists can be long).
  struct Use {
    size_t finding;
    int evidence;
    uint32_t begin, end;
  };
  std::vector<std::string> open;
  absl::flat_hash_map<std::string, std::vector<Use>> wanted;
  int64_t written = 0;
  absl::Status evaluated = pipeline.Evaluate([&](const Finding& found) -> absl::Status {
    Finding finding = found;
    finding.set_evidence_fingerprint(io::EvidenceFingerprint(finding));
    absl::StatusOr<io::FindingChange> change = store->UpsertFinding(finding, report.night);
    if (!change.ok()) return change.status();
    if (options.crash_after_findings >= 0 && ++written > options.crash_after_findings) {
      _exit(86);  // as if killed: no rollback, no destructors
    }
    ++report.findings;
    ++report.by_kind[FindingKind_Name(finding.kind())];
    ++report.by_condition[finding.condition()];
    RuleCount& rule = report.by_rule[finding.rule_id()];
    ++rule.fired;
    switch (*change) {
      case io::FindingChange::kNew:
        ++report.new_findings;
        ++rule.new_tonight;
        break;
      case io::FindingChange::kStillOpen: ++report.still_open; break;
      case io::FindingChange::kReopened: ++report.reopened; break;
      case io::FindingChange::kSuppressed: ++report.suppressed; return absl::OkStatus();
    }
    for (int e = 0; e < finding.evidence_size() && e < kMaxSnippetsPerFinding; ++e) {
      const Evidence& evidence = finding.evidence(e);
      if (!evidence.note_id().empty()) {
        wanted[evidence.note_id()].push_back({open.size(), e, evidence.begin(), evidence.end()});
      }
    }
    open.push_back(finding.finding_id());
    return absl::OkStatus();
  });
  if (!evaluated.ok()) return fail(evaluated);
  report.scan = pipeline.summary();
  // Encounters after evaluation: patients are joined to them (age, sex) by then.
  for (const auto& [id, record] : pipeline.encounters()) {
    const bool evaluated = pipeline.HasNotes(id);
    if (!record.encounter.has_value() && !evaluated) continue;
    Encounter encounter;
    if (record.encounter.has_value()) {
      encounter = *record.encounter;
    } else {
      encounter.set_encounter_id(record.encounter_id);
      encounter.set_patient_id(record.patient_id);
    }
    if (absl::Status s = store->UpsertEncounter(encounter, report.night,
                                                /*keep_richer=*/!record.encounter.has_value());
        !s.ok()) {
      return fail(s);
    }
    if (evaluated) {
      if (absl::Status s = store->MarkEvaluated(id, report.night); !s.ok()) return fail(s);
    }
  }
  absl::StatusOr<int64_t> resolved = store->ResolveMissing(report.night);
  if (!resolved.ok()) return fail(resolved.status());
  report.resolved = *resolved;
  report.reconcile_seconds = absl::ToDoubleSeconds(absl::Now() - reconcile_start);

  // 3. Snippets, from a second read of the notes that carry evidence.
  const absl::Time snippet_start = absl::Now();
  absl::flat_hash_set<std::string> note_ids;
  for (const auto& [id, uses] : wanted) note_ids.insert(id);
  // Per open finding: (evidence index, window, window offset).
  std::vector<std::vector<std::tuple<int, std::string, uint32_t>>> snippets(open.size());
  if (!note_ids.empty()) {
    for (const std::string& path : options.extracts) {
      if (path == "-") continue;  // stdin cannot be read twice
      absl::Status s = ScanPipeline::ForEachNote(
          path, options.scan.csv_columns, note_ids, [&](const Note& note) {
            auto uses = wanted.find(note.note_id());
            if (uses == wanted.end()) return;
            for (const Use& use : uses->second) {
              size_t window_begin = 0;
              std::string window =
                  SnippetWindow(note.text(), use.begin, use.end, kSnippetContext, &window_begin);
              snippets[use.finding].emplace_back(use.evidence, std::move(window),
                                                 static_cast<uint32_t>(window_begin));
              ++report.snippets;
            }
            wanted.erase(uses);  // a note id is used once (duplicates were rejected)
          });
      if (!s.ok()) return fail(s);
    }
    for (size_t i = 0; i < open.size(); ++i) {
      if (snippets[i].empty()) continue;
      absl::StatusOr<Finding> finding = store->GetFinding(open[i]);
      if (!finding.ok()) return fail(finding.status());
      for (auto& [e, window, window_begin] : snippets[i]) {
        finding->mutable_evidence(e)->set_snippet(std::move(window));
        finding->mutable_evidence(e)->set_snippet_begin(window_begin);
      }
      if (absl::Status s = store->UpdateFindingEvidence(*finding); !s.ok()) return fail(s);
      std::vector<std::tuple<int, std::string, uint32_t>>().swap(snippets[i]);
    }
  }
  report.snippet_seconds = absl::ToDoubleSeconds(absl::Now() - snippet_start);

  absl::StatusOr<std::vector<io::RuleAgreement>> agreement = store->Agreement();
  if (!agreement.ok()) return fail(agreement.status());
  report.agreement = *std::move(agreement);
  absl::StatusOr<int64_t> open_after = store->Count("status = 'OPEN'");
  if (!open_after.ok()) return fail(open_after.status());
  report.open_after = *open_after;
  report.total_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (absl::Status s = store->FinishRun(report.night, NightReportJson(report)); !s.ok()) {
    return fail(s);
  }
  if (absl::Status s = store->Commit(); !s.ok()) return fail(s);
  return report;
}

}  // namespace cdiscan::engine
