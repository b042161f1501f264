#include "engine/wire_fact_writer.h"

#include <cmath>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace cdiscan::engine {
namespace {

// Writes the same random facts with both writers; the wire bytes must be the messages'
// serialization. Lengths straddle one-byte and two-byte length prefixes (127, 128, 16383,
// 16384) so that nested messages take both paths of Encoder::EndMessage.
class RandomFacts {
 public:
  explicit RandomFacts(uint32_t seed) : rng_(seed) {}

  std::string Text() {
    // Each way Encoder::Copy copies (1-3 bytes, 4-7, 8-16, longer) and each varint length.
    static constexpr int kLengths[] = {0,   1,   2,   3,   4,   5,     7,    8,   9,
                                       15,  16,  17,  100, 127, 128, 129, 300, 16383, 16384};
    std::string text(kLengths[Uniform(0, std::size(kLengths) - 1)], ' ');
    for (char& c : text) c = static_cast<char>('a' + Uniform(0, 25));
    return text;
  }
  uint32_t Number() {
    static constexpr uint32_t kNumbers[] = {0, 1, 127, 128, 300, 65535, 1u << 31, UINT32_MAX};
    return Uniform(0, 1) ? kNumbers[Uniform(0, std::size(kNumbers) - 1)]
                         : static_cast<uint32_t>(rng_());
  }
  double Value() {
    static constexpr double kValues[] = {0.0, -0.0, 1.5, -3.25, 126, 1e300, 4.9e-324};
    return kValues[Uniform(0, std::size(kValues) - 1)];
  }
  NoteSection Section() { return static_cast<NoteSection>(Uniform(0, NoteSection_MAX)); }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937 rng_;
};

TEST(WireFactWriterTest, WritesWhatTheMessagesSerializeTo) {
  RandomFacts random(20261122);
  for (int round = 0; round < 400; ++round) {
    Note note;
    note.set_note_id(random.Text());
    note.set_patient_id(random.Text());
    note.set_encounter_id(random.Text());
    note.set_note_type(random.Text());
    note.set_author_role(static_cast<AuthorRole>(random.Uniform(0, AuthorRole_MAX)));
    note.set_authored_at(random.Text());
    const uint64_t sequence = uint64_t{random.Number()} << random.Uniform(0, 32);

    NoteFacts facts;
    nlp::SetNoteFields(note, sequence, &facts);
    nlp::MessageFactWriter messages(&facts);
    std::string wire;
    WireFactWriter writer(&wire);
    writer.BeginNote(note);

    // Strings live here while the records point at them.
    std::vector<std::string> strings;
    strings.reserve(1000);
    auto text = [&] { return absl::string_view(strings.emplace_back(random.Text())); };
    const int mentions = random.Uniform(0, 4);
    for (int i = 0; i < mentions; ++i) {
      nlp::MentionRecord m;
      m.span = {random.Number(), random.Number()};
      m.text = text();
      m.section = random.Section();
      m.term_list_id = random.Number();
      m.negation = static_cast<NegationStatus>(random.Uniform(0, NegationStatus_MAX));
      m.temporality = static_cast<Temporality>(random.Uniform(0, Temporality_MAX));
      m.experiencer = static_cast<Experiencer>(random.Uniform(0, Experiencer_MAX));
      messages.AddMention(m);
      writer.AddMention(m);
    }
    const int measurements = random.Uniform(0, 4);
    for (int i = 0; i < measurements; ++i) {
      nlp::MeasurementRecord m;
      m.span = {random.Number(), random.Number()};
      m.text = text();
      m.section = random.Section();
      m.key = text();
      m.value = random.Value();
      m.unit = text();
      m.time = text();
      m.trend_position = random.Number();
      m.flag = text();
      m.qualifier = text();
      m.as_written = text();
      messages.AddMeasurement(m);
      writer.AddMeasurement(m);
    }
    const int treatments = random.Uniform(0, 4);
    for (int i = 0; i < treatments; ++i) {
      nlp::TreatmentRecord t;
      t.span = {random.Number(), random.Number()};
      t.text = text();
      t.section = random.Section();
      t.key = text();
      t.negation = static_cast<NegationStatus>(random.Uniform(0, NegationStatus_MAX));
      t.temporality = static_cast<Temporality>(random.Uniform(0, Temporality_MAX));
      messages.AddTreatment(t);
      writer.AddTreatment(t);
    }
    writer.EndNote(sequence);
    ASSERT_EQ(wire, facts.SerializeAsString()) << "round " << round;
  }
}

}  // namespace
}  // namespace cdiscan::engine
