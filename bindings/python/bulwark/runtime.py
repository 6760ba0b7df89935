"""Runtime events and Falco-compatible rules (bulwark::runtime).

    rules = bulwark.runtime.RuleSet.load(["falco_rules.yaml", "bulwark_rules.yaml"])
    engine = bulwark.runtime.Engine(rules)
    for alert in engine.process(events):     # events: dicts (or JSON texts) of
        print(alert["rule"], alert["output"])  # bulwark.runtime.v1.Event, protobuf JSON mapping

process() keeps the engine's process and container tables across calls and releases the GIL
while it evaluates. A RuleSet may be shared by engines on several threads; an Engine may not.
"""

import json
import time
from typing import Iterable, Iterator, List, Optional, Sequence, Union

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


class Engine:
    """Evaluates a RuleSet over events; keeps process and container state between calls."""

    def __init__(self, rules: RuleSet, *, all_matches: bool = False) -> None:
        self._engine = _bulwark.runtime._Engine(rules, all_matches)

    def process(self, events: Iterable[Union[dict, str]]) -> List[dict]:
        """Alerts (protobuf JSON mapping of bulwark.runtime.v1.Alert) for `events`, in order."""
        texts = [e if isinstance(e, str) else json.dumps(e) for e in events]
        return [json.loads(a) for a in self._engine.process_json(texts)]


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


__all__ = ["Engine", "RuleSet", "import_events", "load_rules", "rules_from_string", "watch"]
