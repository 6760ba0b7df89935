#include "bulwark/image/sbom/catalogers.h"

#include <memory>
#include <vector>

namespace bulwark::sbom {

std::vector<std::unique_ptr<const Cataloger>> DefaultCatalogers(const core::Limits& limits) {
  std::vector<std::unique_ptr<const Cataloger>> catalogers;
  catalogers.push_back(NewDpkgCataloger());
  catalogers.push_back(NewApkCataloger());
  catalogers.push_back(NewPythonCataloger());
  catalogers.push_back(NewNpmInstalledCataloger());
  catalogers.push_back(NewJavaScriptLockCataloger());
  catalogers.push_back(NewCargoLockCataloger());
  catalogers.push_back(NewRubyCataloger());
  catalogers.push_back(NewComposerCataloger());
  catalogers.push_back(NewRpmCataloger(limits));
  catalogers.push_back(NewGoBinaryCataloger(limits));
  catalogers.push_back(NewCargoAuditableCataloger(limits));
  catalogers.push_back(NewJavaArchiveCataloger(limits));
  return catalogers;
}

}  // namespace bulwark::sbom
