import dataclasses
from typing import Callable, Iterable, Iterator, List, Optional, Protocol, Sequence, Union

class RuleSet:
    """Falco rule files, compiled (immutable)."""

    @property
    def rule_names(self) -> List[str]: ...
    @property
    def enabled_rule_count(self) -> int: ...
    @property
    def warnings(self) -> List[str]: ...
    @staticmethod
    def load(paths: Sequence[str]) -> "RuleSet": ...
    @staticmethod
    def from_string(yaml: str, name: str = "<rules>") -> "RuleSet": ...

def load_rules(paths: Sequence[str]) -> RuleSet: ...
def rules_from_string(yaml: str, name: str = "<rules>") -> RuleSet: ...

class Engine:
    def __init__(
        self,
        rules: RuleSet,
        *,
        all_matches: bool = False,
        metadata_provider: Optional[MetadataLookup] = None,
    ) -> None: ...
    def process(self, events: Iterable[Union[dict, str]]) -> List[dict]: ...
    @property
    def metadata_failures(self) -> int: ...

def import_events(format: str, path: str) -> List[dict]: ...
def watch(
    duration: Optional[float] = None,
    *,
    files: Sequence[str] = (),
    snapshot: bool = True,
    poll_interval: float = 0.2,
) -> Iterator[dict]: ...

class ContainerMessage(Protocol):
    def SerializeToString(self) -> bytes: ...

class MetadataLookup(Protocol):
    def lookup(self, container_id: str) -> Union[dict, str, bytes, ContainerMessage, None]: ...

class ContainerMetadataProvider:
    def lookup(self, container_id: str) -> Union[dict, str, bytes, ContainerMessage, None]: ...

class DockerStateProvider(ContainerMetadataProvider):
    def __init__(self, root: str = "/var/lib/docker") -> None: ...
    def read(self, container_id: str) -> dict: ...

class OciBundleProvider(ContainerMetadataProvider):
    def __init__(self, directories: Optional[Sequence[str]] = None) -> None: ...
    @staticmethod
    def default_directories() -> List[str]: ...
    def read(self, container_id: str) -> dict: ...

class PodListProvider(ContainerMetadataProvider):
    @staticmethod
    def from_file(path: str) -> "PodListProvider": ...
    @staticmethod
    def from_json(text: Union[str, dict], source_name: str = "<pods>") -> "PodListProvider": ...
    @property
    def container_count(self) -> int: ...

class ChainedProvider(ContainerMetadataProvider):
    def __init__(self, providers: Sequence[MetadataLookup]) -> None: ...

@dataclasses.dataclass(frozen=True)
class ResponseRule:
    rule: str = ""
    tag: str = ""
    minimum_priority: str = "PRIORITY_DEBUG"
    only_in_containers: bool = True
    action: str = "kill_process"

@dataclasses.dataclass(frozen=True)
class ResponsePolicy:
    enabled: bool = False
    rules: Sequence[ResponseRule] = ()

@dataclasses.dataclass(frozen=True)
class ResponseDecision:
    action: str
    pid: int
    container_id: str
    rule: str
    start_time_ns: int = 0

class Enforcer:
    def enforce(self, decision: ResponseDecision) -> None: ...

class SignalEnforcer(Enforcer):
    def __init__(
        self,
        *,
        enabled: bool = False,
        dry_run: bool = False,
        kill_signal: int = 9,
        deny_signal: int = 9,
        require_start_time: bool = True,
        start_time_tolerance: float = 0.02,
        audit: Optional[Callable[[ResponseDecision, Optional[Exception], bool], None]] = None,
    ) -> None: ...

class ProcessKiller(Enforcer):
    def __init__(self) -> None: ...

class Responder:
    def __init__(self, policy: ResponsePolicy, enforcer: Optional[Enforcer] = None) -> None: ...
    def decide(self, alert: Union[dict, str]) -> Optional[ResponseDecision]: ...
    def handle(self, alert: Union[dict, str]) -> Optional[ResponseDecision]: ...

class GuardPathPolicy:
    def __init__(self, prefixes: Sequence[str], *, only_in_containers: bool = True) -> None: ...
    @property
    def prefixes(self) -> List[str]: ...
    @property
    def only_in_containers(self) -> bool: ...
    def denying_prefix(self, path: str, container_id: str) -> Optional[str]: ...

class FanotifyGuard:
    def __init__(
        self,
        rules: Optional[RuleSet],
        policy: Optional[ResponsePolicy],
        mounts: Sequence[str],
        *,
        deny_paths: Union[GuardPathPolicy, Sequence[str]] = (),
        opens: bool = True,
        execs: bool = True,
        enabled: bool = False,
        response_timeout: float = 0.25,
        max_pending: int = 1024,
    ) -> None: ...
    def verdicts(self) -> List[dict]: ...
    def counts(self) -> dict: ...
    def close(self) -> None: ...
    def __enter__(self) -> "FanotifyGuard": ...
    def __exit__(self, *exc_info) -> None: ...
