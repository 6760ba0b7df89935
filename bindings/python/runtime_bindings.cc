#include "bulwark/bindings/python/runtime_bindings.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/runtime/collector.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/event_source.h"
#include "bulwark/runtime/importer.h"
#include "bulwark/runtime/metadata_providers.h"
#include "bulwark/runtime/rule_set.h"
#include "google/protobuf/util/json_util.h"
#include "pybind11/stl.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;
using runtime::RuleSet;

PyRuleSet LoadOrThrow(absl::StatusOr<std::unique_ptr<const RuleSet>> result) {
  return PyRuleSet{std::shared_ptr<const RuleSet>(ValueOrThrow(std::move(result)))};
}

struct PyEngine {
  std::shared_ptr<const RuleSet> rules;
  std::shared_ptr<runtime::ContainerMetadataProvider> metadata;  // May be null.
  std::unique_ptr<runtime::Engine> engine;
};

std::string AlertJson(const runtime::v1::Alert& alert) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(alert, &json);
  return json;
}

}  // namespace

void DefineRuntimeBindings(py::module_& runtime_module) {
  DefineRuntimeMetadataBindings(runtime_module);
  DefineRuntimeResponseBindings(runtime_module);
  py::class_<PyRuleSet> rule_set(runtime_module, "RuleSet",
                                 "Falco rule files, compiled (immutable).");
  rule_set.attr("__module__") = "bulwark.runtime";
  rule_set
      .def_property_readonly(
          "rule_names",
          [](const PyRuleSet& self) {
            std::vector<std::string> names;
            for (const runtime::RuleDefinition& rule : self.rules->rules()) {
              names.push_back(rule.name);
            }
            return names;
          },
          "Names of every rule, in load order.")
      .def_property_readonly(
          "enabled_rule_count",
          [](const PyRuleSet& self) { return self.rules->enabled_rule_count(); },
          "Rules that are enabled and evaluated.")
      .def_property_readonly(
          "warnings",
          [](const PyRuleSet& self) {
            std::vector<std::string> warnings;
            for (const runtime::LoadMessage& w : self.rules->warnings()) {
              warnings.push_back(w.ToString());
            }
            return warnings;
          },
          "Load warnings as 'file:line:column: item: message (CODE)'.");

  runtime_module.def(
      "_load_rules",
      [](std::vector<std::string> paths) {
        absl::StatusOr<std::unique_ptr<const RuleSet>> result;
        {
          py::gil_scoped_release nogil;
          result = RuleSet::Load(paths);
        }
        return LoadOrThrow(std::move(result));
      },
      py::arg("paths"));
  runtime_module.def(
      "_rules_from_string",
      [](std::string yaml, std::string name) {
        absl::StatusOr<std::unique_ptr<const RuleSet>> result;
        {
          py::gil_scoped_release nogil;
          result = RuleSet::LoadContents({runtime::RulesContent{std::move(name), std::move(yaml)}});
        }
        return LoadOrThrow(std::move(result));
      },
      py::arg("yaml"), py::arg("name"));

  py::class_<PyEngine> engine(runtime_module, "_Engine");
  engine.def(py::init([](const PyRuleSet& rules, bool all_matches,
                         std::shared_ptr<runtime::ContainerMetadataProvider> metadata) {
               runtime::EngineOptions options;
               if (all_matches) options.matching = runtime::EngineOptions::Matching::kAll;
               options.state.metadata_provider = metadata.get();
               auto result = std::make_unique<PyEngine>();
               result->rules = rules.rules;
               result->metadata = std::move(metadata);
               result->engine = std::make_unique<runtime::Engine>(*result->rules, options);
               return result;
             }),
             py::arg("rules"), py::arg("all_matches"), py::arg("metadata"));
  engine.def(
      "process_json",
      [](PyEngine& self, std::vector<std::string> events) {
        std::vector<std::string> alerts;
        absl::Status status;
        {
          py::gil_scoped_release nogil;
          for (size_t i = 0; i < events.size() && status.ok(); ++i) {
            absl::StatusOr<runtime::v1::Event> event = runtime::ParseEventJson(events[i]);
            if (!event.ok()) {
              status = absl::InvalidArgumentError(
                  absl::StrCat("event ", i, ": ", event.status().message()));
              break;
            }
            self.engine->Process(*event, [&alerts](runtime::v1::Alert&& alert) {
              alerts.push_back(AlertJson(alert));
            });
          }
        }
        ThrowIfError(status);
        return alerts;
      },
      py::arg("events"));

  runtime_module.def(
      "_import_json",
      [](std::string format, std::string path) {
        absl::StatusOr<std::vector<runtime::v1::Event>> events;
        std::vector<std::string> lines;
        {
          py::gil_scoped_release nogil;
          absl::StatusOr<runtime::ImportFormat> parsed = runtime::ParseImportFormat(format);
          events = parsed.ok() ? runtime::ImportEventsFile(*parsed, path)
                               : absl::StatusOr<std::vector<runtime::v1::Event>>(parsed.status());
          if (events.ok()) {
            for (const runtime::v1::Event& event : *events) {
              lines.push_back(runtime::EventToJsonLine(event));
            }
          }
        }
        ThrowIfError(events.status());
        return lines;
      },
      py::arg("format"), py::arg("path"));

  py::class_<runtime::Collector> collector(runtime_module, "_Collector");
  collector.def(py::init([](std::vector<std::string> files, bool snapshot) {
                  absl::StatusOr<std::unique_ptr<runtime::Collector>> result;
                  {
                    py::gil_scoped_release nogil;
                    result = runtime::Collector::Start(
                        runtime::CollectorOptions{.snapshot = snapshot, .file_mounts = files});
                  }
                  return ValueOrThrow(std::move(result));
                }),
                py::arg("files"), py::arg("snapshot"));
  collector.def(
      "poll_json",
      [](runtime::Collector& self, double timeout_seconds) {
        std::vector<std::string> events;
        absl::Status status;
        {
          py::gil_scoped_release nogil;
          status = self.Poll(absl::Seconds(timeout_seconds), [&events](runtime::v1::Event&& e) {
            events.push_back(runtime::EventToJsonLine(e));
          });
        }
        ThrowIfError(status);
        return events;
      },
      py::arg("timeout_seconds"));
}

}  // namespace bulwark::python
