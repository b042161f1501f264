#include "engine/wire_fact_writer.h"

#include <bit>
#include <cstring>

#include "google/protobuf/io/coded_stream.h"
#include "proto/facts.pb.h"

namespace cdiscan::engine {
namespace {

// Wire types (protobuf encoding guide).
constexpr uint32_t kVarint = 0;
constexpr uint32_t kFixed64 = 1;
constexpr uint32_t kLengthDelimited = 2;

// Room for everything of a fact but its strings: at most 12 fields of a tag (1 byte: field
// numbers are below 16), a length or varint (10 bytes at most) and a nested length's growth.
constexpr size_t kFactOverheadBytes = 192;

// Encodes into memory reserved in advance (by Reserve below): one bounds decision per fact
// instead of a std::string append per tag and length, which cost more than the facts' bytes.
class Encoder {
 public:
  explicit Encoder(char* at) : at_(at) {}
  char* at() const { return at_; }

  void Varint(uint64_t value) {
    if (value < 0x80) {  // offsets below 128, lengths, enums: most varints of a fact
      *at_++ = static_cast<char>(value);
      return;
    }
    while (value >= 0x80) {
      *at_++ = static_cast<char>(value | 0x80);
      value >>= 7;
    }
    *at_++ = static_cast<char>(value);
  }
  // Field numbers are template arguments so that each tag is one constant byte, which needs
  // the field number to be below 16 (checked here for every field written).
  template <int kField>
  void Tag(uint32_t wire_type) {
    static_assert(kField > 0 && kField < 16, "a one-byte tag needs a field number below 16");
    *at_++ = static_cast<char>(static_cast<uint32_t>(kField) << 3 | wire_type);
  }
  // proto3 leaves out a scalar that has its default value; so do these.
  template <int kField>
  void Uint(uint64_t value) {
    if (value == 0) return;
    Tag<kField>(kVarint);
    Varint(value);
  }
  template <int kField>
  void Enum(int value) {
    // Enums are int32 on the wire, sign-extended to 64 bits.
    Uint<kField>(static_cast<uint64_t>(static_cast<int64_t>(value)));
  }
  template <int kField>
  void Double(double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    if (bits == 0) return;  // protobuf writes -0.0, whose bits are not all zero
    Tag<kField>(kFixed64);
    static_assert(std::endian::native == std::endian::little, "fixed64 is little-endian");
    std::memcpy(at_, &bits, sizeof(bits));
    at_ += sizeof(bits);
  }
  template <int kField>
  void String(absl::string_view value) {
    if (value.empty()) return;
    Tag<kField>(kLengthDelimited);
    Varint(value.size());
    Copy(value);
  }

  // A nested message is written as its tag, its length and its fields; the length is known
  // only after the fields. One byte is set aside for it (any message under 128 bytes), and
  // the fields are moved up when it needs more.
  template <int kField>
  char* BeginMessage() {
    Tag<kField>(kLengthDelimited);
    return at_++;
  }
  void EndMessage(char* length_at) {
    const size_t size = static_cast<size_t>(at_ - (length_at + 1));
    if (size < 0x80) {
      *length_at = static_cast<char>(size);
      return;
    }
    Encoder length(length_at);
    const size_t length_bytes = google::protobuf::io::CodedOutputStream::VarintSize64(size);
    std::memmove(length_at + length_bytes, length_at + 1, size);
    length.Varint(size);
    at_ = length.at() + size;
  }

 private:
  // memcpy, inline for the short strings a fact is made of ("sodium", "126 mEq/L"): two
  // overlapping word moves instead of a library call. Reads only the bytes of `value`.
  void Copy(absl::string_view value) {
    const char* from = value.data();
    const size_t size = value.size();
    if (size >= 8 && size <= 16) {
      CopyAsTwoWords<uint64_t>(from, size);
    } else if (size >= 4 && size < 8) {
      CopyAsTwoWords<uint32_t>(from, size);
    } else if (size < 4) {
      for (size_t i = 0; i < size; ++i) at_[i] = from[i];
    } else {
      std::memcpy(at_, from, size);
    }
    at_ += size;
  }
  // Copies `size` bytes, sizeof(Word) <= size <= 2 * sizeof(Word), as a first and a last word
  // (which overlap when size < 2 * sizeof(Word)).
  template <typename Word>
  void CopyAsTwoWords(const char* from, size_t size) {
    Word head;
    Word tail;
    std::memcpy(&head, from, sizeof(Word));
    std::memcpy(&tail, from + size - sizeof(Word), sizeof(Word));
    std::memcpy(at_, &head, sizeof(Word));
    std::memcpy(at_ + size - sizeof(Word), &tail, sizeof(Word));
  }

  char* at_;
};

// Makes room for `bytes` more bytes at the end of `out` and returns where they start; Trim
// then cuts `out` back to what was written.
char* Reserve(std::string* out, size_t bytes) {
  const size_t size = out->size();
  out->resize(size + bytes);
  return out->data() + size;
}
void Trim(std::string* out, const Encoder& encoder) {
  out->resize(static_cast<size_t>(encoder.at() - out->data()));
}

template <int kField>
void PutSpan(nlp::Span span, absl::string_view text, NoteSection section, Encoder* e) {
  // A fact always has its span, so it is written even when every field is a default.
  char* length_at = e->BeginMessage<kField>();
  e->Uint<TextSpan::kBeginFieldNumber>(span.begin);
  e->Uint<TextSpan::kEndFieldNumber>(span.end);
  e->String<TextSpan::kTextFieldNumber>(text);
  e->Enum<TextSpan::kSectionFieldNumber>(section);
  e->EndMessage(length_at);
}

// Appends one fact as field kFactField of NoteFacts: its span (field kSpanField of the fact),
// then what `fields` writes. `string_bytes`: the size of all the fact's strings, for the room
// to reserve.
template <int kFactField, int kSpanField, typename Fields>
void AppendFact(nlp::Span span, absl::string_view text, NoteSection section, size_t string_bytes,
                Fields fields, std::string* out) {
  Encoder e(Reserve(out, kFactOverheadBytes + text.size() + string_bytes));
  char* length_at = e.BeginMessage<kFactField>();
  PutSpan<kSpanField>(span, text, section, &e);
  fields(e);
  e.EndMessage(length_at);
  Trim(out, e);
}

}  // namespace

void WireFactWriter::BeginNote(const Note& note) {
  Encoder e(Reserve(out_, kFactOverheadBytes + note.note_id().size() + note.patient_id().size() +
                              note.encounter_id().size() + note.note_type().size() +
                              note.authored_at().size()));
  e.String<NoteFacts::kNoteIdFieldNumber>(note.note_id());
  e.String<NoteFacts::kPatientIdFieldNumber>(note.patient_id());
  e.String<NoteFacts::kEncounterIdFieldNumber>(note.encounter_id());
  e.String<NoteFacts::kNoteTypeFieldNumber>(note.note_type());
  e.Enum<NoteFacts::kAuthorRoleFieldNumber>(note.author_role());
  e.String<NoteFacts::kAuthoredAtFieldNumber>(note.authored_at());
  Trim(out_, e);
}

void WireFactWriter::EndNote(uint64_t sequence) {
  Encoder e(Reserve(out_, kFactOverheadBytes));
  e.Uint<NoteFacts::kSequenceFieldNumber>(sequence);
  Trim(out_, e);
}

void WireFactWriter::AddMention(const nlp::MentionRecord& m) {
  AppendFact<NoteFacts::kMentionFieldNumber, MentionFact::kSpanFieldNumber>(
      m.span, m.text, m.section, 0, [&](Encoder& e) {
        e.Enum<MentionFact::kNegationFieldNumber>(m.negation);
        e.Enum<MentionFact::kTemporalityFieldNumber>(m.temporality);
        e.Enum<MentionFact::kExperiencerFieldNumber>(m.experiencer);
        e.Uint<MentionFact::kTermListIdFieldNumber>(m.term_list_id);
      }, out_);
}

void WireFactWriter::AddMeasurement(const nlp::MeasurementRecord& m) {
  const size_t string_bytes = m.key.size() + m.unit.size() + m.time.size() + m.flag.size() +
                              m.qualifier.size() + m.as_written.size();
  AppendFact<NoteFacts::kMeasurementFieldNumber, MeasurementFact::kSpanFieldNumber>(
      m.span, m.text, m.section, string_bytes, [&](Encoder& e) {
        e.String<MeasurementFact::kKeyFieldNumber>(m.key);
        e.Double<MeasurementFact::kValueFieldNumber>(m.value);
        e.String<MeasurementFact::kUnitFieldNumber>(m.unit);
        e.String<MeasurementFact::kTimeFieldNumber>(m.time);
        e.Uint<MeasurementFact::kTrendPositionFieldNumber>(m.trend_position);
        e.String<MeasurementFact::kFlagFieldNumber>(m.flag);
        e.String<MeasurementFact::kQualifierFieldNumber>(m.qualifier);
        e.String<MeasurementFact::kAsWrittenFieldNumber>(m.as_written);
      }, out_);
}

void WireFactWriter::AddTreatment(const nlp::TreatmentRecord& t) {
  AppendFact<NoteFacts::kTreatmentFieldNumber, TreatmentFact::kSpanFieldNumber>(
      t.span, t.text, t.section, t.key.size(), [&](Encoder& e) {
        e.String<TreatmentFact::kKeyFieldNumber>(t.key);
        e.Enum<TreatmentFact::kNegationFieldNumber>(t.negation);
        e.Enum<TreatmentFact::kTemporalityFieldNumber>(t.temporality);
      }, out_);
}

}  // namespace cdiscan::engine
