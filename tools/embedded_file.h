// Data files compiled into the binary by the cc_embed_data() Bazel macro (tools/embed.bzl).
#ifndef CDISCAN_TOOLS_EMBEDDED_FILE_H_
#define CDISCAN_TOOLS_EMBEDDED_FILE_H_

#include <cstddef>

namespace cdiscan {

struct EmbeddedFile {
  const char* path;  // workspace-relative path, e.g. "rules/packs/electrolytes/sodium.textproto"
  const char* data;
  size_t size;
};

}  // namespace cdiscan

#endif  // CDISCAN_TOOLS_EMBEDDED_FILE_H_
