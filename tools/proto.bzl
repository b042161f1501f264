"""cc_proto: C++ code for one .proto from Debian's protoc (3.21), no network rules needed."""

def cc_proto(name, src, deps = [], visibility = None):
    """Generates <src>.pb.{h,cc} with the system protoc and wraps them in a cc_library.

    Args:
      name: the cc_library target.
      src: the .proto file, in this package.
      deps: other cc_proto targets whose .proto files src imports.
      visibility: as usual.
    """
    base = src[:-len(".proto")]
    pkg = native.package_name()
    native.genrule(
        name = name + "_gen",
        srcs = [src] + [d + "_srcs" for d in deps],
        outs = [base + ".pb.h", base + ".pb.cc"],
        cmd = "protoc --proto_path=. --proto_path=/usr/include --cpp_out=$(GENDIR) " +
              pkg + "/" + src,
    )
    native.filegroup(
        name = name + "_srcs",
        srcs = [src] + [d + "_srcs" for d in deps],
        visibility = visibility,
    )
    native.cc_library(
        name = name,
        srcs = [base + ".pb.cc"],
        hdrs = [base + ".pb.h"],
        deps = deps + ["//third_party:protobuf"],
        visibility = visibility,
    )
