#include "bulwark/bindings/python/opened_image.h"

#include <Python.h>

#include <memory>
#include <utility>

#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/blob_source.h"
#include "bulwark/image/file_content.h"
#include "bulwark/image/layer_visitor.h"
#include "bulwark/image/layer_walker.h"
#include "pybind11/pybind11.h"

namespace bulwark::python {

namespace py = pybind11;

absl::StatusOr<std::unique_ptr<OpenedImage>> OpenedImage::Open(absl::string_view path,
                                                               const image::OpenOptions& options,
                                                               image::VerifyMode verify) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> opened,
                           image::Image::Open(path, options));
  return std::unique_ptr<OpenedImage>(new OpenedImage(std::move(opened), verify));
}

OpenedImage::OpenedImage(std::unique_ptr<const image::Image> image, image::VerifyMode verify)
    : image_(std::move(image)),
      history_(image::RebuildHistory(image_->config(), image_->manifest().layers.size())),
      verify_(verify) {}

const image::MergedFilesystem& OpenedImage::Filesystem() {
  absl::Status status;
  const image::MergedFilesystem* filesystem = nullptr;
  {
    // Wait for the mutex without the GIL: a walk in another thread takes the GIL between layers.
    py::gil_scoped_release release_gil;
    absl::MutexLock lock(&mutex_);
    if (!filesystem_.has_value()) status = BuildFilesystem();
    if (filesystem_.has_value()) filesystem = &*filesystem_;
  }
  ThrowIfError(status);
  return *filesystem;
}

const std::vector<core::v1::Finding>& OpenedImage::Findings() {
  Filesystem();
  py::gil_scoped_release release_gil;
  absl::MutexLock lock(&mutex_);
  return findings_;
}

std::string OpenedImage::ReadFile(const std::string& path, bool follow_symlinks) {
  const image::MergedFilesystem& filesystem = Filesystem();
  absl::StatusOr<std::string> content;
  {
    py::gil_scoped_release release_gil;
    content = [&]() -> absl::StatusOr<std::string> {
      BULWARK_ASSIGN_OR_RETURN(std::string resolved, filesystem.ResolvePath(path, follow_symlinks));
      BULWARK_ASSIGN_OR_RETURN(image::FileInfo file, filesystem.Lookup(resolved));
      image::WalkOptions options;
      options.verify = verify_;
      return image::ReadFileContent(*image_, file, options);
    }();
  }
  return ValueOrThrow(std::move(content));
}

absl::Status OpenedImage::BuildFilesystem() {
  // Runs without the GIL; between layers it is taken back to let Ctrl-C interrupt a long walk.
  image::FilesystemBuilder builder;
  image::LayerVisitor* const visitors[] = {&builder};
  image::WalkOptions options;
  options.verify = verify_;
  bool interrupted = false;
  absl::StatusOr<std::vector<image::LayerWalkResult>> results =
      image_->Walk(visitors, options, [&](size_t) {
        py::gil_scoped_acquire acquire_gil;
        if (PyErr_CheckSignals() == 0) return absl::OkStatus();
        interrupted = true;
        return absl::CancelledError("interrupted");
      });
  if (interrupted) {
    py::gil_scoped_acquire acquire_gil;
    throw py::error_already_set();
  }
  BULWARK_RETURN_IF_ERROR(results.status());
  filesystem_.emplace(std::move(builder).Finish());
  for (image::LayerWalkResult& result : *results) {
    for (core::v1::Finding& finding : result.findings) findings_.push_back(std::move(finding));
  }
  return absl::OkStatus();
}

}  // namespace bulwark::python
