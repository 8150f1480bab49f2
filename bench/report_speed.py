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

import argparse
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
TARGET = 1.5


def run(command):
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, command))} failed ({done.returncode}): {done.stderr}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(ROOT / "target/release/archlint"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args()
    folders = args.folders or [f for f in DEFAULT_FOLDERS if f.is_dir()]
    if not folders:
        sys.exit("no folder to measure: pass one, or run bench/run once to fetch the corpus")
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
            median = {name: statistics.median(values) for name, values in times.items()}
            ratio_json = median["json"] / median["check"]
            ratio_html = median["html"] / median["check"]
            worst = max(worst, ratio_json, ratio_html)
            size = lambda name: f"{(out / name).stat().st_size / 1e6:.1f} MB"
            print(
                f"| {folder} | {median['check']:.2f} s | {median['json']:.2f} s | {ratio_json:.2f}× "
                f"| {median['html']:.2f} s | {ratio_html:.2f}× | {size('r.json')} | {size('r.html')} "
                f"| {(out / 'r.md').stat().st_size:,} B |"
            )
    verdict = "within" if worst <= TARGET else "OVER"
    print(f"\nWorst ratio {worst:.2f}× ({verdict} the {TARGET}× target).")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
