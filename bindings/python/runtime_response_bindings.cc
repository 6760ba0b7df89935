// bulwark.runtime response interface: Responder decisions for alerts (as JSON texts of
// bulwark.runtime.v1.Alert), the C++ enforcers (SignalEnforcer, ProcessKiller) and the
// fanotify guard (deny before the operation, by rules and by path prefix). Decisions
// cross the boundary as (action, pid, container_id, rule, start_time_ns) tuples; the Python
// facade turns them into ResponseDecision dataclasses.
#include <signal.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bulwark/bindings/python/runtime_bindings.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/runtime/alert.pb.h"
#include "bulwark/runtime/fanotify_guard.h"
#include "bulwark/runtime/guard_path_policy.h"
#include "bulwark/runtime/response.h"
#include "google/protobuf/util/json_util.h"
#include "pybind11/functional.h"
#include "pybind11/stl.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;
using runtime::ResponseAction;
using runtime::ResponseDecision;

using DecisionTuple = std::tuple<std::string, int64_t, std::string, std::string, uint64_t>;
// (rule, tag, minimum_priority, only_in_containers, action) of one ResponseRule.
using RuleTuple = std::tuple<std::string, std::string, std::string, bool, std::string>;

ResponseAction ParseAction(const std::string& name) {
  for (ResponseAction action : {ResponseAction::kKillProcess, ResponseAction::kDeny}) {
    if (name == runtime::ResponseActionName(action)) return action;
  }
  ThrowIfError(absl::InvalidArgumentError(
      absl::StrCat("response action '", name, "': expected kill_process or deny")));
  return ResponseAction::kKillProcess;
}

// "WARNING", "Warning" or "PRIORITY_WARNING".
runtime::v1::Priority ParsePriority(const std::string& name) {
  std::string upper = absl::AsciiStrToUpper(name);
  if (!absl::StartsWith(upper, "PRIORITY_")) upper = absl::StrCat("PRIORITY_", upper);
  runtime::v1::Priority priority;
  if (upper == "PRIORITY_UNSPECIFIED" || !runtime::v1::Priority_Parse(upper, &priority)) {
    ThrowIfError(absl::InvalidArgumentError(absl::StrCat(
        "minimum priority '", name, "': expected a Falco priority (EMERGENCY ... DEBUG)")));
  }
  return priority;
}

DecisionTuple ToTuple(const ResponseDecision& d) {
  return {std::string(runtime::ResponseActionName(d.action)), d.pid, d.container_id, d.rule,
          d.start_time_ns};
}

ResponseDecision FromTuple(const DecisionTuple& t) {
  return ResponseDecision{ParseAction(std::get<0>(t)), std::get<1>(t), std::get<2>(t),
                          std::get<3>(t), std::get<4>(t)};
}

// A Python callable that may be copied and destroyed without the GIL (std::function copies it).
class PythonCallable {
 public:
  explicit PythonCallable(py::object callable)
      : callable_(new py::object(std::move(callable)), [](py::object* object) {
          py::gil_scoped_acquire gil;
          delete object;
        }) {}
  // Calls it with the GIL; an exception it raises stays set as the thread's Python error, for
  // the binding to raise once the C++ call returns.
  template <typename... Args>
  void operator()(Args&&... args) const {
    py::gil_scoped_acquire gil;
    if (PyErr_Occurred() != nullptr) return;  // An earlier call failed; raise that one.
    try {
      (*callable_)(std::forward<Args>(args)...);
    } catch (py::error_already_set& error) {
      error.restore();
    }
  }

 private:
  std::shared_ptr<py::object> callable_;
};

// The exception Python would raise for `status`, or None.
py::object StatusToException(const absl::Status& status) {
  if (status.ok()) return py::none();
  try {
    ThrowIfError(status);
  } catch (py::error_already_set& error) {
    return error.value();
  }
  return py::none();
}

// Enforce with the GIL released; raises the enforcer's error, or the audit callback's.
void EnforceOrThrow(runtime::Enforcer& enforcer, const DecisionTuple& decision) {
  const ResponseDecision parsed = FromTuple(decision);
  absl::Status status;
  {
    py::gil_scoped_release nogil;
    status = enforcer.Enforce(parsed);
  }
  if (PyErr_Occurred() != nullptr) throw py::error_already_set();
  ThrowIfError(status);
}

runtime::ResponsePolicy PolicyFromPython(bool enabled, const std::vector<RuleTuple>& rules) {
  runtime::ResponsePolicy policy;
  policy.enabled = enabled;
  for (const auto& [rule, tag, minimum_priority, only_in_containers, action] : rules) {
    policy.rules.push_back(
        {rule, tag, ParsePriority(minimum_priority), only_in_containers, ParseAction(action)});
  }
  return policy;
}

// A guard and the rules it borrows. Verdicts are collected here rather than handed to Python
// from the guard's threads: they never wait for the GIL, so closing the guard cannot deadlock.
struct PyFanotifyGuard {
  std::shared_ptr<const runtime::RuleSet> rules;
  std::mutex mutex;
  std::vector<runtime::GuardVerdict> verdicts;  // At most max_pending; the rest are counted.
  uint64_t dropped_verdicts = 0;
  std::unique_ptr<runtime::FanotifyGuard> guard;
};

py::dict VerdictToPython(const runtime::GuardVerdict& verdict) {
  std::string event;
  (void)google::protobuf::util::MessageToJsonString(verdict.event, &event);
  py::dict result;
  result["event"] = py::module_::import("json").attr("loads")(event);
  result["rule"] = verdict.rule;
  result["deny"] = verdict.deny;
  result["denied"] = verdict.denied;
  result["timed_out"] = verdict.timed_out;
  return result;
}

}  // namespace

void DefineRuntimeResponseBindings(py::module_& runtime_module) {
  py::class_<runtime::Enforcer, std::shared_ptr<runtime::Enforcer>>(runtime_module, "_Enforcer")
      .def("enforce", &EnforceOrThrow, py::arg("decision"));

  py::class_<runtime::SignalEnforcer, runtime::Enforcer, std::shared_ptr<runtime::SignalEnforcer>>(
      runtime_module, "_SignalEnforcer")
      .def(py::init([](bool enabled, bool dry_run, int kill_signal, int deny_signal,
                       bool require_start_time, double start_time_tolerance, py::object audit) {
             runtime::SignalEnforcerOptions options{
                 .enabled = enabled,
                 .dry_run = dry_run,
                 .kill_signal = kill_signal,
                 .deny_signal = deny_signal,
                 .require_start_time = require_start_time,
                 .start_time_tolerance = absl::Seconds(start_time_tolerance),
             };
             if (!audit.is_none()) {
               PythonCallable callable(std::move(audit));
               options.audit = [callable](const ResponseDecision& decision,
                                          const absl::Status& status, bool signalled) {
                 py::gil_scoped_acquire gil;
                 callable(ToTuple(decision), StatusToException(status), signalled);
               };
             }
             return std::make_shared<runtime::SignalEnforcer>(std::move(options));
           }),
           py::arg("enabled"), py::arg("dry_run"), py::arg("kill_signal"), py::arg("deny_signal"),
           py::arg("require_start_time"), py::arg("start_time_tolerance"), py::arg("audit"));

  runtime_module.def("_signal_enforcer_defaults", [] {
    const runtime::SignalEnforcerOptions defaults;
    py::dict result;
    result["enabled"] = defaults.enabled;
    result["dry_run"] = defaults.dry_run;
    result["kill_signal"] = defaults.kill_signal;
    result["deny_signal"] = defaults.deny_signal;
    result["require_start_time"] = defaults.require_start_time;
    result["start_time_tolerance"] = absl::ToDoubleSeconds(defaults.start_time_tolerance);
    return result;
  });
  runtime_module.def("_response_rule_defaults", [] {
    const runtime::ResponseRule defaults;
    py::dict result;
    result["minimum_priority"] = runtime::v1::Priority_Name(defaults.minimum_priority);
    result["only_in_containers"] = defaults.only_in_containers;
    result["action"] = std::string(runtime::ResponseActionName(defaults.action));
    result["enabled"] = runtime::ResponsePolicy{}.enabled;
    return result;
  });

  py::class_<runtime::ProcessKiller, runtime::Enforcer, std::shared_ptr<runtime::ProcessKiller>>(
      runtime_module, "_ProcessKiller")
      .def(py::init<>());

  py::class_<runtime::Responder>(runtime_module, "_Responder")
      .def(py::init([](bool enabled, const std::vector<RuleTuple>& rules) {
             return std::make_unique<runtime::Responder>(PolicyFromPython(enabled, rules), nullptr);
           }),
           py::arg("enabled"), py::arg("rules"))
      .def(
          "decide_json",
          [](const runtime::Responder& self, const std::string& alert_json) {
            runtime::v1::Alert alert;
            const auto parsed = google::protobuf::util::JsonStringToMessage(alert_json, &alert);
            if (!parsed.ok()) {
              ThrowIfError(absl::InvalidArgumentError(absl::StrCat(
                  "alert: not a bulwark.runtime.v1.Alert: ", parsed.message().ToString())));
            }
            std::optional<ResponseDecision> decision = self.Decide(alert);
            return decision.has_value() ? std::optional<DecisionTuple>(ToTuple(*decision))
                                        : std::nullopt;
          },
          py::arg("alert_json"));

  py::class_<runtime::GuardPathPolicy>(runtime_module, "_GuardPathPolicy")
      .def(py::init([](const std::vector<std::string>& prefixes, bool only_in_containers) {
             return ValueOrThrow(runtime::GuardPathPolicy::Create(prefixes, only_in_containers));
           }),
           py::arg("prefixes"), py::arg("only_in_containers"))
      .def_property_readonly("prefixes", &runtime::GuardPathPolicy::prefixes)
      .def_property_readonly("only_in_containers", &runtime::GuardPathPolicy::only_in_containers)
      .def(
          "denying_prefix",
          [](const runtime::GuardPathPolicy& self, const std::string& path,
             const std::string& container_id) -> std::optional<std::string> {
            const absl::string_view prefix = self.DenyingPrefix(path, container_id);
            if (prefix.empty()) return std::nullopt;
            return std::string(prefix);
          },
          py::arg("path"), py::arg("container_id"));

  py::class_<PyFanotifyGuard>(runtime_module, "_FanotifyGuard")
      .def(py::init([](const PyRuleSet* rules, bool policy_enabled,
                       const std::vector<RuleTuple>& policy_rules,
                       const runtime::GuardPathPolicy& deny_paths, std::vector<std::string> mounts,
                       bool opens, bool execs, bool enabled, double response_timeout,
                       size_t max_pending) {
             if (rules == nullptr && !policy_rules.empty()) {
               ThrowIfError(absl::InvalidArgumentError(
                   "the fanotify guard: a response policy with rules needs a RuleSet"));
             }
             auto result = std::make_unique<PyFanotifyGuard>();
             if (rules != nullptr) result->rules = rules->rules;
             runtime::FanotifyGuardOptions options{
                 .mounts = std::move(mounts),
                 .opens = opens,
                 .execs = execs,
                 .enabled = enabled,
                 .response_timeout = absl::Seconds(response_timeout),
                 .max_pending = max_pending,
             };
             PyFanotifyGuard* self = result.get();
             options.audit = [self, max_pending](const runtime::GuardVerdict& verdict) {
               std::lock_guard<std::mutex> lock(self->mutex);
               if (self->verdicts.size() >= max_pending) {
                 ++self->dropped_verdicts;
               } else {
                 self->verdicts.push_back(verdict);
               }
             };
             runtime::FanotifyGuard::Decide by_rules;
             if (result->rules != nullptr) {
               by_rules = runtime::FanotifyGuard::RuleDecision(
                   *result->rules, PolicyFromPython(policy_enabled, policy_rules));
             }
             runtime::FanotifyGuard::Decide decide =
                 runtime::FanotifyGuard::PathDecision(deny_paths, std::move(by_rules));
             absl::StatusOr<std::unique_ptr<runtime::FanotifyGuard>> guard;
             {
               py::gil_scoped_release nogil;
               guard = runtime::FanotifyGuard::Start(std::move(decide), std::move(options));
             }
             result->guard = ValueOrThrow(std::move(guard));
             return result;
           }),
           py::arg("rules").none(true), py::arg("policy_enabled"), py::arg("policy_rules"),
           py::arg("deny_paths"), py::arg("mounts"), py::arg("opens"), py::arg("execs"),
           py::arg("enabled"), py::arg("response_timeout"), py::arg("max_pending"))
      .def("take_verdicts",
           [](PyFanotifyGuard& self) {
             std::vector<runtime::GuardVerdict> taken;
             {
               std::lock_guard<std::mutex> lock(self.mutex);
               taken.swap(self.verdicts);
             }
             py::list result;
             for (const runtime::GuardVerdict& verdict : taken) {
               result.append(VerdictToPython(verdict));
             }
             return result;
           })
      .def("close",
           [](PyFanotifyGuard& self) {
             py::gil_scoped_release nogil;
             self.guard->Stop();
           })
      .def("counts", [](PyFanotifyGuard& self) {
        std::lock_guard<std::mutex> lock(self.mutex);
        py::dict counts;
        counts["allowed"] = self.guard->allowed();
        counts["denied"] = self.guard->denied();
        counts["timed_out"] = self.guard->timed_out();
        counts["dropped_verdicts"] = self.dropped_verdicts;
        return counts;
      });
  runtime_module.def("_fanotify_guard_defaults", [] {
    const runtime::FanotifyGuardOptions defaults;
    py::dict result;
    result["opens"] = defaults.opens;
    result["execs"] = defaults.execs;
    result["enabled"] = defaults.enabled;
    result["response_timeout"] = absl::ToDoubleSeconds(defaults.response_timeout);
    result["max_pending"] = defaults.max_pending;
    result["deny_paths_only_in_containers"] = runtime::GuardPathPolicy().only_in_containers();
    return result;
  });
}

}  // namespace bulwark::python
