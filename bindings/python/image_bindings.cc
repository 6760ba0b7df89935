#include "bulwark/bindings/python/image_bindings.h"

#include <Python.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bulwark/bindings/python/opened_image.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/report.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/history.h"
#include "bulwark/image/image.h"
#include "bulwark/image/layer_entry.h"
#include "bulwark/image/layer_visitor.h"
#include "bulwark/image/oci.h"
#include "pybind11/stl.h"
#include "pybind11/stl/filesystem.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;

// Paths inside images are bytes. As os.fsdecode does, bytes that are not UTF-8 become lone
// surrogates, which os.fsencode (and lookup()) turn back into the same bytes.
py::str FsDecode(const std::string& bytes) {
  PyObject* text =
      PyUnicode_DecodeFSDefaultAndSize(bytes.data(), static_cast<Py_ssize_t>(bytes.size()));
  if (text == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

// A str, bytes or os.PathLike argument as the bytes os.fsencode gives.
std::string FsEncode(py::handle path) {
  PyObject* bytes = nullptr;
  if (PyUnicode_FSConverter(path.ptr(), &bytes) == 0) throw py::error_already_set();
  return std::string(py::reinterpret_steal<py::bytes>(bytes));
}

std::optional<std::string> DigestText(const std::optional<core::Digest>& digest) {
  if (!digest.has_value()) return std::nullopt;
  return digest->ToString();
}

// A class reached as bulwark.image.<name>, read-only, whose repr shows `repr_fields`.
template <typename T>
py::class_<T> ValueClass(py::module_& image, const char* name, const char* doc,
                         std::vector<std::string> repr_fields) {
  py::class_<T> value_class(image, name, doc);
  value_class.attr("__module__") = "bulwark.image";
  value_class.def("__repr__", [name, repr_fields](py::handle self) {
    std::string text = absl::StrCat("bulwark.image.", name, "(");
    for (size_t i = 0; i < repr_fields.size(); ++i) {
      absl::StrAppend(&text, i == 0 ? "" : ", ", repr_fields[i], "=",
                      std::string(py::repr(self.attr(repr_fields[i].c_str()))));
    }
    return text + ")";
  });
  return value_class;
}

// The LayerEntry of a FileInfo or DeletedFile, flattened onto the Python class.
template <typename T>
void DefEntryProperties(py::class_<T>& entry_class) {
  entry_class
      .def_property_readonly(
          "path", [](const T& file) { return FsDecode(file.entry.path); },
          "Normalised path inside the image, without a leading \"/\" (\"etc/passwd\").")
      .def_property_readonly(
          "type", [](const T& file) { return std::string(EntryTypeName(file.entry.type)); },
          "\"regular\", \"directory\", \"symlink\", \"hardlink\", \"char-device\", "
          "\"block-device\", \"fifo\" or \"other\".")
      .def_property_readonly(
          "mode", [](const T& file) { return file.entry.mode; },
          "Permission bits with setuid, setgid and sticky (0o7777).")
      .def_property_readonly("uid", [](const T& file) { return file.entry.uid; })
      .def_property_readonly("gid", [](const T& file) { return file.entry.gid; })
      .def_property_readonly(
          "size", [](const T& file) { return file.entry.size; }, "Content bytes of a regular file.")
      .def_property_readonly(
          "mtime", [](const T& file) { return file.entry.mtime; }, "Seconds since the epoch.")
      .def_property_readonly(
          "link_target", [](const T& file) { return FsDecode(file.entry.link_target); },
          "A symlink's target as written; a hardlink's normalised target path; else \"\".")
      .def_property_readonly("device_major", [](const T& file) { return file.entry.device_major; })
      .def_property_readonly("device_minor", [](const T& file) { return file.entry.device_minor; })
      .def_property_readonly(
          "xattrs",
          [](const T& file) {
            py::dict xattrs;
            for (const auto& [name, value] : file.entry.xattrs) {
              xattrs[FsDecode(name)] = py::bytes(value);
            }
            return xattrs;
          },
          "Extended attributes: name -> raw value.");
}

void DefineOciClasses(py::module_& image) {
  ValueClass<image::Platform>(image, "Platform", "An os/architecture[/variant] pair.",
                              {"os", "architecture", "variant"})
      .def_readonly("os", &image::Platform::os)
      .def_readonly("architecture", &image::Platform::architecture)
      .def_readonly("variant", &image::Platform::variant)
      .def_readonly("os_version", &image::Platform::os_version)
      .def_readonly("os_features", &image::Platform::os_features)
      .def("__str__", &image::Platform::ToString);

  ValueClass<image::Descriptor>(image, "Descriptor",
                                "A content descriptor: a blob's type, digest "
                                "and size.",
                                {"media_type", "digest", "size"})
      .def_readonly("media_type", &image::Descriptor::media_type)
      .def_property_readonly(
          "digest",
          [](const image::Descriptor& descriptor) { return descriptor.digest.ToString(); },
          "\"<algorithm>:<hex>\".")
      .def_readonly("size", &image::Descriptor::size)
      .def_readonly("urls", &image::Descriptor::urls)
      .def_readonly("annotations", &image::Descriptor::annotations)
      .def_readonly("platform", &image::Descriptor::platform)
      .def_readonly("artifact_type", &image::Descriptor::artifact_type);

  ValueClass<image::Manifest>(image, "Manifest", "An image manifest (OCI or Docker schema 2).",
                              {"media_type", "config"})
      .def_readonly("schema_version", &image::Manifest::schema_version)
      .def_readonly("media_type", &image::Manifest::media_type)
      .def_readonly("artifact_type", &image::Manifest::artifact_type)
      .def_readonly("config", &image::Manifest::config)
      .def_readonly("layers", &image::Manifest::layers)
      .def_readonly("subject", &image::Manifest::subject)
      .def_readonly("annotations", &image::Manifest::annotations);

  ValueClass<image::HistoryEntry>(image, "HistoryEntry", "One entry of the config's history.",
                                  {"created_by", "empty_layer"})
      .def_readonly("created", &image::HistoryEntry::created)
      .def_readonly("created_by", &image::HistoryEntry::created_by)
      .def_readonly("author", &image::HistoryEntry::author)
      .def_readonly("comment", &image::HistoryEntry::comment)
      .def_readonly("empty_layer", &image::HistoryEntry::empty_layer);

  ValueClass<image::HealthCheck>(image, "HealthCheck", "The config's healthcheck.",
                                 {"test", "interval_ns", "timeout_ns", "retries"})
      .def_readonly("test", &image::HealthCheck::test)
      .def_readonly("interval_ns", &image::HealthCheck::interval_ns)
      .def_readonly("timeout_ns", &image::HealthCheck::timeout_ns)
      .def_readonly("start_period_ns", &image::HealthCheck::start_period_ns)
      .def_readonly("retries", &image::HealthCheck::retries);

  using image::ImageConfig;
  ValueClass<ImageConfig>(image, "ImageConfig", "The image config (OCI image-spec config.md).",
                          {"platform", "user", "entrypoint", "cmd"})
      .def_readonly("created", &ImageConfig::created)
      .def_readonly("author", &ImageConfig::author)
      .def_readonly("platform", &ImageConfig::platform)
      .def_readonly("user", &ImageConfig::user)
      .def_readonly("env", &ImageConfig::env)
      .def_readonly("entrypoint", &ImageConfig::entrypoint)
      .def_readonly("cmd", &ImageConfig::cmd)
      .def_readonly("working_dir", &ImageConfig::working_dir)
      .def_readonly("exposed_ports", &ImageConfig::exposed_ports)
      .def_readonly("volumes", &ImageConfig::volumes)
      .def_readonly("labels", &ImageConfig::labels)
      .def_readonly("stop_signal", &ImageConfig::stop_signal)
      .def_readonly("healthcheck", &ImageConfig::healthcheck)
      .def_readonly("rootfs_type", &ImageConfig::rootfs_type)
      .def_property_readonly(
          "diff_ids",
          [](const ImageConfig& config) {
            std::vector<std::string> diff_ids;
            for (const core::Digest& diff_id : config.diff_ids)
              diff_ids.push_back(diff_id.ToString());
            return diff_ids;
          },
          "rootfs.diff_ids as \"<algorithm>:<hex>\".")
      .def_readonly("history", &ImageConfig::history);
}

void DefineFindingClass(py::module_& image) {
  using core::v1::Finding;
  ValueClass<Finding>(image, "Finding",
                      "A problem a walk reported without stopping: a digest or size mismatch "
                      "under verify=\"report\", an entry with an unsafe name.",
                      {"rule_id", "layer_digest", "path"})
      .def_property_readonly(
          "rule_id", [](const Finding& f) { return f.rule_id(); },
          "\"BLK-LAYER-DIGEST-MISMATCH\", \"BLK-LAYER-DIFFID-MISMATCH\", "
          "\"BLK-LAYER-SIZE-MISMATCH\", \"BLK-LAYER-UNSAFE-PATH\".")
      .def_property_readonly("title", [](const Finding& f) { return f.title(); })
      .def_property_readonly(
          "severity",
          [](const Finding& f) { return std::string(core::SeverityName(f.severity())); })
      .def_property_readonly("category", [](const Finding& f) { return f.category(); })
      .def_property_readonly(
          "layer_digest", [](const Finding& f) { return f.location().layer_digest(); },
          "The layer blob it is about.")
      .def_property_readonly(
          "path", [](const Finding& f) { return f.location().path(); },
          "The entry name (C-escaped), or \"\" for the whole layer.")
      .def_property_readonly("description", [](const Finding& f) { return f.description(); })
      .def_property_readonly("fingerprint", [](const Finding& f) { return f.fingerprint(); })
      .def_property_readonly(
          "properties",
          [](const Finding& f) {
            return std::map<std::string, std::string>(f.properties().begin(), f.properties().end());
          },
          "Details, e.g. \"expected\" and \"actual\" digests.");
}

void DefineLayerAndHistoryClasses(py::module_& image) {
  ValueClass<image::LayerInfo>(image, "LayerInfo", "One layer of the image, bottom first.",
                               {"index", "descriptor", "diff_id"})
      .def_readonly("index", &image::LayerInfo::index, "0 = bottom layer.")
      .def_readonly("descriptor", &image::LayerInfo::descriptor)
      .def_readonly("diff_id", &image::LayerInfo::diff_id, "\"sha256:<hex>\", or \"\" if unknown.");

  using image::BuildStep;
  ValueClass<BuildStep>(image, "BuildStep", "A history entry rebuilt as a Dockerfile-like step.",
                        {"instruction", "arguments", "layer_index"})
      .def_readonly("instruction", &BuildStep::instruction,
                    "\"RUN\", \"COPY\", ...; \"\" when created_by is not a recognised form.")
      .def_readonly("arguments", &BuildStep::arguments)
      .def_readonly("build_args", &BuildStep::build_args)
      .def_readonly("buildkit", &BuildStep::buildkit)
      .def_readonly("original", &BuildStep::original, "created_by as written.")
      .def_readonly("layer_index", &BuildStep::layer_index,
                    "The layer this step made; None for empty_layer steps.")
      .def_readonly("empty_layer", &BuildStep::empty_layer)
      .def_readonly("created", &BuildStep::created)
      .def_readonly("author", &BuildStep::author)
      .def_readonly("comment", &BuildStep::comment);
}

void DefineFilesystemClasses(py::module_& image) {
  auto file_class = ValueClass<image::FileInfo>(image, "FileInfo",
                                                "A path of the merged filesystem and the layer its "
                                                "final version comes from.",
                                                {"path", "type", "mode", "size", "layer"});
  DefEntryProperties(file_class);
  file_class.def_readonly("layer", &image::FileInfo::layer, "0 = bottom layer.")
      .def_readonly("implicit", &image::FileInfo::implicit,
                    "A parent directory no layer declared (0o755, root:root).");

  auto deleted_class = ValueClass<image::DeletedFile>(
      image, "DeletedFile",
      "A file a layer ships that the merged filesystem does not show (deleted but still shipped).",
      {"path", "type", "layer", "hidden_by", "hidden_by_layer"});
  DefEntryProperties(deleted_class);
  deleted_class.def_readonly("layer", &image::DeletedFile::layer, "The layer that ships it.")
      .def_readonly("hidden_by_layer", &image::DeletedFile::hidden_by_layer,
                    "The layer that hides it.")
      .def_property_readonly(
          "hidden_by",
          [](const image::DeletedFile& file) {
            return std::string(image::HiddenByName(file.hidden_by));
          },
          "\"whiteout\", \"opaque\" or \"overwrite\".");
}

void DefineImage(py::module_& image) {
  py::class_<OpenedImage> image_class(
      image, "Image",
      "An opened container image, made by open(). Read-only; the merged filesystem behind "
      "files(), lookup() and deleted_files() is built by the first of them to run.");
  image_class.attr("__module__") = "bulwark.image";
  image_class
      .def_property_readonly(
          "format",
          [](const OpenedImage& opened) {
            return std::string(image::ImageFormatName(opened.image().format()));
          },
          "\"oci-layout\", \"oci-archive\", \"docker-archive\", \"rootfs\" or \"layer-tarball\".")
      .def_property_readonly(
          "name", [](const OpenedImage& opened) { return FsDecode(opened.image().Name()); },
          "The path, followed by \"@<reference>\" when a reference chose the image.")
      .def_property_readonly(
          "manifest",
          [](const OpenedImage& opened) -> const image::Manifest& {
            return opened.image().manifest();
          },
          "The selected manifest (synthesised for docker-archive, rootfs and layer tarballs).")
      .def_property_readonly(
          "manifest_digest",
          [](const OpenedImage& opened) { return DigestText(opened.image().manifest_digest()); },
          "Digest of the manifest bytes; None when the input has no manifest.")
      .def_property_readonly(
          "config",
          [](const OpenedImage& opened) -> const image::ImageConfig& {
            return opened.image().config();
          },
          "The image config (empty but for diff_ids for rootfs and layer tarballs).")
      .def_property_readonly(
          "config_digest",
          [](const OpenedImage& opened) { return DigestText(opened.image().config_digest()); },
          "Digest of the config bytes; None when the input has no config.")
      .def_property_readonly(
          "layers",
          [](const OpenedImage& opened) -> const std::vector<image::LayerInfo>& {
            return opened.image().layers();
          },
          "The layers, bottom first.")
      .def_property_readonly(
          "references", [](const OpenedImage& opened) { return opened.image().references(); },
          "Names the image is known by: ref.name annotations or docker-archive RepoTags.")
      .def_property_readonly(
          "platforms",
          [](const OpenedImage& opened) -> const std::vector<image::Platform>& {
            return opened.image().Platforms();
          },
          "The platforms of every image the input offers.")
      .def_property_readonly(
          "history",
          [](const OpenedImage& opened) -> const std::vector<image::BuildStep>& {
            return opened.history().steps;
          },
          "config.history rebuilt as Dockerfile-like steps mapped to layers.")
      .def_property_readonly(
          "history_warnings", [](const OpenedImage& opened) { return opened.history().warnings; },
          "Problems found mapping the history to the layers.")
      .def(
          "files",
          [](OpenedImage& opened) {
            const image::MergedFilesystem& filesystem = opened.Filesystem();
            py::list files;
            filesystem.ForEach([&files](const image::FileInfo& file) { files.append(file); });
            return files;
          },
          "Every path of the merged filesystem but the root, parents before children, siblings "
          "in byte order. Raises DataLossError for a digest mismatch, UnimplementedError for an "
          "unknown layer media type.")
      .def(
          "lookup",
          [](OpenedImage& opened, py::handle path, bool follow_symlinks) {
            std::string wanted = FsEncode(path);
            const image::MergedFilesystem& filesystem = opened.Filesystem();
            if (follow_symlinks) wanted = ValueOrThrow(filesystem.ResolvePath(wanted, true));
            return ValueOrThrow(filesystem.Lookup(wanted));
          },
          py::arg("path"), py::kw_only(), py::arg("follow_symlinks") = false,
          "The final entry at path (str, bytes or os.PathLike; a leading \"/\" is accepted). "
          "Symlinks are followed inside the image root when follow_symlinks. Raises "
          "NotFoundError.")
      .def(
          "findings", [](OpenedImage& opened) { return opened.Findings(); },
          "What the layer walk reported without stopping, bottom layer first: digest and size "
          "mismatches when opened with verify=\"report\", entries with unsafe names. Walks like "
          "files().")
      .def(
          "read",
          [](OpenedImage& opened, py::handle path, bool follow_symlinks) {
            return py::bytes(opened.ReadFile(FsEncode(path), follow_symlinks));
          },
          py::arg("path"), py::kw_only(), py::arg("follow_symlinks") = true,
          "The content of the regular file at path, read from the blob of the layer its final "
          "version comes from (that layer is walked again, digests verified). Symlinks are "
          "followed inside the image root unless follow_symlinks is False. Raises NotFoundError, "
          "InvalidArgumentError for a directory or other non-regular file, "
          "ResourceExhaustedError when the file is larger than the per-file cap (256 MiB).")
      .def(
          "deleted_files", [](OpenedImage& opened) { return opened.Filesystem().DeletedFiles(); },
          "Files a layer ships that a later whiteout, opaque directory or overwrite hides, "
          "sorted by path then layer.")
      .def("__repr__", [](const OpenedImage& opened) {
        return absl::StrCat("<bulwark.image.Image ",
                            std::string(py::repr(FsDecode(opened.image().Name()))), " ",
                            image::ImageFormatName(opened.image().format()), ", ",
                            opened.image().layers().size(), " layers>");
      });
}

}  // namespace

void DefineImageBindings(py::module_& image) {
  DefineOciClasses(image);
  DefineFindingClass(image);
  DefineLayerAndHistoryClasses(image);
  DefineFilesystemClasses(image);
  DefineImage(image);

  image.def(
      "open",
      [](const std::filesystem::path& path, std::optional<std::string> platform,
         std::optional<std::string> reference, const std::string& verify) {
        image::OpenOptions options;
        options.platform = platform.value_or("");
        options.reference = reference.value_or("");
        if (verify != "enforce" && verify != "report") {
          ThrowIfError(absl::InvalidArgumentError(
              absl::StrCat("verify: expected \"enforce\" or \"report\", got \"", verify, "\"")));
        }
        const image::VerifyMode mode =
            verify == "report" ? image::VerifyMode::kReport : image::VerifyMode::kEnforce;
        absl::StatusOr<std::unique_ptr<OpenedImage>> opened;
        {
          py::gil_scoped_release release_gil;
          opened = OpenedImage::Open(path.string(), options, mode);
        }
        return ValueOrThrow(std::move(opened));
      },
      py::arg("path"), py::arg("platform") = py::none(), py::kw_only(),
      py::arg("reference") = py::none(), py::arg("verify") = "enforce",
      "Opens an OCI layout, OCI archive, docker-archive, root-filesystem directory or layer "
      "tarball. platform (\"os/arch[/variant]\", default the host's) chooses from an index; "
      "reference chooses by ref.name annotation, RepoTag or digest. verify=\"report\" makes a "
      "layer "
      "digest or size mismatch a finding (findings()) instead of DataLossError. Raises "
      "NotFoundError for a "
      "missing path or an unknown platform or reference, DataLossError for a digest mismatch, "
      "InvalidArgumentError for malformed documents.");
}

}  // namespace bulwark::python
