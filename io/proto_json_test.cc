#include "io/proto_json.h"

#include <limits>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "proto/facts.pb.h"
#include "proto/finding.pb.h"
#include "proto/note.pb.h"

namespace cdiscan::io {
namespace {

std::string ProtobufJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json, options).ok());
  return json;
}

// Either declines, or writes exactly what protobuf writes.
void ExpectSameAsProtobuf(const google::protobuf::Message& message, bool must_cover = true) {
  std::string ours = "prefix";
  if (!AppendProtoJson(message, &ours)) {
    EXPECT_EQ(ours, "prefix") << "declined, but wrote";
    EXPECT_FALSE(must_cover) << message.ShortDebugString();
    return;
  }
  EXPECT_EQ(ours.substr(6), ProtobufJson(message));
}

std::string RandomAscii(std::mt19937& random, size_t max_size) {
  std::uniform_int_distribution<int> byte(0, 127), size(0, static_cast<int>(max_size));
  std::string s(size(random), ' ');
  for (char& c : s) c = static_cast<char>(byte(random));
  return s;
}

double RandomDouble(std::mt19937& random) {
  static const double kTricky[] = {0.0, -0.0, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 1e-7, 1e21,
                                   1e22, 123456789012345678.0, 5e-324, 1.7976931348623157e308,
                                   0.95, 0.72, 12.5, -3.25, 100.0, 1e15, 1e16, 1e17};
  std::uniform_int_distribution<int> pick(0, 2 * std::size(kTricky));
  const int i = pick(random);
  if (i < static_cast<int>(std::size(kTricky))) return kTricky[i];
  std::uniform_real_distribution<double> any(-1e6, 1e6);
  return any(random);
}

Finding RandomFinding(std::mt19937& random) {
  Finding f;
  f.set_finding_id(RandomAscii(random, 20));
  f.set_encounter_id(RandomAscii(random, 10));
  f.set_rule_id("cardiac.heart_failure.specificity");
  f.set_condition(RandomAscii(random, 3));
  f.set_kind(static_cast<FindingKind>(random() % 5));
  f.set_priority(RandomDouble(random));
  f.set_rationale(RandomAscii(random, 200));
  const int evidence = static_cast<int>(random() % 4);
  for (int i = 0; i < evidence; ++i) {
    Evidence* e = f.add_evidence();
    e->set_note_id(RandomAscii(random, 8));
    e->set_begin(static_cast<uint32_t>(random()));
    e->set_end(random() % 2 ? std::numeric_limits<uint32_t>::max() : 0);
    e->set_text(RandomAscii(random, 40));
    e->set_role(static_cast<EvidenceRole>(random() % 3));
    e->set_label(RandomAscii(random, 30));
  }
  if (random() % 2) {
    DraftQuery* q = f.mutable_query();
    q->set_text(RandomAscii(random, 300));
    const int options = static_cast<int>(random() % 5);
    for (int i = 0; i < options; ++i) q->add_options(RandomAscii(random, 12));
  }
  return f;
}

TEST(ProtoJsonTest, WritesWhatProtobufWrites) {
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) ExpectSameAsProtobuf(RandomFinding(random));
  ExpectSameAsProtobuf(Finding());  // empty: "{}"
  Finding empty_query;
  empty_query.mutable_query();  // a set but empty message is printed as {}
  ExpectSameAsProtobuf(empty_query);
}

TEST(ProtoJsonTest, EveryAsciiByteAndEveryIntegerKind) {
  RunSummary summary;
  summary.set_notes_read(std::numeric_limits<uint64_t>::max());  // 64-bit: a JSON string
  summary.set_findings(42);
  summary.set_seconds(0.51);
  ExpectSameAsProtobuf(summary);
  for (int b = 0; b < 128; ++b) {
    Finding f;
    f.set_rationale(absl::StrCat("a", std::string(1, static_cast<char>(b)), "z"));
    ExpectSameAsProtobuf(f);
  }
  NoteFacts facts;
  facts.set_note_id("n1");
  facts.set_sequence(std::numeric_limits<uint64_t>::max());
  MentionFact* m = facts.add_mention();
  m->set_term_list("x/documentation");
  m->set_negation(NEGATED);
  m->mutable_span()->set_text("no <CHF> & \"fever\"");
  MeasurementFact* v = facts.add_measurement();
  v->set_key("sodium");
  v->set_value(126);
  ExpectSameAsProtobuf(facts);
}

TEST(ProtoJsonTest, DeclinesWhatItDoesNotCover) {
  Finding unicode;
  unicode.set_rationale("T 38.5 \xc2\xb0" "C");  // protobuf escapes some code points: its call
  ExpectSameAsProtobuf(unicode, /*must_cover=*/false);
  std::string out;
  EXPECT_FALSE(AppendProtoJson(unicode, &out));
  Finding nan;
  nan.set_priority(std::numeric_limits<double>::quiet_NaN());
  EXPECT_FALSE(AppendProtoJson(nan, &out));
  google::protobuf::Struct wkt;  // a well-known type with a map
  (*wkt.mutable_fields())["k"].set_string_value("v");
  EXPECT_FALSE(AppendProtoJson(wkt, &out));
  EXPECT_TRUE(out.empty());
}

TEST(ProtoJsonTest, UnknownEnumValuePrintsItsNumber) {
  Finding f;
  f.set_kind(static_cast<FindingKind>(97));
  ExpectSameAsProtobuf(f);
}

}  // namespace
}  // namespace cdiscan::io
