"""Runtime events and Falco-compatible rules (bulwark::runtime).

    rules = bulwark.runtime.RuleSet.load(["falco_rules.yaml", "bulwark_rules.yaml"])
    pods = bulwark.runtime.PodListProvider.from_file("pods.json")   # optional metadata
    engine = bulwark.runtime.Engine(rules, metadata_provider=pods)
    responder = bulwark.runtime.Responder(
        bulwark.runtime.ResponsePolicy(enabled=True, rules=[bulwark.runtime.ResponseRule(
            rule="Container Runtime Binary Overwrite")]),
        bulwark.runtime.SignalEnforcer(enabled=True))
    for alert in engine.process(events):     # events: dicts (or JSON texts) of
        print(alert["rule"], alert["output"])  # bulwark.runtime.v1.Event, protobuf JSON mapping
        responder.handle(alert)

process() keeps the engine's process and container tables across calls and releases the GIL
while it evaluates. A RuleSet may be shared by engines on several threads; an Engine may not.
Metadata providers and enforcers are safe to share; their file reads and signals release the GIL.
Containers, events and alerts are dicts in protobuf's JSON mapping of bulwark.runtime.v1.
"""

import dataclasses
import json
import time
import warnings
from typing import Callable, Iterable, Iterator, List, Optional, Protocol, Sequence, Union

from bulwark import _bulwark

RuleSet = _bulwark.runtime.RuleSet


def load_rules(paths: Sequence[str]) -> RuleSet:
    """Loads Falco rule files (directories give their *.yaml files in name order)."""
    return _bulwark.runtime._load_rules([str(p) for p in paths])


def rules_from_string(yaml: str, name: str = "<rules>") -> RuleSet:
    """Compiles Falco rules from text; `name` prefixes error positions."""
    return _bulwark.runtime._rules_from_string(yaml, name)


RuleSet.load = staticmethod(load_rules)
RuleSet.from_string = staticmethod(rules_from_string)


class ContainerMetadataProvider:
    """Container metadata (name, image, labels, Kubernetes pod) by container id, asked by an
    Engine once per new container id. Base of the providers below; subclass it and override
    lookup() for a provider of your own (an Engine also takes any object with a lookup method).

    A Python provider is called from the thread applying events, with the GIL (process() takes
    it back for the call). An exception it raises, or a return value that is not a Container,
    does not stop the engine: the container stays without metadata, the failure is counted in
    Engine.metadata_failures and reported as a RuntimeWarning when process() returns. The
    Engine keeps the provider alive. A provider must not call back into the same Engine."""

    _native = None

    def lookup(self, container_id: str) -> Union[dict, str, bytes, "ContainerMessage", None]:
        """The container for a 12-digit id, or None when unknown or unreadable. A
        bulwark.runtime.v1.Container as a dict in protobuf's JSON mapping or as JSON text, or in
        protobuf's wire form: serialized bytes, or a message built with protobuf's Python package
        from runtime/event.proto (anything with SerializeToString(); its DESCRIPTOR, when it has
        one, must name bulwark.runtime.v1.Container). Wire fields this version does not know are
        ignored, as protobuf does; malformed bytes are a failure. The built-in providers return
        dicts."""
        if self._native is None:
            raise NotImplementedError(f"{type(self).__name__} must override lookup()")
        text = self._native.lookup_json(container_id)
        return None if text is None else json.loads(text)


class ContainerMessage(Protocol):
    """A bulwark.runtime.v1.Container message object, e.g. one of the class protoc generates
    from runtime/event.proto for protobuf's Python package."""

    def SerializeToString(self) -> bytes: ...


class MetadataLookup(Protocol):
    """Any object an Engine or ChainedProvider accepts as a metadata provider."""

    def lookup(self, container_id: str) -> Union[dict, str, bytes, ContainerMessage, None]: ...


def _native_provider(provider, python_providers: list):
    """The C++ provider standing for `provider`: a built-in one's own, or a trampoline calling
    provider.lookup (appended to `python_providers`, whose failures the Engine reports)."""
    if isinstance(provider, ChainedProvider):
        python_providers.extend(provider._python_providers)
        return provider._native
    builtin = (isinstance(provider, ContainerMetadataProvider) and provider._native is not None
               and type(provider).lookup is ContainerMetadataProvider.lookup)
    if builtin:
        return provider._native
    if not callable(getattr(provider, "lookup", None)):
        raise TypeError(f"a metadata provider needs a lookup(container_id) method, not "
                        f"{type(provider).__name__}")
    native = _bulwark.runtime._PythonMetadataProvider(provider)
    python_providers.append(native)
    return native


class DockerStateProvider(ContainerMetadataProvider):
    """Docker's state directory: containers/<id>/config.v2.json and hostconfig.json (name,
    image, image id, labels, start time, mounts, privileged; Kubernetes pod labels of
    dockershim/cri-dockerd)."""

    def __init__(self, root: str = "/var/lib/docker") -> None:
        self._native = _bulwark.runtime._DockerStateProvider(str(root))

    def read(self, container_id: str) -> dict:
        """The container whose id starts with `container_id` (12 or 64 hex digits). Raises
        NotFoundError when no container directory matches, InvalidArgumentError for bad files."""
        return json.loads(self._native.read_json(container_id))


class OciBundleProvider(ContainerMetadataProvider):
    """OCI bundles of running containers (config.json annotations of containerd's CRI plugin and
    CRI-O). `directories` default to default_directories()."""

    def __init__(self, directories: Optional[Sequence[str]] = None) -> None:
        if directories is None:
            directories = OciBundleProvider.default_directories()
        self._native = _bulwark.runtime._OciBundleProvider([str(d) for d in directories])

    @staticmethod
    def default_directories() -> List[str]:
        """containerd's k8s.io and moby task directories and CRI-O's overlay-containers."""
        return _bulwark.runtime._oci_bundle_default_directories()

    def read(self, container_id: str) -> dict:
        """The container whose bundle is named by `container_id`; raises like
        DockerStateProvider.read."""
        return json.loads(self._native.read_json(container_id))


class PodListProvider(ContainerMetadataProvider):
    """`kubectl get pods -A -o json` output (a PodList or one Pod): every container status with a
    containerID. Build with from_file or from_json."""

    def __init__(self, native) -> None:
        self._native = native

    @staticmethod
    def from_file(path: str) -> "PodListProvider":
        """Raises NotFoundError, or InvalidArgumentError with file:line:column and JSON path."""
        return PodListProvider(_bulwark.runtime._pod_list_from_file(str(path)))

    @staticmethod
    def from_json(text: Union[str, dict], source_name: str = "<pods>") -> "PodListProvider":
        """From JSON text (or an already parsed dict); `source_name` prefixes error positions."""
        if not isinstance(text, str):
            text = json.dumps(text)
        return PodListProvider(_bulwark.runtime._pod_list_from_json(text, source_name))

    @property
    def container_count(self) -> int:
        return self._native.container_count


class ChainedProvider(ContainerMetadataProvider):
    """Asks each provider in order; for every field the first that knows it wins."""

    def __init__(self, providers: Sequence[MetadataLookup]) -> None:
        self._providers = list(providers)
        self._python_providers: list = []
        self._native = _bulwark.runtime._ChainedProvider(
            [_native_provider(p, self._python_providers) for p in self._providers])


class Engine:
    """Evaluates a RuleSet over events; keeps process and container state between calls.
    `metadata_provider` (a ContainerMetadataProvider, or any object with a lookup method) fills
    container fields (container.name, k8s.*) for new container ids."""

    def __init__(
        self,
        rules: RuleSet,
        *,
        all_matches: bool = False,
        metadata_provider: Optional[MetadataLookup] = None,
    ) -> None:
        self._python_providers: list = []
        native = (None if metadata_provider is None
                  else _native_provider(metadata_provider, self._python_providers))
        self._engine = _bulwark.runtime._Engine(rules, all_matches, native)

    def process(self, events: Iterable[Union[dict, str]]) -> List[dict]:
        """Alerts (protobuf JSON mapping of bulwark.runtime.v1.Alert) for `events`, in order.
        Each failure of a Python metadata provider meanwhile is reported as a RuntimeWarning."""
        texts = [e if isinstance(e, str) else json.dumps(e) for e in events]
        alerts = self._engine.process_json(texts)
        for provider in self._python_providers:
            for error in provider.take_errors():
                warnings.warn(error, RuntimeWarning, stacklevel=2)
        return [json.loads(a) for a in alerts]

    @property
    def metadata_failures(self) -> int:
        """Lookups of Python metadata providers that raised or returned something that is not a
        Container, over the engine's life."""
        return sum(p.failures for p in self._python_providers)


def import_events(format: str, path: str) -> List[dict]:
    """Events (protobuf JSON mapping of bulwark.runtime.v1.Event) from Tetragon's JSON export
    (format "tetragon") or Tracee's JSON events ("tracee"); records with no counterpart in the
    schema are skipped."""
    return [json.loads(e) for e in _bulwark.runtime._import_json(format, str(path))]


def watch(
    duration: Optional[float] = None,
    *,
    files: Sequence[str] = (),
    snapshot: bool = True,
    poll_interval: float = 0.2,
) -> Iterator[dict]:
    """Live events of this host (needs root): fork, exec, exit, uid/gid changes and ptrace
    attaches from the netlink process connector enriched from /proc, and file opens and writes
    on the mounts in `files` (fanotify); existing processes first when `snapshot`. Stops after
    `duration` seconds (never when None). Raises PermissionError when not root. The GIL is
    released while waiting."""
    collector = _bulwark.runtime._Collector([str(f) for f in files], snapshot)
    end = None if duration is None else time.monotonic() + duration
    while end is None or time.monotonic() < end:
        timeout = poll_interval if end is None else max(0.0, min(poll_interval, end - time.monotonic()))
        for event in collector.poll_json(timeout):
            yield json.loads(event)


_RULE_DEFAULTS = _bulwark.runtime._response_rule_defaults()
_ENFORCER_DEFAULTS = _bulwark.runtime._signal_enforcer_defaults()


@dataclasses.dataclass(frozen=True)
class ResponseRule:
    """Which alerts get which action; every criterion given must hold. `rule` is an exact rule
    name, `tag` one of the rule's tags, `minimum_priority` a Falco priority ("WARNING" or
    "PRIORITY_WARNING"), `action` "kill_process" or "deny"."""

    rule: str = ""
    tag: str = ""
    minimum_priority: str = _RULE_DEFAULTS["minimum_priority"]
    only_in_containers: bool = _RULE_DEFAULTS["only_in_containers"]
    action: str = _RULE_DEFAULTS["action"]


@dataclasses.dataclass(frozen=True)
class ResponsePolicy:
    """Off by default. The first matching rule decides."""

    enabled: bool = _RULE_DEFAULTS["enabled"]
    rules: Sequence[ResponseRule] = ()


@dataclasses.dataclass(frozen=True)
class ResponseDecision:
    """What to do about one alert: `action` ("kill_process" or "deny"), the acting `pid`, its
    `container_id` ("host" or 12 hex digits), the alert's `rule`, and the process's start time
    (epoch ns, 0 = unknown) that lets an enforcer rule out PID reuse."""

    action: str
    pid: int
    container_id: str
    rule: str
    start_time_ns: int = 0


class Enforcer:
    """Carries out decisions. Subclass and override enforce() for an enforcer of your own."""

    def enforce(self, decision: ResponseDecision) -> None:
        """Carries out `decision`; raises when it could not."""
        self._native.enforce(dataclasses.astuple(decision))


class SignalEnforcer(Enforcer):
    """Kills (or, for "deny", stops) the decision's process with pidfd_open + pidfd_send_signal,
    after checking that its start time still matches the decision's (PID reuse). Off by default:
    unless `enabled`, and always with `dry_run`, decisions are checked and audited and no signal
    is sent. `audit(decision, error or None, signalled)` sees every decision. Raises
    InvalidArgumentError (pid <= 1 or this process), bulwark.Error with code
    FAILED_PRECONDITION (start time missing or different), NotFoundError (gone),
    PermissionDeniedError."""

    def __init__(
        self,
        *,
        enabled: bool = _ENFORCER_DEFAULTS["enabled"],
        dry_run: bool = _ENFORCER_DEFAULTS["dry_run"],
        kill_signal: int = _ENFORCER_DEFAULTS["kill_signal"],
        deny_signal: int = _ENFORCER_DEFAULTS["deny_signal"],
        require_start_time: bool = _ENFORCER_DEFAULTS["require_start_time"],
        start_time_tolerance: float = _ENFORCER_DEFAULTS["start_time_tolerance"],
        audit: Optional[Callable[[ResponseDecision, Optional[Exception], bool], None]] = None,
    ) -> None:
        native_audit = None
        if audit is not None:
            def native_audit(decision, error, signalled):
                audit(ResponseDecision(*decision), error, signalled)
        self._native = _bulwark.runtime._SignalEnforcer(
            enabled, dry_run, int(kill_signal), int(deny_signal), require_start_time,
            float(start_time_tolerance), native_audit)


class ProcessKiller(Enforcer):
    """kill(pid, SIGKILL) for "kill_process" without a PID-reuse check; "deny" raises
    FAILED_PRECONDITION."""

    def __init__(self) -> None:
        self._native = _bulwark.runtime._ProcessKiller()


class Responder:
    """Turns alerts (dicts of bulwark.runtime.v1.Alert) into decisions under a policy and hands
    them to `enforcer` (none: decisions are only computed)."""

    def __init__(self, policy: ResponsePolicy, enforcer: Optional[Enforcer] = None) -> None:
        rules = [(r.rule, r.tag, r.minimum_priority, r.only_in_containers, r.action)
                 for r in policy.rules]
        self._native = _bulwark.runtime._Responder(policy.enabled, rules)
        self._enforcer = enforcer

    def decide(self, alert: Union[dict, str]) -> Optional[ResponseDecision]:
        """The decision for `alert`, or None (policy off, no rule matches, no pid, or a host
        process where only_in_containers)."""
        text = alert if isinstance(alert, str) else json.dumps(alert)
        decision = self._native.decide_json(text)
        return None if decision is None else ResponseDecision(*decision)

    def handle(self, alert: Union[dict, str]) -> Optional[ResponseDecision]:
        """decide(), then the enforcer's enforce() when there is a decision; returns the decision
        and raises the enforcer's error."""
        decision = self.decide(alert)
        if decision is not None and self._enforcer is not None:
            self._enforcer.enforce(decision)
        return decision


_GUARD_DEFAULTS = _bulwark.runtime._fanotify_guard_defaults()


class GuardPathPolicy:
    """Path-prefix deny for a FanotifyGuard: an open or exec of a file at or below one of
    `prefixes` is denied before it happens, with no rule involved (like a Tetragon policy's
    Prefix match with an Override action). Prefixes match whole path components: /srv/private
    covers /srv/private and /srv/private/key.pem, never /srv/privateer. Each is normalised
    ('.' and repeated or trailing '/' dropped) and resolved through the symlinks that exist now,
    since the kernel reports resolved paths; an empty or relative prefix, or one with a '..'
    component, raises InvalidArgumentError. With `only_in_containers` (the default) host
    processes are never denied. Immutable."""

    def __init__(
        self,
        prefixes: Sequence[str],
        *,
        only_in_containers: bool = _GUARD_DEFAULTS["deny_paths_only_in_containers"],
    ) -> None:
        if isinstance(prefixes, (str, bytes)):
            raise TypeError("GuardPathPolicy takes a sequence of path prefixes, not one string")
        self._native = _bulwark.runtime._GuardPathPolicy([str(p) for p in prefixes],
                                                        bool(only_in_containers))

    @property
    def prefixes(self) -> List[str]:
        """The prefixes as the guard compares them (normalised, resolved), in the order given."""
        return self._native.prefixes

    @property
    def only_in_containers(self) -> bool:
        return self._native.only_in_containers

    def denying_prefix(self, path: str, container_id: str) -> Optional[str]:
        """The first prefix `path` is at or below, for a process in `container_id` ("" or
        "host" for a host process), or None when the policy does not deny it."""
        return self._native.denying_prefix(str(path), container_id)

    def __repr__(self) -> str:
        return (f"GuardPathPolicy({self.prefixes!r}, "
                f"only_in_containers={self.only_in_containers!r})")


class FanotifyGuard:
    """Deny before the operation (needs root): the kernel holds every open and exec of a file on
    `mounts` until the guard has decided. An access at or below a `deny_paths` prefix is denied
    (verdict rule "deny path PREFIX"); any other is evaluated against `rules`, and an alert whose
    `policy` decision is "deny" makes the call fail with EPERM. `deny_paths` is a
    GuardPathPolicy, or a sequence of prefixes for GuardPathPolicy(prefixes) (container processes
    only). `rules` and `policy` may be None for a guard of path prefixes only. Off by default
    (`enabled=False`: everything is allowed and only recorded); fails open after
    `response_timeout` seconds. Runs on its own threads until close() (or the end of a `with`
    block). Raises PermissionError when not root, InvalidArgumentError for a bad prefix."""

    def __init__(
        self,
        rules: Optional[RuleSet],
        policy: Optional[ResponsePolicy],
        mounts: Sequence[str],
        *,
        deny_paths: Union[GuardPathPolicy, Sequence[str]] = (),
        opens: bool = _GUARD_DEFAULTS["opens"],
        execs: bool = _GUARD_DEFAULTS["execs"],
        enabled: bool = _GUARD_DEFAULTS["enabled"],
        response_timeout: float = _GUARD_DEFAULTS["response_timeout"],
        max_pending: int = _GUARD_DEFAULTS["max_pending"],
    ) -> None:
        if not isinstance(deny_paths, GuardPathPolicy):
            deny_paths = GuardPathPolicy(deny_paths)
        policy = policy if policy is not None else ResponsePolicy()
        policy_rules = [(r.rule, r.tag, r.minimum_priority, r.only_in_containers, r.action)
                        for r in policy.rules]
        self._native = _bulwark.runtime._FanotifyGuard(
            rules, policy.enabled, policy_rules, deny_paths._native, [str(m) for m in mounts],
            opens, execs, enabled, float(response_timeout), int(max_pending))

    def verdicts(self) -> List[dict]:
        """The accesses answered since the last call: {"event": bulwark.runtime.v1.Event dict,
        "rule": the denying rule or "", "deny", "denied" (EPERM was returned), "timed_out"}."""
        return self._native.take_verdicts()

    def counts(self) -> dict:
        """{"allowed", "denied", "timed_out", "dropped_verdicts"} so far."""
        return self._native.counts()

    def close(self) -> None:
        """Stops the guard; accesses still held are allowed."""
        self._native.close()

    def __enter__(self) -> "FanotifyGuard":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


__all__ = [
    "ChainedProvider",
    "ContainerMessage",
    "ContainerMetadataProvider",
    "DockerStateProvider",
    "Enforcer",
    "Engine",
    "FanotifyGuard",
    "GuardPathPolicy",
    "MetadataLookup",
    "OciBundleProvider",
    "PodListProvider",
    "ProcessKiller",
    "Responder",
    "ResponseDecision",
    "ResponsePolicy",
    "ResponseRule",
    "RuleSet",
    "SignalEnforcer",
    "import_events",
    "load_rules",
    "rules_from_string",
    "watch",
]
