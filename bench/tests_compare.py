#!/usr/bin/env python3
"""Agreement of archlint's testing rules with ruff's pytest and mock checks, per rule.

For each test suite given (default: django's `tests/`, flask's and requests' `tests/`,
CPython's `Lib/test/` under --corpus-dir), runs

    archlint check SUITE --select TST007,TST009,TST011 --output-format json
    ruff check SUITE --isolated --no-cache --select PT011,PT012,PT014,PGH005 --output-format json

and compares, per ruff code, the findings at the same file and line. TST007 covers PT011
(its "passes for any" findings) and PT012 (its "holds more than one" findings), TST009 is
PGH005, TST011 is PT014. Prints a Markdown table and, with --show N, up to N differences per
rule and side. Exit status 0 whatever the agreement: this measures, it does not gate.

    bench/tests_compare.py --bin target/release/archlint --ruff bench/.work/venv/bin/ruff
"""

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"

SUITES = {
    "django": "django-5.2.8/tests",
    "flask": "flask-3.1.2/tests",
    "requests": "requests-2.32.5/tests",
    "cpython": "cpython-3.11.7-Lib/test",
}

# ruff code -> (archlint code, a test on the message that says which part of the rule it is)
PAIRS = {
    "PT011": ("TST007", lambda message: "passes for any" in message),
    "PT012": ("TST007", lambda message: "holds more than one" in message),
    "PT014": ("TST011", lambda message: "parametrize case" in message),
    "PGH005": ("TST009", lambda message: True),
}


def run(command, cwd):
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if completed.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({completed.returncode}):\n{completed.stderr}")
    return completed.stdout


def archlint_findings(binary, suite):
    codes = sorted({code for code, _ in PAIRS.values()})
    out = run([binary, "check", suite, "--select", ",".join(codes), "--output-format", "json"], suite)
    found = defaultdict(set)
    for d in json.loads(out)["diagnostics"]:
        path = os.path.normpath(os.path.join(suite, d["path"])) if not os.path.isabs(d["path"]) else d["path"]
        for ruff_code, (code, part) in PAIRS.items():
            if d["code"] == code and part(d["message"]):
                found[ruff_code].add((os.path.realpath(path), d["start"]["line"]))
    return found


def ruff_findings(ruff, suite):
    out = run([ruff, "check", suite, "--isolated", "--no-cache", "--select", ",".join(PAIRS), "--output-format", "json"], suite)
    found = defaultdict(set)
    for d in json.loads(out or "[]"):
        if d["code"] in PAIRS:
            found[d["code"]].add((os.path.realpath(d["filename"]), d["location"]["row"]))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suites", nargs="*", help="test suite folders (default: the four corpora's)")
    parser.add_argument("--corpus-dir", default="/work/corpus")
    parser.add_argument("--bin", default="target/release/archlint")
    parser.add_argument("--ruff", default="bench/.work/venv/bin/ruff")
    parser.add_argument("--show", type=int, default=0, help="differences to show per rule and side")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    ruff = os.path.abspath(args.ruff)
    suites = args.suites or [os.path.join(args.corpus_dir, s) for s in SUITES.values()]
    version = run([ruff, "--version"], ".").strip()
    print(f"{version}; archlint {run([binary, '--version'], '.').strip()}\n")
    print("| suite | ruff rule | archlint | both | ruff only | archlint only | agreement |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    differences = []
    for suite in suites:
        suite = os.path.abspath(suite)
        ours = archlint_findings(binary, suite)
        theirs = ruff_findings(ruff, suite)
        for ruff_code, (code, _) in PAIRS.items():
            a, r = ours[ruff_code], theirs[ruff_code]
            both = a & r
            union = a | r
            agreement = f"{100 * len(both) / len(union):.1f}%" if union else "-"
            name = os.path.relpath(suite, args.corpus_dir) if suite.startswith(args.corpus_dir) else suite
            print(f"| {name} | {ruff_code} | {code} | {len(both)} | {len(r - a)} | {len(a - r)} | {agreement} |")
            for side, items in (("ruff only", r - a), ("archlint only", a - r)):
                for path, line in sorted(items)[: args.show]:
                    differences.append(f"- {ruff_code}/{code} {side}: {os.path.relpath(path, suite)}:{line}")
    if differences:
        print("\nDifferences (first of each):\n")
        print("\n".join(differences))


if __name__ == "__main__":
    main()
