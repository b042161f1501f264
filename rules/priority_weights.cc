#include "rules/priority_weights.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "tools/embedded_file.h"

namespace cdiscan {
extern const EmbeddedFile kPriorityWeights[];
}  // namespace cdiscan

namespace cdiscan::rules {

absl::StatusOr<PriorityWeightsConfig> ParsePriorityWeights(absl::string_view textproto) {
  PriorityWeightsConfig weights;
  if (!google::protobuf::TextFormat::ParseFromString(std::string(textproto), &weights)) {
    return absl::InvalidArgumentError("priority weights: not a PriorityWeightsConfig textproto");
  }
  // Every weight must be written down: a forgotten line silently ranking a kind at zero is the
  // failure this guards against.
  const google::protobuf::Descriptor* descriptor = weights.GetDescriptor();
  const google::protobuf::Reflection* reflection = weights.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    const double value = reflection->GetDouble(weights, field);
    if (value <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("priority weights: ", field->name(), " must be set and positive"));
    }
  }
  return weights;
}

const PriorityWeightsConfig& BundledPriorityWeights() {
  static const PriorityWeightsConfig* const kWeights = [] {
    for (const EmbeddedFile* file = kPriorityWeights; file->path != nullptr; ++file) {
      if (!absl::EndsWith(file->path, "priority_weights.textproto")) continue;
      absl::StatusOr<PriorityWeightsConfig> parsed =
          ParsePriorityWeights(absl::string_view(file->data, file->size));
      if (!parsed.ok()) {
        std::fprintf(stderr, "%s: %s\n", file->path, std::string(parsed.status().message()).c_str());
        std::abort();
      }
      return new PriorityWeightsConfig(*std::move(parsed));
    }
    std::fprintf(stderr, "rules/data/priority_weights.textproto is not embedded\n");
    std::abort();
  }();
  return *kWeights;
}

}  // namespace cdiscan::rules
