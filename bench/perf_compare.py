#!/usr/bin/env python3
"""Line agreement of archlint's performance rules with their ruff equivalents.

For each folder given, runs `archlint check --isolated --select <codes> --output-format json`
and `ruff check --isolated --no-cache --select <ids> --output-format json` over it, and for
each pair of rules (`PERF007` against `RUF017`, ...) counts the lines both flag, the lines only
archlint flags and the lines only ruff flags, with a sample of each difference (the source
line and each tool's message) so that every systematic difference can be explained.

archlint runs the performance rules on package code only (`archlint check --show-roles` says
which files are tests, docs or scripts); ruff's findings in the other files are counted apart,
not as differences.

Pairs are data (`PAIRS` below, or `--pair PERF001=C901` on the command line); a pair whose
archlint codes this build does not have is listed as skipped.

    bench/perf_compare.py ~/src/django-5.2.8/django /usr/lib/python3.11
    bench/perf_compare.py --archlint target/debug/archlint --samples 10 PATH...

Standard library only (Python 3.11+).
"""

import argparse
import collections
import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"

ROOT = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Pair:
    """archlint codes and the ruff ids that flag the same lines."""

    archlint: tuple[str, ...]
    ruff: tuple[str, ...]
    # ruff rules still in preview need `--preview`.
    preview: bool = False

    @property
    def label(self):
        return f"{', '.join(self.archlint)} ↔ {', '.join(self.ruff)}"


PAIRS = [
    # `sum(lists, [])`: RUF017 is stable.
    Pair(("PERF007",), ("RUF017",)),
    # Loops that only build a list or dict: PERF401 (comprehension), PERF402 (copy), PERF403
    # (dict comprehension), all stable in ruff 0.17.6.
    Pair(("PERF015",), ("PERF401", "PERF402", "PERF403")),
    # Cyclomatic complexity: radon's count (PERF001 warns over `max-complexity`, 10 by
    # default: rank C) against McCabe's (C901, over its `max-complexity`, 10 by default).
    Pair(("PERF001",), ("C901",)),
]


def parse_pair(text):
    """`PERF001=C901` or `PERF015=PERF401,PERF402`."""
    left, sep, right = text.partition("=")
    if not sep or not left or not right:
        raise argparse.ArgumentTypeError(f"expected ARCHLINT=RUFF, got {text!r}")
    return Pair(tuple(left.split(",")), tuple(right.split(",")))


def default_ruff():
    pinned = ROOT / "bench" / ".work" / "venv" / "bin" / "ruff"
    return str(pinned) if pinned.exists() else (shutil.which("ruff") or "ruff")


def run_json(command, cwd):
    result = subprocess.run(command, cwd=cwd, capture_output=True)
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr.decode(errors='replace')}")
    return json.loads(result.stdout)


def known_codes(archlint):
    rules = run_json([archlint, "rules", "--output-format", "json"], ROOT)
    return {rule["code"] for rule in rules}


def package_files(archlint, cwd, folder):
    """The files archlint checks as package code (where the performance rules run)."""
    roles = run_json([archlint, "check", "--isolated", "--show-roles", "--output-format", "json", folder], cwd)
    return {os.path.normpath(entry["path"]) for entry in roles if entry["role"] == "package"}


def archlint_lines(archlint, cwd, folder, codes):
    report = run_json([archlint, "check", "--isolated", "--select", ",".join(codes), "--output-format", "json", folder], cwd)
    found = collections.defaultdict(list)
    for d in report["diagnostics"]:
        if d["code"] in codes:
            found[(os.path.normpath(d["path"]), d["start"]["line"])].append(f"{d['code']} {d['message']}")
    return found


def ruff_lines(ruff, cwd, folder, ids, preview):
    command = [ruff, "check", "--isolated", "--no-cache", "--exit-zero", "--select", ",".join(ids), "--output-format", "json", folder]
    if preview:
        command.insert(2, "--preview")
    found = collections.defaultdict(list)
    for r in run_json(command, cwd):
        if r["code"] in ids:
            path = os.path.normpath(os.path.relpath(r["filename"], cwd))
            found[(path, r["location"]["row"])].append(f"{r['code']} {r['message']}")
    return found


def source_line(cwd, path, line):
    try:
        lines = (Path(cwd) / path).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def compare(archlint, ruff, cwd, folder, pair, package, samples):
    ours = archlint_lines(archlint, cwd, folder, pair.archlint)
    theirs_all = ruff_lines(ruff, cwd, folder, pair.ruff, pair.preview)
    theirs = {key: value for key, value in theirs_all.items() if key[0] in package}
    outside = len(theirs_all) - len(theirs)
    both = ours.keys() & theirs.keys()
    only_ours = sorted(ours.keys() - theirs.keys())
    only_theirs = sorted(theirs.keys() - ours.keys())
    lines = [
        f"### {pair.label}",
        "",
        "| both | only archlint | only ruff | ruff in files archlint does not check for them |",
        "| ---: | ---: | ---: | ---: |",
        f"| {len(both)} | {len(only_ours)} | {len(only_theirs)} | {outside} |",
        "",
    ]
    for title, keys, found in (("Only archlint", only_ours, ours), ("Only ruff", only_theirs, theirs)):
        if not keys:
            continue
        lines.append(f"{title} ({len(keys)}; {min(samples, len(keys))} shown):")
        lines.append("")
        for path, line in keys[:samples]:
            lines.append(f"- `{path}:{line}`: `{source_line(cwd, path, line)}`")
            for message in found[(path, line)]:
                lines.append(f"  - {message}")
        lines.append("")
    counts = {"both": len(both), "only_archlint": len(only_ours), "only_ruff": len(only_theirs), "ruff_outside_package": outside}
    return lines, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", metavar="PATH", help="folders to check (a package, or CPython's Lib/)")
    parser.add_argument("--archlint", default=str(ROOT / "target" / "release" / "archlint"), help="archlint binary (default: the release build)")
    parser.add_argument("--ruff", default=default_ruff(), help="ruff binary (default: bench/.work/venv/bin/ruff, else ruff on PATH)")
    parser.add_argument("--pair", action="append", type=parse_pair, default=[], metavar="ARCHLINT=RUFF", help="compare these codes too (comma-separated on either side)")
    parser.add_argument("--only-extra-pairs", action="store_true", help="compare only the --pair pairs, not the built-in ones")
    parser.add_argument("--samples", type=int, default=5, help="differences shown per pair and side (default 5)")
    parser.add_argument("--json", metavar="FILE", help="also write the counts as JSON to FILE")
    args = parser.parse_args()

    archlint = str(Path(args.archlint).resolve())
    version = subprocess.run([args.ruff, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    known = known_codes(archlint)
    pairs = args.pair if args.only_extra_pairs else PAIRS + args.pair
    runnable = [p for p in pairs if all(code in known for code in p.archlint)]
    skipped = [p for p in pairs if p not in runnable]

    report = [f"# archlint performance rules against {version}", ""]
    for pair in skipped:
        missing = ", ".join(code for code in pair.archlint if code not in known)
        report.append(f"Skipped {pair.label}: this archlint has no {missing}.")
    if skipped:
        report.append("")
    counts = {}
    for folder in args.folders:
        path = Path(folder).resolve()
        cwd, name = str(path.parent), path.name
        package = package_files(archlint, cwd, name)
        report += [f"## `{path}` ({len(package)} package files)", ""]
        for pair in runnable:
            lines, figures = compare(archlint, args.ruff, cwd, name, pair, package, args.samples)
            report += lines
            counts.setdefault(str(path), {})[pair.label] = figures
    print("\n".join(report))
    if args.json:
        Path(args.json).write_text(json.dumps(counts, indent=2) + "\n")


if __name__ == "__main__":
    main()
