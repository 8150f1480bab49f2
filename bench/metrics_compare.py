#!/usr/bin/env python3
"""`archlint metrics` against radon (cyclomatic complexity, maintainability index) and
complexipy (cognitive complexity) on one corpus.

    bench/.work/venv/bin/python bench/metrics_compare.py CORPUS_ROOT SUBDIR [--archlint BIN] [--show N]

Runs, from CORPUS_ROOT, `radon cc -j SUBDIR`, `radon mi -j SUBDIR` and `archlint metrics
--isolated --output-format json SUBDIR`, and complexipy's `file_complexity` on each file
(hence the bench venv's python), then prints:
- cyclomatic: the share of radon's functions and methods (and of its classes) that archlint
  scores the same at the same line, over the files both parsed;
- maintainability: the share of files whose index is within 0.5 of radon's;
- cognitive: the share of complexipy's functions with the same score at the same line;
and a sample of every difference, so each can be explained.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_json(command, cwd):
    with tempfile.TemporaryFile() as out:
        subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, check=False)
        out.seek(0)
        return json.loads(out.read() or b"{}")


def norm(path):
    return os.path.normpath(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("subdir")
    parser.add_argument("--archlint", default=str(HERE.parent / "target/release/archlint"))
    parser.add_argument("--venv", default=str(HERE / ".work/venv"))
    parser.add_argument("--show", type=int, default=8)
    args = parser.parse_args()
    bin_dir = Path(args.venv) / "bin"

    ours = run_json(
        [args.archlint, "metrics", "--isolated", "--output-format", "json", args.subdir],
        args.root,
    )
    ours = {norm(f["path"]): f for f in ours["files"]}
    radon_cc = run_json([bin_dir / "radon", "cc", "-j", args.subdir], args.root)
    radon_mi = run_json([bin_dir / "radon", "mi", "-j", args.subdir], args.root)

    # Cyclomatic complexity: radon's default blocks (functions, classes, methods).
    same = Counter()
    total = Counter()
    differences = []
    radon_failed = 0
    for path, blocks in radon_cc.items():
        path = norm(path)
        if isinstance(blocks, dict) and "error" in blocks:
            radon_failed += 1
            continue
        if path not in ours:
            continue
        by_line = {}
        for block in ours[path]["blocks"]:
            by_line.setdefault((block["line"], block["name"].rsplit(".", 1)[-1]), []).append(block)
        for block in blocks:
            kind = block["type"]
            total[kind] += 1
            candidates = by_line.get((block["lineno"], block["name"]), [])
            match = [b for b in candidates if b["complexity"] == block["complexity"]]
            if match:
                same[kind] += 1
            else:
                got = candidates[0]["complexity"] if candidates else None
                differences.append((path, block["lineno"], kind, block["name"], block["complexity"], got))
    print(f"cyclomatic complexity, {args.subdir} ({len(radon_cc)} files with blocks, radon failed on {radon_failed}):")
    for kind in ("function", "method", "class"):
        if total[kind]:
            print(f"  {kind:8} {same[kind]:6} of {total[kind]:6} the same ({100 * same[kind] / total[kind]:.2f}%)")
    fm = same["function"] + same["method"]
    tm = total["function"] + total["method"]
    if tm:
        print(f"  functions and methods: {fm} of {tm} ({100 * fm / tm:.2f}%)")
    for d in differences[: args.show]:
        print("    differs: {}:{} {} {} radon {} archlint {}".format(*d))

    # Maintainability index.
    close = compared = 0
    mi_differences = []
    for path, result in radon_mi.items():
        path = norm(path)
        if "error" in result or path not in ours:
            continue
        compared += 1
        delta = ours[path]["maintainability_index"] - result["mi"]
        if abs(delta) <= 0.5:
            close += 1
        else:
            mi_differences.append((abs(delta), path, result["mi"], ours[path]["maintainability_index"]))
    if compared:
        print(f"maintainability index within 0.5: {close} of {compared} files ({100 * close / compared:.2f}%)")
    for _, path, theirs, mine in sorted(mi_differences, reverse=True)[: args.show]:
        print(f"    differs: {path} radon {theirs:.2f} archlint {mine:.2f}")

    cognitive(args, ours)
    return 0


def cognitive(args, ours):
    """complexipy's Python API gives each function's line (its first decorator's) and name
    (`Class::method`); archlint gives the line of `def` and `Class.method`."""
    try:
        import complexipy
    except ImportError:
        print("cognitive complexity: complexipy is not installed (run with the bench venv's python)")
        return
    same = total = failed = 0
    differences = []
    for path, mine in ours.items():
        try:
            report = complexipy.file_complexity(os.path.join(args.root, path))
        except Exception:
            failed += 1
            continue
        for function in report.functions:
            total += 1
            name = function.name.replace("::", ".")
            candidates = sorted(
                (b for b in mine["blocks"] if b["kind"] != "class" and b["name"] == name and b["line"] >= function.line_start),
                key=lambda b: b["line"],
            )
            if candidates and candidates[0]["cognitive"] == function.complexity:
                same += 1
            else:
                got = candidates[0]["cognitive"] if candidates else None
                differences.append((path, function.line_start, name, function.complexity, got))
    if total:
        print(f"cognitive complexity the same: {same} of {total} functions ({100 * same / total:.2f}%), complexipy failed on {failed} files")
    for d in differences[: args.show]:
        print("    differs: {}:{} {} complexipy {} archlint {}".format(*d))


if __name__ == "__main__":
    sys.exit(main())
