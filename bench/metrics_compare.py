#!/usr/bin/env python3
"""`archlint metrics` against radon (cyclomatic complexity, maintainability index) and
complexipy (cognitive complexity) on one corpus.

    bench/.work/venv/bin/python bench/metrics_compare.py CORPUS_ROOT SUBDIR [--archlint BIN] [--exclude DIR] [--show N]

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
    parser.add_argument("--exclude", help="a folder name to leave out (site-packages)")
    parser.add_argument("--radon-cc", help="`radon cc -j` output already made (else radon runs)")
    parser.add_argument("--radon-mi", help="`radon mi -j` output already made (else radon runs)")
    parser.add_argument("--show", type=int, default=8)
    args = parser.parse_args()
    made = {"cc": args.radon_cc, "mi": args.radon_mi}
    made = {kind: json.loads(Path(path).read_text()) for kind, path in made.items() if path}
    print("\n".join(compare(args.archlint, Path(args.venv) / "bin", args.root, args.subdir, args.exclude, args.show, made)))
    return 0


def compare(archlint, bin_dir, root, subdir, exclude=None, show=8, made=None):
    """The comparison as lines of Markdown (`made`: radon's outputs by kind, when already
    made)."""
    made = made or {}
    command = [str(archlint), "metrics", "--isolated", "--output-format", "json"]
    radon_filter = []
    if exclude:
        command += ["--exclude", exclude]
        radon_filter = ["-i", exclude]
    ours = run_json(command + [subdir], root)
    ours = {norm(f["path"]): f for f in ours["files"]}
    radon_cc = made.get("cc") or run_json([bin_dir / "radon", "cc", "-j", *radon_filter, subdir], root)
    radon_mi = made.get("mi") or run_json([bin_dir / "radon", "mi", "-j", *radon_filter, subdir], root)
    lines = []

    # Cyclomatic complexity: radon's default blocks (functions, classes, methods).
    same = Counter()
    total = Counter()
    plural = {"function": "functions", "method": "methods", "class": "classes"}
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
            kind = plural[block["type"]]
            total[kind] += 1
            candidates = by_line.get((block["lineno"], block["name"]), [])
            match = [b for b in candidates if b["complexity"] == block["complexity"]]
            if match:
                same[kind] += 1
            else:
                got = candidates[0]["complexity"] if candidates else None
                differences.append((path, block["lineno"], kind, block["name"], block["complexity"], got))
    fm = same["functions"] + same["methods"]
    tm = total["functions"] + total["methods"]
    lines.append(
        f"Cyclomatic complexity against `radon cc -j` ({len(radon_cc)} files with blocks; radon could not parse {radon_failed}): "
        f"the same score at the same line for **{fm} of {tm}** functions and methods (**{100 * fm / max(tm, 1):.2f}%**; target ≥ 99%)"
        + "".join(f"; {kind} {same[kind]} of {total[kind]}" for kind in ("functions", "methods", "classes") if total[kind])
        + "."
    )
    lines += [f"- differs: {p}:{l} {k} `{n}` radon {t} archlint {o}" for p, l, k, n, t, o in differences[:show]]

    # Maintainability index.
    close = compared = 0
    largest = 0.0
    mi_differences = []
    for path, result in radon_mi.items():
        path = norm(path)
        if "error" in result or path not in ours:
            continue
        compared += 1
        delta = ours[path]["maintainability_index"] - result["mi"]
        largest = max(largest, abs(delta))
        if abs(delta) <= 0.5:
            close += 1
        else:
            mi_differences.append((abs(delta), path, result["mi"], ours[path]["maintainability_index"]))
    lines.append(
        f"Maintainability index against `radon mi -j`: within 0.5 on **{close} of {compared}** files "
        f"(**{100 * close / max(compared, 1):.2f}%**; target ≥ 95%); the largest difference is {largest:.2g}."
    )
    lines += [f"- differs: {p} radon {t:.2f} archlint {m:.2f}" for _, p, t, m in sorted(mi_differences, reverse=True)[:show]]
    lines += cognitive(root, ours, show)
    return lines + [""]


def cognitive(root, ours, show):
    """complexipy's Python API gives each function's line (its first decorator's) and name
    (`Class::method`); archlint gives the line of `def` and `Class.method`."""
    try:
        import complexipy
    except ImportError:
        return ["Cognitive complexity: complexipy is not installed (run with the bench venv's python)."]
    same = total = failed = 0
    differences = []
    for path, mine in ours.items():
        try:
            report = complexipy.file_complexity(os.path.join(root, path))
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
    lines = [
        f"Cognitive complexity against complexipy: the same score for **{same} of {total}** functions "
        f"(**{100 * same / max(total, 1):.2f}%**; target ≥ 95%; complexipy could not read {failed} files)."
    ]
    return lines + [f"- differs: {p}:{l} `{n}` complexipy {t} archlint {o}" for p, l, n, t, o in differences[:show]]


if __name__ == "__main__":
    sys.exit(main())
