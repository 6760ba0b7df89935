"""Counts test cases of one `bazel test` run from the JUnit XML files Bazel keeps.

usage: summarize_tests.py BAZEL_OUTPUT_LOG TESTLOGS_DIR [BAZEL_OUTPUT_LOG TESTLOGS_DIR ...]

Each pair is one `bazel test` run (e.g. the default and the AddressSanitizer configuration).

Only targets named in the log's summary are read, so results left by earlier runs of deleted
targets are not counted. Prints failing cases, then "N passed, N failed, N skipped". Exits 1
when a case or a target failed, or when no test case ran at all.
"""

import os
import re
import sys
import xml.etree.ElementTree as ElementTree

SUMMARY_LINE = re.compile(r"^(//\S+)\s+(?:\(cached\) )?(PASSED|FAILED|TIMEOUT|FLAKY|NO STATUS|"
                          r"FAILED TO BUILD|INCOMPLETE|REMOTE FAILURE)\b")


def count_cases(xml_path):
    """Returns (passed, failed, skipped, failed case names) for one test.xml."""
    passed = failed = skipped = 0
    failures = []
    root = ElementTree.parse(xml_path).getroot()
    for case in root.iter("testcase"):
        name = f"{case.get('classname', '')}.{case.get('name', '')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            failures.append(name)
        elif case.find("skipped") is not None or case.get("result") == "skipped" or \
                case.get("status") == "notrun":
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, failures


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    runs = []
    for log_path, testlogs in zip(args[::2], args[1::2]):
        with open(log_path, encoding="utf-8", errors="replace") as log:
            runs += [(testlogs, *m.groups()) for m in map(SUMMARY_LINE.match, log) if m]
    passed = failed = skipped = 0
    failures = []
    for testlogs, label, status in runs:
        package, _, name = label[2:].partition(":")
        xml_path = os.path.join(testlogs, package, name, "test.xml")
        if status in ("PASSED", "FLAKY", "FAILED") and os.path.exists(xml_path):
            try:
                p, f, s, names = count_cases(xml_path)
            except ElementTree.ParseError:
                p, f, s, names = 0, 1, 0, [f"{label} (unreadable test.xml)"]
            if status == "FAILED" and f == 0:
                f, names = 1, [f"{label} (exited non-zero)"]
            passed, failed, skipped = passed + p, failed + f, skipped + s
            failures += [f"{label}: {n}" for n in names]
        elif status in ("PASSED", "FLAKY"):
            passed += 1
        else:
            failed += 1
            failures.append(f"{label}: {status}")
    for name in failures:
        print(f"FAILED {name}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed + skipped == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
