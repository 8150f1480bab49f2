#!/usr/bin/env python3
"""Compare `archlint profile` with `pstats` on profiles of real programs: for each sort key,
the top N functions archlint prints (`--output-format json`) against
`pstats.Stats(path).sort_stats(key)` (its `fcn_list` order and its `stats` values): the same
functions, in the same order, with the same call counts and times. Also checks that a
truncated dump is refused with exit 2 and a one-line error. Python 3.11 standard library
only.

    python3 bench/profile_compare.py ARCHLINT_BIN [--top 20] [--keep DIR]

Each is compared for the top N and for every function (`--top 0`), where ties abound.

The profiles are made here, by running real standard-library programs under
`python -m cProfile -o`: `compileall -f` on a copy of the `email` package, `pydoc -w json`,
and `unittest` on a copy of the `json` package's tests. Prints a table; exit 1 if any row
fails.
"""

from __future__ import annotations

import argparse
import json
import marshal
import pstats
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

SORTS = {"cumtime": "cumulative", "tottime": "tottime", "calls": "calls"}


def workloads(work: Path) -> dict[str, list[str]]:
    """The programs profiled: name → the arguments after `python -m cProfile -o OUT`."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    email = work / "email"
    shutil.copytree(stdlib / "email", email, ignore=shutil.ignore_patterns("__pycache__"))
    tests = work / "json_tests"
    shutil.copytree(stdlib / "test" / "test_json", tests / "test_json",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return {
        "compileall email": ["-m", "compileall", "-q", "-f", str(email)],
        "pydoc -w json": ["-m", "pydoc", "-w", "json"],
        "unittest test_json": ["-m", "unittest", "-q", "test_json"],
    }


def profile(work: Path, name: str, args: list[str]) -> Path:
    out = work / (name.replace(" ", "_") + ".prof")
    cwd = work / "json_tests" if name.startswith("unittest") else work
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), *args],
                   cwd=cwd, check=True, capture_output=True)
    return out


def archlint_top(archlint: str, dump: Path, sort: str, top: int) -> list[dict]:
    done = subprocess.run(
        [archlint, "profile", str(dump), "--no-project", "--output-format", "json",
         "--top", str(top), "--sort", sort],
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"archlint exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)["functions"]


def pstats_top(dump: Path, key: str, top: int) -> list[tuple]:
    stats = pstats.Stats(str(dump))
    stats.sort_stats(key)
    rows = []
    for func in stats.fcn_list[: top or None]:
        cc, nc, tt, ct, _ = stats.stats[func]
        rows.append((func, nc, cc, tt, ct))
    return rows


def compare(archlint: str, dump: Path, sort: str, top: int) -> dict[str, object]:
    ours = archlint_top(archlint, dump, sort, top)
    theirs = pstats_top(dump, SORTS[sort], top)
    our_keys = [(f["file"], f["line"], f["function"]) for f in ours]
    their_keys = [row[0] for row in theirs]
    same_set = set(our_keys) == set(their_keys)
    same_order = our_keys == their_keys
    same_calls = same_order and all(
        (f["calls"], f["primitive_calls"]) == (nc, cc)
        for f, (_, nc, cc, _, _) in zip(ours, theirs))
    same_times = same_order and all(
        (f["total_time"], f["cumulative_time"]) == (tt, ct)
        for f, (_, _, _, tt, ct) in zip(ours, theirs))
    first_difference = next(
        (i for i, (a, b) in enumerate(zip(our_keys, their_keys)) if a != b), None)
    return {
        "rows": len(ours), "functions": same_set, "order": same_order,
        "calls": same_calls, "times": same_times, "first_difference": first_difference,
        "ties": ties(theirs, sort),
    }


def yes(value: object) -> str:
    return "yes" if value else "**no**"


def ties(rows: list[tuple], sort: str) -> int:
    """How many adjacent rows have the same sort value (their order is pstats' tie-break)."""
    index = {"cumtime": 4, "tottime": 3, "calls": 1}[sort]
    return sum(1 for a, b in zip(rows, rows[1:]) if a[index] == b[index])


def truncated(archlint: str, dump: Path, work: Path) -> tuple[bool, str]:
    data = dump.read_bytes()
    cut = work / "truncated.prof"
    cut.write_bytes(data[: len(data) // 2])
    done = subprocess.run([archlint, "profile", str(cut), "--no-project"],
                          capture_output=True, text=True, check=False)
    message = done.stderr.strip()
    return done.returncode == 2 and message.count("\n") == 0 and not done.stdout, message


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archlint")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="keep the profiles in this folder")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="profile_compare_"))
    failed = False
    try:
        print(f"Python {sys.version.split()[0]}; top {options.top}; "
              "pass = same functions, same order, same call counts and times as pstats\n")
        print("| program | functions | sort | top | ties | same functions | same order "
              "| same calls | same times | result |")
        print("| --- | ---: | --- | ---: | ---: | --- | --- | --- | --- | --- |")
        dumps = []
        for name, args in workloads(work).items():
            dump = profile(work, name, args)
            dumps.append(dump)
            count = len(marshal.loads(dump.read_bytes()))
            # The top N, then every function (where ties, mostly zero times, abound).
            for top in (options.top, 0):
                for sort in SORTS:
                    row = compare(options.archlint, dump, sort, top)
                    ok = all(row[k] for k in ("functions", "order", "calls", "times"))
                    failed |= not ok
                    result = "pass" if ok else f"**FAIL** (row {row['first_difference']})"
                    print(f"| {name} | {count} | {sort} | {top or 'all'} | {row['ties']} "
                          f"| {yes(row['functions'])} | {yes(row['order'])} "
                          f"| {yes(row['calls'])} | {yes(row['times'])} | {result} |")
        ok, message = truncated(options.archlint, dumps[0], work)
        failed |= not ok
        print(f"\nTruncated dump (first half of {dumps[0].name}): "
              f"{'pass' if ok else '**FAIL**'}: `{message}`")
        if options.keep:
            options.keep.mkdir(parents=True, exist_ok=True)
            for dump in dumps:
                shutil.copy(dump, options.keep / dump.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
