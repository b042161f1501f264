"""cc_embed_data: compile data files into a cc_library (see tools/embedded_file.h)."""

def cc_embed_data(name, srcs, symbol, visibility = None):
    """Defines cc_library `name` exposing `extern const cdiscan::EmbeddedFile symbol[]`.

    Args:
      name: the cc_library target.
      srcs: data files; their workspace-relative paths are kept.
      symbol: C++ identifier of the array, declared by users as
        `namespace cdiscan { extern const EmbeddedFile symbol[]; }`.
      visibility: as usual.
    """
    native.genrule(
        name = name + "_gen",
        srcs = srcs,
        outs = [name + "_embedded.cc"],
        cmd = "$(location //tools:embed) $@ " + symbol + " $(SRCS)",
        tools = ["//tools:embed"],
    )
    native.cc_library(
        name = name,
        srcs = [name + "_embedded.cc"],
        deps = ["//tools:embedded_file"],
        visibility = visibility,
    )
