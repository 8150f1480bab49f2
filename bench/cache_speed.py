#!/usr/bin/env python3
"""The check cache, in one run, as ratios: a second `check --select ALL` against the first.

For each folder given (default: django 5.2.8's `django/` and CPython's `Lib/` from the bench
corpus), the folder is copied to a scratch folder (the measurement changes a file), then each
round runs, in turn:

- `first`: the cache folder removed, `check --select ALL` (it fills the cache);
- `second`: the same command again, every file unchanged;
- `touched`: one file changed (a comment appended to the largest Python file, or `--touch`),
  then the same command;
- `no-cache`: `check --select ALL --no-cache`.

Each kind runs once to warm the file system cache, then `--repeat` rounds; the medians and the
ratios to `first` are printed. The targets are `second` <= 0.25 and `touched` <= 0.35 of
`first`. The outputs are compared too: `second` must equal `first` and the last `touched`
must equal a `--no-cache` run on the same files, byte for byte; a difference fails the run.

    bench/cache_speed.py --bin target/release/archlint [--repeat 5] [FOLDER ...]
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = [
    ROOT / "bench/.work/corpus/Django-5.2.8/django",
    Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}",
]
TARGETS = {"second": 0.25, "touched": 0.35}
os.environ.pop("ARCHLINT_NO_CACHE", None)


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command, output):
    """Wall and CPU seconds; the findings go to `output`."""
    started, cpu = time.perf_counter(), cpu_of_children()
    with open(output, "wb") as stdout:
        done = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, command))} failed ({done.returncode}): {done.stderr}")
    return elapsed, cpu_of_children() - cpu


def measure(binary, folder, scratch, repeat, touch):
    tree = scratch / "tree"
    shutil.copytree(folder, tree, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    cache = scratch / "cache"
    touched = tree / touch if touch else max(
        (p for p in tree.rglob("*.py") if p.is_file() and not p.is_symlink()),
        key=lambda p: p.stat().st_size,
    )
    out = scratch / "out"
    out.mkdir()

    def check(name, *extra):
        # The findings go to standard output, as in CI and pre-commit, redirected to a file.
        command = [binary, "check", "--select", "ALL", "--isolated", "-q",
                   "--cache-dir", cache, *extra, tree]
        return run(command, out / f"{name}.txt")

    rounds = 0

    def kinds():
        nonlocal rounds
        rounds += 1
        shutil.rmtree(cache, ignore_errors=True)
        yield "first", check("first")
        yield "second", check("second")
        with touched.open("a") as file:
            file.write(f"\n# touched {rounds}\n")
        yield "touched", check("touched")
        yield "no-cache", check("no-cache", "--no-cache")

    for _ in kinds():
        pass
    times = {}
    for _ in range(repeat):
        for name, spent in kinds():
            times.setdefault(name, []).append(spent)
    check("after", "--no-cache")
    same = [
        (a, b, (out / f"{a}.txt").read_bytes() == (out / f"{b}.txt").read_bytes())
        for a, b in [("first", "second"), ("touched", "after")]
    ]
    wall = {n: statistics.median(t[0] for t in v) for n, v in times.items()}
    cpu = {n: statistics.median(t[1] for t in v) for n, v in times.items()}
    return wall, cpu, same, touched.relative_to(tree)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(ROOT / "target/release/archlint"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--touch", help="the file to change, relative to each folder")
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args()
    folders = args.folders or [f for f in DEFAULT_FOLDERS if f.is_dir()]
    if not folders:
        sys.exit("no folder to measure: pass one, or run bench/run once to fetch the corpus")
    print("Wall time (CPU time), medians; ratios of wall time to `first`:\n")
    print("| folder | first | second | ratio | touched | ratio | --no-cache | file touched |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    failed = []
    for folder in folders:
        with tempfile.TemporaryDirectory() as scratch:
            wall, cpu, same, touched = measure(
                args.bin, folder, Path(scratch), args.repeat, args.touch
            )
        ratio = {n: wall[n] / wall["first"] for n in wall}
        cell = lambda n: f"{wall[n]:.3f} s ({cpu[n]:.3f} s)"
        print(
            f"| {folder} | {cell('first')} | {cell('second')} | {ratio['second']:.2f}× "
            f"| {cell('touched')} | {ratio['touched']:.2f}× | {cell('no-cache')} | {touched} |"
        )
        failed += [f"{folder}: {n} is {ratio[n]:.2f}× (target {t})"
                   for n, t in TARGETS.items() if ratio[n] > t]
        failed += [f"{folder}: the output of `{a}` differs from `{b}`" for a, b, ok in same if not ok]
    print()
    for problem in failed:
        print(f"FAIL {problem}")
    if failed:
        sys.exit(1)
    print("PASS: every target met, and the outputs with the cache are the same as without")


if __name__ == "__main__":
    main()
