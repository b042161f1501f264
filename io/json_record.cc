#include "io/json_record.h"

#include <simdjson.h>

#include <cmath>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace cdiscan::io {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
namespace od = simdjson::ondemand;

absl::Status FieldError(std::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("field '", absl::string_view(field.data(), field.size()), "': ", what));
}

absl::string_view TypeName(od::json_type type) {
  switch (type) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "a value";
}

std::string EnumChoices(const EnumDescriptor* type) {
  std::vector<std::string> names;
  for (int i = 1; i < type->value_count(); ++i) names.push_back(type->value(i)->name());
  return absl::StrJoin(names, ", ");
}

// Reads a JSON number, or a string holding one (the JSON mapping allows both).
absl::Status ReadDouble(od::value& value, od::json_type type, std::string_view field,
                        double* out) {
  if (type == od::json_type::number) {
    if (value.get_double().get(*out) != simdjson::SUCCESS) {
      return FieldError(field, "not a valid number");
    }
    return absl::OkStatus();
  }
  if (type == od::json_type::string) {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS ||
        !absl::SimpleAtod(absl::string_view(text.data(), text.size()), out)) {
      return FieldError(field, absl::StrCat("expected a number, got \"",
                                            absl::string_view(text.data(), text.size()), "\""));
    }
    return absl::OkStatus();
  }
  return FieldError(field, absl::StrCat("expected a number, got ", TypeName(type)));
}

absl::Status SetField(od::value& value, const FieldDescriptor* field, std::string_view key,
                      Message* message) {
  const Reflection* reflection = message->GetReflection();
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return FieldError(key, "malformed value");
  if (type == od::json_type::null) return absl::OkStatus();
  if (field->is_repeated() || field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return FieldError(key, "nested and repeated fields are not supported in input records");
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      if (type != od::json_type::string) {
        return FieldError(key, absl::StrCat("expected a string, got ", TypeName(type)));
      }
      std::string_view text;
      if (value.get_string().get(text) != simdjson::SUCCESS) {
        return FieldError(key, "malformed string");
      }
      reflection->SetString(message, field, std::string(text));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double number = 0;
      if (absl::Status s = ReadDouble(value, type, key, &number); !s.ok()) return s;
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        reflection->SetDouble(message, field, number);
      } else {
        reflection->SetFloat(message, field, static_cast<float>(number));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64: {
      double number = 0;
      if (absl::Status s = ReadDouble(value, type, key, &number); !s.ok()) return s;
      if (number != std::floor(number) || std::fabs(number) > 9.0e15) {
        return FieldError(key, absl::StrCat("expected a whole number, got ", number));
      }
      const auto whole = static_cast<int64_t>(number);
      const bool is_unsigned = field->cpp_type() == FieldDescriptor::CPPTYPE_UINT32 ||
                               field->cpp_type() == FieldDescriptor::CPPTYPE_UINT64;
      if (is_unsigned && whole < 0) return FieldError(key, "expected a non-negative number");
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          if (whole < INT32_MIN || whole > INT32_MAX) return FieldError(key, "out of range");
          reflection->SetInt32(message, field, static_cast<int32_t>(whole));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          reflection->SetInt64(message, field, whole);
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          if (whole > UINT32_MAX) return FieldError(key, "out of range");
          reflection->SetUInt32(message, field, static_cast<uint32_t>(whole));
          break;
        default:
          reflection->SetUInt64(message, field, static_cast<uint64_t>(whole));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool flag = false;
      if (type != od::json_type::boolean || value.get_bool().get(flag) != simdjson::SUCCESS) {
        return FieldError(key, absl::StrCat("expected true or false, got ", TypeName(type)));
      }
      reflection->SetBool(message, field, flag);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumDescriptor* enum_type = field->enum_type();
      if (type == od::json_type::number) {
        int64_t number = 0;
        if (value.get_int64().get(number) != simdjson::SUCCESS ||
            enum_type->FindValueByNumber(static_cast<int>(number)) == nullptr) {
          return FieldError(key, absl::StrCat("unknown value; expected one of ",
                                              EnumChoices(enum_type)));
        }
        reflection->SetEnumValue(message, field, static_cast<int>(number));
        return absl::OkStatus();
      }
      std::string_view name;
      if (type != od::json_type::string || value.get_string().get(name) != simdjson::SUCCESS) {
        return FieldError(key, absl::StrCat("expected a string, got ", TypeName(type)));
      }
      if (name.empty()) return absl::OkStatus();  // "" means "not given", like null.
      const auto* enum_value = enum_type->FindValueByName(std::string(name));
      if (enum_value == nullptr) {
        return FieldError(key, absl::StrCat("unknown value \"",
                                            absl::string_view(name.data(), name.size()),
                                            "\"; expected one of ", EnumChoices(enum_type)));
      }
      reflection->SetEnum(message, field, enum_value);
      return absl::OkStatus();
    }
    default:
      return FieldError(key, "unsupported field type");
  }
}

}  // namespace

struct JsonRecordParser::Impl {
  od::parser parser;
  std::string padded;
};

JsonRecordParser::JsonRecordParser() : impl_(std::make_unique<Impl>()) {}
JsonRecordParser::~JsonRecordParser() = default;

absl::Status JsonRecordParser::Parse(absl::string_view json, Message* message) {
  message->Clear();
  // One object per line: catches truncated lines and trailing content the lazy parser would
  // never visit.
  absl::string_view trimmed = absl::StripAsciiWhitespace(json);
  if (trimmed.empty() || trimmed.front() != '{' || trimmed.back() != '}') {
    return absl::InvalidArgumentError("malformed JSON: expected one object per line");
  }
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: copy into a padded buffer.
  impl_->padded.assign(json.data(), json.size());
  impl_->padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
  od::document doc;
  auto error = impl_->parser
                   .iterate(impl_->padded.data(), json.size(), impl_->padded.size())
                   .get(doc);
  if (error == simdjson::UTF8_ERROR) {
    return absl::InvalidArgumentError("invalid UTF-8 in the record");
  }
  if (error != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed JSON: ", simdjson::error_message(error)));
  }
  od::object object;
  if (auto e = doc.get_object().get(object); e != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        e == simdjson::UTF8_ERROR ? "invalid UTF-8 in the record"
                                  : "malformed JSON: expected an object per line");
  }
  const google::protobuf::Descriptor* descriptor = message->GetDescriptor();
  for (auto member : object) {
    od::field field;
    if (auto e = std::move(member).get(field); e != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed JSON: ", simdjson::error_message(e)));
    }
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError("malformed JSON: bad field name");
    }
    const std::string key_string(key);
    const FieldDescriptor* fd = descriptor->FindFieldByName(key_string);
    if (fd == nullptr) fd = descriptor->FindFieldByCamelcaseName(key_string);
    if (fd == nullptr) continue;  // unknown field: ignored by design (see header)
    od::value value = field.value();
    if (absl::Status s = SetField(value, fd, key, message); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace cdiscan::io
