"""Build macros every Bulwark package uses, so that copts, include paths and test wiring are
written once.

Every header is reached as "bulwark/<package path>/<file>.h", inside and outside this repo:
Bazel 4.2.3's include_prefix replaces the package path, so the macro adds it back.
"""

load("//third_party:protobuf.bzl", "protoc_cc_sources")

# Warnings are errors for our own code only; generated and third-party code is compiled apart.
BULWARK_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wno-unused-parameter",
    # Partial aggregate initialisation (LazyRE2, designated initialisers) is intended.
    "-Wno-missing-field-initializers",
]

def _include_prefix():
    return "bulwark/" + native.package_name()

def bulwark_cc_library(name, copts = [], **kwargs):
    """A cc_library with Bulwark's copts whose headers are included as bulwark/<package>/<h>."""
    native.cc_library(
        name = name,
        copts = BULWARK_COPTS + copts,
        include_prefix = _include_prefix(),
        **kwargs
    )

def bulwark_cc_binary(name, copts = [], **kwargs):
    """A cc_binary with Bulwark's copts."""
    native.cc_binary(
        name = name,
        copts = BULWARK_COPTS + copts,
        **kwargs
    )

def bulwark_cc_test(name, copts = [], deps = [], **kwargs):
    """A GoogleTest cc_test (gtest_main linked) with Bulwark's copts."""
    native.cc_test(
        name = name,
        copts = BULWARK_COPTS + copts,
        deps = deps + ["//third_party:gtest_main"],
        **kwargs
    )

def bulwark_cc_benchmark(name, copts = [], deps = [], tags = [], **kwargs):
    """A Google Benchmark binary: testonly, tagged `benchmark`, run by bench/run (not by tests)."""
    native.cc_binary(
        name = name,
        testonly = True,
        copts = BULWARK_COPTS + copts,
        deps = deps + ["//third_party:benchmark_main"],
        tags = tags + ["benchmark"],
        **kwargs
    )

def bulwark_cc_fuzzer(name, srcs, deps = [], corpus = [], **kwargs):
    """A libFuzzer target (LLVMFuzzerTestOneInput).

    Under `--config=fuzz` `name` links libFuzzer and is run by hand or by bench scripts. In every
    other build it links a replay driver, and `name + "_replay_test"` runs it over `corpus` so the
    seed inputs and every crash once found stay regression tests.
    """
    native.cc_binary(
        name = name,
        srcs = srcs,
        copts = BULWARK_COPTS,
        linkopts = select({
            "//bazel:fuzzing": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = deps + select({
            "//bazel:fuzzing": [],
            "//conditions:default": ["//tests/fuzz:replay_main"],
        }),
        testonly = True,
        **kwargs
    )
    native.sh_test(
        name = name + "_replay_test",
        srcs = ["//tests/fuzz:replay_test.sh"],
        args = ["$(location :%s)" % name] + ["$(location %s)" % c for c in corpus],
        data = [":" + name] + corpus,
    )

def bulwark_proto_library(name, srcs, deps = [], visibility = None):
    """C++ code for .proto files (see //third_party:protobuf.bzl for how protoc runs).

    Protos import each other as "bulwark/<package>/<file>.proto" and the generated headers are
    included as "bulwark/<package>/<file>.pb.h", like every other Bulwark header.
    `deps` are other bulwark_proto_library targets.
    """
    headers, sources = protoc_cc_sources(name, srcs, deps)
    native.filegroup(
        name = name + "_srcs",
        srcs = srcs + [d + "_srcs" for d in deps],
        visibility = visibility,
    )
    native.cc_library(
        name = name,
        srcs = sources,
        hdrs = headers,
        include_prefix = _include_prefix(),
        deps = deps + ["//third_party:protobuf"],
        visibility = visibility,
    )
