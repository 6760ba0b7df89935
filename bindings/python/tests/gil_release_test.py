"""The bindings release the GIL during C++ work: another Python thread runs meanwhile.

A counting thread can only take the GIL while the calling thread waits or releases it, because
the switch interval is raised so high that the interpreter never forces a switch. So the counter
moves during a call exactly when the binding releases the GIL; nothing here depends on timing.
"""

import hashlib
import os
import sys
import threading
import time

import pytest

from bulwark import core, image

BIG = os.urandom(64 << 20)


class CountingThread(threading.Thread):
    """Counts while it holds the GIL, and sleeps briefly (without the GIL) on every iteration:
    with no forced switches, a thread that gave the GIL up for a mere sleep(0) would take it
    straight back and keep the measuring thread waiting for seconds."""

    def __init__(self):
        super().__init__(daemon=True)
        self.count = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.count += 1
            time.sleep(0.0005)


@pytest.fixture
def counter():
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    thread = CountingThread()
    thread.start()
    try:
        yield thread
    finally:
        thread.stop.set()
        thread.join()
        sys.setswitchinterval(old_interval)


def counts_during(counter, call, attempts=10):
    """How far the counter moved during call(), over the first attempt in which it moved.

    Between reading the counter and entering call() this thread runs only bytecode and never
    waits, so with the raised switch interval the counter cannot move outside call(). Repeating
    covers an operating system that is slow to wake the counting thread; with the GIL held
    every attempt gives 0.
    """
    for _ in range(attempts):
        before = counter.count
        call()
        moved = counter.count - before
        if moved:
            return moved
    return 0


def test_switch_interval_keeps_the_counter_still_while_the_gil_is_held(counter):
    # The control: a C function that holds the GIL (hashing a big bytes object in hashlib would
    # release it, so use bytes.count, which never does).
    assert counts_during(counter, lambda: BIG.count(b"\x00\x01\x02\x03")) == 0


@pytest.fixture(scope="module")
def big_json():
    return ("[" + ",".join(['{"name": "layer", "size": 12345, "ok": true}'] * 100_000) +
            "]").encode()


@pytest.fixture(scope="module")
def big_yaml():
    return "".join(f"- {{name: layer{i}, size: {i}}}\n" for i in range(20_000)).encode()


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("gil") / "blob"
    path.write_bytes(BIG)
    return path


@pytest.fixture(scope="module")
def big_rootfs(tmp_path_factory):
    """A root-filesystem directory: open() digests the layer tar it makes of it, and the first
    filesystem query walks that tar again."""
    rootfs = tmp_path_factory.mktemp("rootfs")
    (rootfs / "blob").write_bytes(BIG[:16 << 20])
    return rootfs


def test_digest_releases_the_gil(counter):
    assert counts_during(counter, lambda: core.digest(BIG)) > 0


def test_digest_file_releases_the_gil(counter, big_file):
    assert counts_during(counter, lambda: core.digest_file(big_file)) > 0


def test_parse_json_releases_the_gil(counter, big_json):
    assert counts_during(counter, lambda: core.parse_json(big_json)) > 0


def test_parse_yaml_releases_the_gil(counter, big_yaml):
    assert counts_during(counter, lambda: core.parse_yaml(big_yaml)) > 0


def test_image_open_releases_the_gil(counter, big_rootfs):
    assert counts_during(counter, lambda: image.open(big_rootfs)) > 0


def test_image_walk_releases_the_gil(counter, big_rootfs):
    # Each attempt needs an image whose filesystem is not built yet; open them beforehand.
    fresh = iter([image.open(big_rootfs) for _ in range(10)])
    assert counts_during(counter, lambda: next(fresh).files()) > 0


def test_threads_digest_in_parallel_with_correct_results():
    chunks = [os.urandom(1 << 20) for _ in range(8)]
    results = [None] * len(chunks)

    def work(index):
        results[index] = core.digest(chunks[index])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(chunks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["sha256:" + hashlib.sha256(chunk).hexdigest() for chunk in chunks]
