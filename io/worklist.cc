#include "io/worklist.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "base/clinical_time.h"
#include "base/json_string.h"
#include "io/csv.h"

namespace cdiscan::io {
namespace {

// The page embeds its data in a <script> element.
std::string JsonString(absl::string_view text) {
  return cdiscan::JsonString(text, JsonEscaping::kHtmlSafe);
}

constexpr int kMaxEvidenceShown = 12;  // as engine/nightly.h kMaxSnippetsPerFinding

constexpr const char* kKinds[] = {"MISSING_DIAGNOSIS", "SPECIFICITY", "CLINICAL_VALIDATION",
                                  "CONFLICT"};

int DaysBetweenNights(absl::string_view from, absl::string_view to) {
  absl::CivilDay a, b;
  if (!absl::ParseCivilTime(from, &a) || !absl::ParseCivilTime(to, &b)) return 0;
  return static_cast<int>(b - a);
}


std::string Days(double days) { return days < 0 ? "" : absl::StrFormat("%.1f", days); }

// Evidence as before / highlighted / after, split here on byte offsets (the page's JavaScript
// works in UTF-16 and must not re-slice).
std::string EvidenceJson(const Evidence& e) {
  std::string pre, hit = e.text(), post;
  if (!e.snippet().empty() && e.begin() >= e.snippet_begin() &&
      e.end() - e.snippet_begin() <= e.snippet().size()) {
    const size_t b = e.begin() - e.snippet_begin(), n = e.end() - e.begin();
    pre = e.snippet().substr(0, b);
    hit = e.snippet().substr(b, n);
    post = e.snippet().substr(b + n);
  }
  return absl::StrCat("{\"note_id\":", JsonString(e.note_id()),
                      ",\"observation_id\":", JsonString(e.observation_id()),
                      ",\"role\":", JsonString(EvidenceRole_Name(e.role())),
                      ",\"label\":", JsonString(e.label()), ",\"note_type\":",
                      JsonString(e.note_type()), ",\"time\":", JsonString(e.note_time()),
                      ",\"section\":", JsonString(e.section()), ",\"pre\":", JsonString(pre),
                      ",\"hit\":", JsonString(hit), ",\"post\":", JsonString(post), "}");
}

std::string FindingJson(const StoredFinding& s, absl::string_view night) {
  const Finding& f = s.finding;
  std::string evidence;
  for (const Evidence& e : f.evidence()) {
    absl::StrAppend(&evidence, evidence.empty() ? "" : ",", EvidenceJson(e));
  }
  std::string query = f.query().text();
  if (f.query().options_size() > 0) {
    absl::StrAppend(&query, "\n");
    for (const std::string& option : f.query().options()) absl::StrAppend(&query, "\n[ ] ", option);
  }
  return absl::StrCat(
      "{\"id\":", JsonString(f.finding_id()), ",\"rule\":", JsonString(f.rule_id()),
      ",\"condition\":", JsonString(f.condition()), ",\"kind\":",
      JsonString(FindingKind_Name(f.kind())), ",\"status\":",
      JsonString(s.opened == night ? "NEW" : "OPEN"), ",\"opened\":", JsonString(s.opened),
      ",\"first_seen\":", JsonString(s.first_seen),
      ",\"priority\":", absl::StrFormat("%.2f", f.priority()),
      ",\"rationale\":", JsonString(f.rationale()), ",\"query\":", JsonString(query),
      ",\"evidence_more\":", std::max(0, s.evidence_total - f.evidence_size()),
      ",\"evidence\":[", evidence, "]}");
}

std::string RowJson(const WorklistRow& row, int rank, absl::string_view night) {
  std::string findings;
  for (const StoredFinding& f : row.findings) {
    absl::StrAppend(&findings, findings.empty() ? "" : ",", FindingJson(f, night));
  }
  std::string kinds;
  for (const auto& [kind, count] : row.by_kind) {
    absl::StrAppend(&kinds, kinds.empty() ? "" : ",", JsonString(kind), ":", count);
  }
  const Encounter& e = row.encounter;
  return absl::StrCat(
      "{\"rank\":", rank, ",\"encounter\":", JsonString(e.encounter_id()),
      ",\"patient\":", JsonString(e.patient_id()), ",\"unit\":", JsonString(e.unit()),
      ",\"facility\":", JsonString(e.facility()),
      ",\"class\":", JsonString(e.patient_class() == PATIENT_CLASS_UNSPECIFIED
                                    ? ""
                                    : PatientClass_Name(e.patient_class())),
      ",\"age\":", e.age(), ",\"sex\":", JsonString(e.sex()),
      ",\"admit\":", JsonString(e.admit_time()), ",\"discharge\":", JsonString(e.discharge_time()),
      ",\"los\":", row.length_of_stay_days < 0 ? "null" : Days(row.length_of_stay_days),
      ",\"open\":", row.findings.size(), ",\"new\":", row.new_count, ",\"kinds\":{", kinds,
      "},\"top\":", JsonString(row.top_condition), ",\"oldest\":", row.oldest_open_days,
      ",\"priority\":", absl::StrFormat("%.2f", row.priority), ",\"findings\":[", findings, "]}");
}

// The page: inline CSS and JavaScript only. Data arrives in the JSON script block.
constexpr char kHtmlHead[] = R"html(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cdiscan — %TITLE% worklist %NIGHT%</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:16px;color:#1d2330;background:#fafbfc}
h1{font-size:20px;margin:0 0 4px} .sub{color:#5a6272;margin-bottom:12px}
.filters{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0 12px;align-items:center}
select,input{font:inherit;padding:3px 6px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e3e6ec;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f6;cursor:pointer;user-select:none;white-space:nowrap;position:sticky;top:0}
th.sorted-asc::after{content:" \25B2"} th.sorted-desc::after{content:" \25BC"}
tr.enc:hover{background:#f3f7ff;cursor:pointer} td.num{text-align:right}
.badge{display:inline-block;border-radius:3px;padding:0 5px;font-size:12px;font-weight:600}
.NEW{background:#ffe8a3;color:#6b4e00} .OPEN{background:#dde7f7;color:#234}
.detail td{background:#f7f8fb} .finding{border:1px solid #dfe3ea;border-radius:4px;padding:8px;margin:6px 0;background:#fff}
.ev{margin:4px 0 4px 12px;font-size:13px} .snip{white-space:pre-wrap;font-family:ui-monospace,Menlo,Consolas,monospace;background:#f4f5f7;padding:4px 6px;border-radius:3px;display:block;margin-top:2px}
mark{background:#ffd54f;padding:0 1px} .meta{color:#5a6272;font-size:12px}
textarea{width:100%;min-height:120px;font:12px ui-monospace,Menlo,Consolas,monospace}
button{font:inherit;padding:2px 10px;cursor:pointer} .count{color:#5a6272}
.report{margin-top:24px} .report table{width:auto} .report td,.report th{padding:3px 10px}
</style></head><body>
<h1>%TITLE% worklist</h1>
<div class="sub">Night %NIGHT% · generated by cdiscan · one row per encounter, highest priority first · click a row for its findings</div>
<div class="filters">
<label>Kind <select id="f-kind"><option value="">all</option></select></label>
<label>Condition <select id="f-condition"><option value="">all</option></select></label>
<label>Unit <select id="f-unit"><option value="">all</option></select></label>
<span class="count" id="count"></span>
</div>
<table id="worklist"><thead><tr>
<th data-key="rank">#</th><th data-key="encounter">Encounter</th><th data-key="unit">Unit</th>
<th data-key="class">Class</th><th data-key="los">LOS (d)</th><th data-key="open">Open</th>
<th data-key="new">New</th><th data-key="kindsText">By kind</th><th data-key="top">Top condition</th>
<th data-key="oldest">Oldest (d)</th><th data-key="priority">Priority</th>
</tr></thead><tbody></tbody></table>
<div class="report" id="report"></div>
<script type="application/json" id="data">)html";

constexpr char kHtmlTail[] = R"html(</script>
<script>
(function(){
"use strict";
var data=JSON.parse(document.getElementById("data").textContent);
var rows=data.rows, report=data.report;
var ABBR={MISSING_DIAGNOSIS:"MD",SPECIFICITY:"SP",CLINICAL_VALIDATION:"CV",CONFLICT:"CF"};
rows.forEach(function(r){r.kindsText=Object.keys(r.kinds).map(function(k){return (ABBR[k]||k)+" "+r.kinds[k];}).join(", ");});
var sortKey="rank", sortDir=1, open={};
// "#open=ENC-1,ENC-2" opens those encounters (links from other tools, screenshots).
location.hash.replace(/^#open=/,"").split(",").forEach(function(id){if(id)open[decodeURIComponent(id)]=true;});
function el(tag,attrs,text){var e=document.createElement(tag);if(attrs)for(var k in attrs)e.setAttribute(k,attrs[k]);if(text!=null)e.textContent=text;return e;}
function fill(id,values){var s=document.getElementById(id);values.sort().forEach(function(v){if(v)s.appendChild(el("option",{value:v},v));});s.addEventListener("change",render);}
function uniq(f){var m={};rows.forEach(function(r){f(r).forEach(function(v){m[v]=1;});});return Object.keys(m);}
fill("f-kind",uniq(function(r){return Object.keys(r.kinds);}));
fill("f-condition",uniq(function(r){return r.findings.map(function(f){return f.condition;});}));
fill("f-unit",uniq(function(r){return [r.unit];}));
function val(id){return document.getElementById(id).value;}
function visible(r){
 var k=val("f-kind"),c=val("f-condition"),u=val("f-unit");
 if(k&&!r.kinds[k])return false; if(u&&r.unit!==u)return false;
 if(c&&!r.findings.some(function(f){return f.condition===c;}))return false; return true;}
function copyText(text,button){
 function done(){button.textContent="Copied";setTimeout(function(){button.textContent="Copy query";},1500);}
 if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text).then(done);return;}
 var t=button.parentNode.querySelector("textarea");t.select();try{document.execCommand("copy");done();}catch(e){}}
function findingNode(f){
 var d=el("div",{"class":"finding"});
 var h=el("div");h.appendChild(el("span",{"class":"badge "+f.status},f.status));
 h.appendChild(document.createTextNode(" "+f.condition+" · "+f.kind.replace(/_/g," ").toLowerCase()+" "));
 h.appendChild(el("span",{"class":"meta"},f.rule+" · priority "+f.priority+" · open since "+f.opened+" · "+f.id));
 d.appendChild(h); d.appendChild(el("div",{"class":"meta"},f.rationale));
 f.evidence.forEach(function(e){
  var ev=el("div",{"class":"ev"});
  ev.appendChild(el("div",{"class":"meta"},(e.role==="DOCUMENTATION"?"Documentation":"Indicator")+": "+e.label+" — "+[e.note_type,e.section,e.time,e.note_id||e.observation_id].filter(Boolean).join(" · ")));
  var s=el("span",{"class":"snip"});s.appendChild(document.createTextNode(e.pre));s.appendChild(el("mark",null,e.hit));s.appendChild(document.createTextNode(e.post));
  ev.appendChild(s); d.appendChild(ev);});
 if(f.evidence_more>0)d.appendChild(el("div",{"class":"ev meta"},"+ "+f.evidence_more+" more evidence item(s) in the finding"));
 var q=el("div");q.appendChild(el("div",{"class":"meta"},"Draft query"));
 var t=el("textarea",{readonly:"readonly"});t.value=f.query;q.appendChild(t);
 var b=el("button",null,"Copy query");b.addEventListener("click",function(ev){ev.stopPropagation();copyText(f.query,b);});
 q.appendChild(b); d.appendChild(q); return d;}
function render(){
 var body=document.querySelector("#worklist tbody"); body.textContent="";
 var list=rows.filter(visible).slice().sort(function(a,b){var x=a[sortKey],y=b[sortKey];
  if(x==null)x=-Infinity; if(y==null)y=-Infinity; if(x<y)return -sortDir; if(x>y)return sortDir; return a.rank-b.rank;});
 list.forEach(function(r){
  var tr=el("tr",{"class":"enc","data-encounter":r.encounter});
  [r.rank,r.encounter,r.unit,r.class,r.los==null?"":r.los,r.open,r.new,r.kindsText,r.top,r.oldest,r.priority].forEach(function(v,i){
   var td=el("td",(i===0||i===4||i===5||i===6||i===9||i===10)?{"class":"num"}:null,String(v));tr.appendChild(td);});
  tr.addEventListener("click",function(){open[r.encounter]=!open[r.encounter];render();});
  body.appendChild(tr);
  if(open[r.encounter]){var dr=el("tr",{"class":"detail"}),td=el("td",{colspan:"11"});
   r.findings.forEach(function(f){if(!val("f-kind")||f.kind===val("f-kind"))td.appendChild(findingNode(f));});dr.appendChild(td);body.appendChild(dr);}
 });
 document.getElementById("count").textContent=list.length+" of "+rows.length+" encounters";
 document.querySelectorAll("#worklist th").forEach(function(th){th.className=th.dataset.key===sortKey?(sortDir>0?"sorted-asc":"sorted-desc"):"";});}
document.querySelectorAll("#worklist th").forEach(function(th){th.addEventListener("click",function(){
 var k=th.dataset.key; if(sortKey===k)sortDir=-sortDir; else{sortKey=k;sortDir=(k==="rank"||k==="encounter"||k==="unit"||k==="top"||k==="class")?1:-1;} render();});});
function renderReport(){
 if(!report||!report.night)return; var r=document.getElementById("report");
 r.appendChild(el("h2",null,"Run report — night "+report.night));
 var t=el("table"),add=function(k,v){var tr=el("tr");tr.appendChild(el("th",null,k));tr.appendChild(el("td",null,String(v)));t.appendChild(tr);};
 var i=report.input,f=report.findings;
 add("Notes read / scanned / rejected",i.notes_read+" / "+i.notes_scanned+" / "+i.notes_rejected);
 add("Encounters evaluated",report.encounters_evaluated);
 add("Rejected input (encounters, observations, other)",i.encounter_records_rejected+", "+i.observations_rejected+", "+i.other_rejected);
 add("Findings tonight",f.tonight); add("New / still open / reopened",f["new"]+" / "+f.still_open+" / "+f.reopened);
 add("Resolved tonight",f.resolved); add("Suppressed by dispositions",f.suppressed); add("Open after tonight",f.open_after);
 add("By kind",Object.keys(f.by_kind).map(function(k){return k+" "+f.by_kind[k];}).join(", "));
 add("By condition",Object.keys(f.by_condition).map(function(k){return k+" "+f.by_condition[k];}).join(", "));
 add("Seconds (scan, reconcile, snippets, total)",[report.seconds.scan,report.seconds.reconcile,report.seconds.snippets,report.seconds.total].join(", "));
 r.appendChild(t);
 r.appendChild(el("h3",null,"Rules"));
 var rt=el("table"),hr=el("tr");["Rule","Fired tonight","New","Dispositions","Agreed","Disagreed","Queried","Agreement"].forEach(function(h){hr.appendChild(el("th",null,h));});rt.appendChild(hr);
 report.rules.forEach(function(x){var tr=el("tr");[x.rule_id,x.fired,x["new"],x.dispositions,x.agreed,x.disagreed,x.queried,x.agreement_rate==null?"—":Math.round(x.agreement_rate*100)+"%"].forEach(function(v){tr.appendChild(el("td",null,String(v)));});rt.appendChild(tr);});
 r.appendChild(rt);}
render(); renderReport();
document.body.setAttribute("data-rendered",String(rows.length));
})();
</script></body></html>
)html";

}  // namespace

absl::Status WriteFileAtomically(const std::string& path, absl::string_view content) {
  const std::string temp = absl::StrCat(path, ".tmp");
  FILE* file = std::fopen(temp.c_str(), "wb");
  if (file == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(temp, ": cannot open for writing: ", std::strerror(errno)));
  }
  bool ok = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  ok &= std::fclose(file) == 0;
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return absl::DataLossError(absl::StrCat(path, ": write failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<Worklists> BuildWorklists(StateStore* store, absl::string_view night,
                                         absl::Time as_of, absl::Duration lookback) {
  absl::StatusOr<std::vector<StoredEncounter>> encounters = store->Encounters();
  if (!encounters.ok()) return encounters.status();
  std::map<std::string, WorklistRow> rows;
  for (StoredEncounter& e : *encounters) {
    rows[e.encounter.encounter_id()].encounter = std::move(e.encounter);
  }
  absl::Status status = store->ForEachFinding([&](const StoredFinding& f) {
    if (f.status != "OPEN") return;
    WorklistRow& row = rows[f.finding.encounter_id()];
    if (row.encounter.encounter_id().empty()) {
      row.encounter.set_encounter_id(f.finding.encounter_id());
      row.encounter.set_patient_id(f.finding.patient_id());
    }
    row.findings.push_back(f);
    // The page shows the first evidence items (those with snippets); the count says how many
    // more the finding has. Keeps memory and page size bounded on a big night.
    auto* evidence = row.findings.back().finding.mutable_evidence();
    if (evidence->size() > kMaxEvidenceShown) {
      evidence->DeleteSubrange(kMaxEvidenceShown, evidence->size() - kMaxEvidenceShown);
    }
  });
  if (!status.ok()) return status;
  Worklists lists;
  for (auto& [id, row] : rows) {
    if (row.findings.empty()) continue;
    std::stable_sort(row.findings.begin(), row.findings.end(),
                     [](const StoredFinding& a, const StoredFinding& b) {
                       return a.finding.priority() > b.finding.priority();
                     });
    row.priority = row.findings.front().finding.priority();
    row.top_condition = row.findings.front().finding.condition();
    std::string oldest(night);
    for (const StoredFinding& f : row.findings) {
      ++row.by_kind[FindingKind_Name(f.finding.kind())];
      if (f.opened == night) ++row.new_count;
      oldest = std::min(oldest, f.opened);
    }
    row.oldest_open_days = DaysBetweenNights(oldest, night);
    std::optional<absl::Time> admit = ParseClinicalTime(row.encounter.admit_time());
    std::optional<absl::Time> discharge = ParseClinicalTime(row.encounter.discharge_time());
    if (admit.has_value()) {
      row.length_of_stay_days =
          std::max(0.0, absl::ToDoubleHours(discharge.value_or(as_of) - *admit) / 24.0);
    }
    if (row.encounter.discharge_time().empty()) {
      lists.concurrent.push_back(std::move(row));
    } else if (!row.encounter.final_coded() && discharge.has_value() &&
               *discharge >= as_of - lookback) {
      lists.retrospective.push_back(std::move(row));
    }
  }
  for (auto* list : {&lists.concurrent, &lists.retrospective}) {
    std::stable_sort(list->begin(), list->end(), [](const WorklistRow& a, const WorklistRow& b) {
      if (a.priority != b.priority) return a.priority > b.priority;
      if (a.findings.size() != b.findings.size()) return a.findings.size() > b.findings.size();
      return a.encounter.encounter_id() < b.encounter.encounter_id();
    });
  }
  return lists;
}

absl::Status WriteWorklistCsv(const std::string& path, const std::vector<WorklistRow>& rows) {
  std::vector<std::string> header = {"rank", "encounter_id", "patient_id", "facility", "unit",
                                     "patient_class", "admit_time", "discharge_time",
                                     "length_of_stay_days", "open_findings", "new_findings"};
  for (const char* kind : kKinds) header.push_back(absl::AsciiStrToLower(kind));
  for (const char* extra : {"top_condition", "oldest_open_days", "priority", "finding_ids"}) {
    header.push_back(extra);
  }
  std::string out = CsvLine(header) + "\r\n";
  int rank = 0;
  for (const WorklistRow& row : rows) {
    const Encounter& e = row.encounter;
    std::vector<std::string> fields = {
        absl::StrCat(++rank), e.encounter_id(), e.patient_id(), e.facility(), e.unit(),
        e.patient_class() == PATIENT_CLASS_UNSPECIFIED ? "" : PatientClass_Name(e.patient_class()),
        e.admit_time(), e.discharge_time(), Days(row.length_of_stay_days),
        absl::StrCat(row.findings.size()), absl::StrCat(row.new_count)};
    for (const char* kind : kKinds) {
      auto found = row.by_kind.find(kind);
      fields.push_back(absl::StrCat(found == row.by_kind.end() ? 0 : found->second));
    }
    std::vector<std::string> ids;
    for (const StoredFinding& f : row.findings) ids.push_back(f.finding.finding_id());
    fields.push_back(row.top_condition);
    fields.push_back(absl::StrCat(row.oldest_open_days));
    fields.push_back(absl::StrFormat("%.2f", row.priority));
    fields.push_back(absl::StrJoin(ids, " "));
    absl::StrAppend(&out, CsvLine(fields), "\r\n");
  }
  return WriteFileAtomically(path, out);
}

absl::Status WriteWorklistHtml(const std::string& path, absl::string_view title,
                               const std::vector<WorklistRow>& rows, absl::string_view night,
                               absl::string_view report_json) {
  std::string head = kHtmlHead;
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"%TITLE%", std::string(title)}, {"%NIGHT%", std::string(night)}}) {
    for (size_t at = head.find(key); at != std::string::npos; at = head.find(key, at)) {
      head.replace(at, key.size(), value);
    }
  }
  // Streamed row by row: a big night's page is larger than anything else cdiscan holds.
  const std::string temp = absl::StrCat(path, ".tmp");
  FILE* file = std::fopen(temp.c_str(), "wb");
  if (file == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(temp, ": cannot open for writing: ", std::strerror(errno)));
  }
  bool ok = true;
  auto write = [&](absl::string_view text) {
    ok = ok && std::fwrite(text.data(), 1, text.size(), file) == text.size();
  };
  write(head);
  write("{\"rows\":[");
  int rank = 0;
  for (const WorklistRow& row : rows) {
    if (rank > 0) write(",");
    write(RowJson(row, rank + 1, night));
    ++rank;
  }
  // The report is JSON produced by cdiscan; escape "</" anyway so the script block stays closed.
  std::string report(report_json.empty() ? "{}" : report_json);
  for (size_t at = report.find("</"); at != std::string::npos; at = report.find("</", at)) {
    report.replace(at, 2, "<\\/");
  }
  write("],\"report\":");
  write(report);
  write("}");
  write(kHtmlTail);
  ok = (std::fclose(file) == 0) && ok;
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return absl::DataLossError(absl::StrCat(path, ": write failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace cdiscan::io
