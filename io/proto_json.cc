#include "io/proto_json.h"

#include <array>
#include <cmath>
#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.h"

namespace cdiscan::io {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kHex[] = "0123456789abcdef";

// protobuf's JSON escaping of ASCII: the two-character escapes JSON has, \u00XX for other
// control bytes and DEL, and '<' and '>' as \u003c and \u003e (so output can sit in HTML).
// kCopy bytes go out as they are; runs of them are appended at once.
enum ByteAction : uint8_t { kCopy, kShortEscape, kUnicodeEscape, kNotAscii };

constexpr std::array<ByteAction, 256> MakeByteActions() {
  std::array<ByteAction, 256> actions{};
  for (int b = 0; b < 256; ++b) {
    if (b >= 0x80) {
      actions[b] = kNotAscii;
    } else if (b == '"' || b == '\\' || b == '\b' || b == '\f' || b == '\n' || b == '\r' ||
               b == '\t') {
      actions[b] = kShortEscape;
    } else if (b < 0x20 || b == 0x7f || b == '<' || b == '>') {
      actions[b] = kUnicodeEscape;
    } else {
      actions[b] = kCopy;
    }
  }
  return actions;
}
constexpr std::array<ByteAction, 256> kByteActions = MakeByteActions();

char ShortEscape(char c) {
  switch (c) {
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return c;  // '"' and '\\' escape as themselves
  }
}

// False for a byte outside ASCII.
bool AppendAsciiJsonString(const std::string& s, std::string* out) {
  out->push_back('"');
  size_t run = 0;  // start of the bytes not yet appended
  for (size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    const ByteAction action = kByteActions[b];
    if (action == kCopy) continue;
    if (action == kNotAscii) return false;
    out->append(s, run, i - run);
    run = i + 1;
    if (action == kShortEscape) {
      out->push_back('\\');
      out->push_back(ShortEscape(s[i]));
    } else {
      const char escape[] = {'\\', 'u', '0', '0', kHex[b >> 4], kHex[b & 0xf]};
      out->append(escape, sizeof(escape));
    }
  }
  out->append(s, run, s.size() - run);
  out->push_back('"');
  return true;
}

// protobuf's SimpleDtoa: the shortest of %.15g and %.17g that reads back as the same double.
// abseil's formatting and parsing ignore the C locale (as protobuf does), so a program that
// sets LC_NUMERIC still writes "0.5", not "0,5".
bool AppendDouble(double value, std::string* out) {
  if (!std::isfinite(value)) return false;  // "NaN" / "Infinity" as strings: left to protobuf
  char text[32];  // on the stack: "%.17g" of any finite double fits
  absl::SNPrintF(text, sizeof(text), "%.15g", value);
  double back = 0;
  if (!absl::SimpleAtod(text, &back) || back != value) {
    absl::SNPrintF(text, sizeof(text), "%.17g", value);
  }
  out->append(text);
  return true;
}

bool AppendMessage(const Message& message, std::string* out);

// One value of `field` (element `index` if repeated).
bool AppendValue(const Message& message, const FieldDescriptor& field, int index,
                 std::string* out) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      if (field.type() == FieldDescriptor::TYPE_BYTES) return false;
      std::string scratch;  // only for string representations we do not use (cords)
      return AppendAsciiJsonString(
          repeated ? r.GetRepeatedStringReference(message, &field, index, &scratch)
                   : r.GetStringReference(message, &field, &scratch),
          out);
    }
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(out, repeated ? r.GetRepeatedInt32(message, &field, index)
                                    : r.GetInt32(message, &field));
      return true;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(out, repeated ? r.GetRepeatedUInt32(message, &field, index)
                                    : r.GetUInt32(message, &field));
      return true;
    case FieldDescriptor::CPPTYPE_INT64:  // 64-bit integers are JSON strings in proto3
      absl::StrAppend(out, "\"",
                      repeated ? r.GetRepeatedInt64(message, &field, index)
                               : r.GetInt64(message, &field),
                      "\"");
      return true;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(out, "\"",
                      repeated ? r.GetRepeatedUInt64(message, &field, index)
                               : r.GetUInt64(message, &field),
                      "\"");
      return true;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append((repeated ? r.GetRepeatedBool(message, &field, index)
                            : r.GetBool(message, &field))
                      ? "true"
                      : "false");
      return true;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return AppendDouble(
          repeated ? r.GetRepeatedDouble(message, &field, index) : r.GetDouble(message, &field),
          out);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return false;  // protobuf prints floats by their own shortest form: not needed here
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = repeated ? r.GetRepeatedEnumValue(message, &field, index)
                                  : r.GetEnumValue(message, &field);
      const EnumValueDescriptor* value = field.enum_type()->FindValueByNumber(number);
      if (value == nullptr) {
        absl::StrAppend(out, number);  // an unknown value prints as its number
      } else {
        AppendAsciiJsonString(value->name(), out);
      }
      return true;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return AppendMessage(repeated ? r.GetRepeatedMessage(message, &field, index)
                                    : r.GetMessage(message, &field),
                           out);
  }
  return false;
}

bool AppendMessage(const Message& message, std::string* out) {
  const Descriptor& descriptor = *message.GetDescriptor();
  if (descriptor.file()->syntax() != FileDescriptor::SYNTAX_PROTO3 ||
      descriptor.well_known_type() != Descriptor::WELLKNOWNTYPE_UNSPECIFIED) {
    return false;
  }
  const Reflection& r = *message.GetReflection();
  out->push_back('{');
  bool first = true;
  // protobuf's printer reads the serialized message, so fields come in field-number order,
  // which is the order ListFields gives; it lists only fields that are set (proto3: non-default).
  std::vector<const FieldDescriptor*> fields;
  r.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->is_map() || field->is_extension()) return false;
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    out->append(field->name());  // preserve_proto_field_names; names are ASCII identifiers
    out->append("\":");
    if (!field->is_repeated()) {
      if (!AppendValue(message, *field, 0, out)) return false;
      continue;
    }
    out->push_back('[');
    const int size = r.FieldSize(message, field);
    for (int i = 0; i < size; ++i) {
      if (i > 0) out->push_back(',');
      if (!AppendValue(message, *field, i, out)) return false;
    }
    out->push_back(']');
  }
  out->push_back('}');
  return true;
}

}  // namespace

bool AppendProtoJson(const Message& message, std::string* out) {
  const size_t size = out->size();
  if (AppendMessage(message, out)) return true;
  out->resize(size);
  return false;
}

}  // namespace cdiscan::io
