#!/usr/bin/env python3
"""`archlint report` against `archlint check --select ALL`, in one run, as ratios.

The report runs every rule like `check --select ALL`, then adds the complexity metrics and
the type coverage on the same parse, the graph and dependency facts, and renders the
review; the design allows it 1.5 times the time of the check alone. For each folder given
(default: django 5.2.8's `django/` and CPython's `Lib/` from the bench corpus), each command
runs once to warm the file cache, then `--repeat` times, alternating; the medians and their
ratio are printed, with the size of each output format.

    bench/report_speed.py --bin target/release/archlint [--repeat 5] [FOLDER ...]
"""

import os
import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = [
    ROOT / "bench/.work/corpus/Django-5.2.8/django",
    Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}",
]
TARGET = 1.5


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command):
    """Wall and CPU seconds (CPU time is steadier on a busy machine)."""
    started, cpu = time.perf_counter(), cpu_of_children()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, command))} failed ({done.returncode}): {done.stderr}")
    return elapsed, cpu_of_children() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(ROOT / "target/release/archlint"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args()
    folders = args.folders or [f for f in DEFAULT_FOLDERS if f.is_dir()]
    if not folders:
        sys.exit("no folder to measure: pass one, or run bench/run once to fetch the corpus")
    print("Wall time (CPU time), medians:\n")
    print("| folder | check --select ALL | report (json) | ratio | report (html) | ratio | JSON | HTML | Markdown |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        for folder in folders:
            commands = {
                "check": [args.bin, "check", "--select", "ALL", "--isolated", "-q",
                          "-o", out / "check.txt", folder],
                "json": [args.bin, "report", "--isolated", "-o", out / "r.json", folder],
                "html": [args.bin, "report", "--isolated", "-o", out / "r.html", folder],
            }
            times = {name: [] for name in commands}
            for command in commands.values():
                run(command)
            for _ in range(args.repeat):
                for name, command in commands.items():
                    times[name].append(run(command))
            run([args.bin, "report", "--isolated", "-o", out / "r.md", folder])
            wall = {n: statistics.median(v[0] for v in values) for n, values in times.items()}
            cpu = {n: statistics.median(v[1] for v in values) for n, values in times.items()}
            ratio = {n: wall[n] / wall["check"] for n in wall}
            cpu_ratio = {n: cpu[n] / cpu["check"] for n in cpu}
            worst = max(worst, ratio["json"], ratio["html"])
            size = lambda name: f"{(out / name).stat().st_size / 1e6:.1f} MB"
            cell = lambda n: f"{wall[n]:.2f} s ({cpu[n]:.2f} s)"
            print(
                f"| {folder} | {cell('check')} | {cell('json')} "
                f"| {ratio['json']:.2f}× ({cpu_ratio['json']:.2f}×) | {cell('html')} "
                f"| {ratio['html']:.2f}× ({cpu_ratio['html']:.2f}×) | {size('r.json')} "
                f"| {size('r.html')} | {(out / 'r.md').stat().st_size:,} B |"
            )
    verdict = "within" if worst <= TARGET else "OVER"
    print(f"\nWorst ratio {worst:.2f}× ({verdict} the {TARGET}× target).")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
