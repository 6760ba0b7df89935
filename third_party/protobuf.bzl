"""C++ code generation for .proto files with the system protoc (Debian protobuf-compiler 3.21).

Part of the //third_party map: switching to a source-built protobuf changes this file (and the
:protobuf target), not the packages that declare bulwark_proto_library targets.
"""

def protoc_cc_sources(name, srcs, deps):
    """Adds a genrule `name + "_protoc"` running protoc over `srcs` of the current package.

    Protos are compiled under the virtual path "bulwark/<package>/", so they import each other as
    "bulwark/<package>/<file>.proto" and the generated code includes "bulwark/<package>/<file>.pb.h".
    `deps` are labels of other bulwark_proto_library targets (their `_srcs` filegroups are inputs).

    Returns:
      (headers, sources): the generated .pb.h and .pb.cc file names.
    """
    package = native.package_name()
    headers = [s[:-len(".proto")] + ".pb.h" for s in srcs]
    sources = [s[:-len(".proto")] + ".pb.cc" for s in srcs]
    virtual_srcs = " ".join(["bulwark/%s/%s" % (package, s) for s in srcs])
    native.genrule(
        name = name + "_protoc",
        srcs = srcs + [d + "_srcs" for d in deps],
        outs = headers + sources,
        cmd = " && ".join([
            "mkdir -p $(RULEDIR)/_protoc_" + name,
            "protoc --proto_path=bulwark=. --proto_path=/usr/include " +
            "--cpp_out=$(RULEDIR)/_protoc_%s %s" % (name, virtual_srcs),
            "cp $(RULEDIR)/_protoc_%s/bulwark/%s/*.pb.* $(RULEDIR)/" % (name, package),
        ]),
    )
    return headers, sources
