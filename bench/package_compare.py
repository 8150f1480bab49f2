#!/usr/bin/env python3
"""Compare `archlint package` with check-wheel-contents and `twine check` on a folder of
distributions: per-distribution findings of both sides, the differences with their causes,
and timings as ratios (median of 3). Python 3.11 standard library only.

    python3 bench/package_compare.py ARCHLINT_BIN PEER_VENV DIST_DIR

`bench/run` calls `compare(archlint, venv, dist_dir)`, which returns Markdown lines.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

# What each peer finding corresponds to in archlint, and why a side may see what the other
# does not.
PEER_TO_ARCHLINT = {
    "W001": "PKG014", "W002": "PKG014", "W003": "PKG014", "W004": None, "W005": "PKG014",
    "W006": "PKG014", "W007": None, "W008": None, "W009": "PKG014", "W010": None,
    "E001": "PKG011", "E002": "PKG015", "twine": "PKG017",
}
CAUSES = {
    "W002": "check-wheel-contents W002 compares file *contents* (identical files); archlint PKG014 flags duplicate *names*",
    "W004": "module names that are not identifiers: not checked by archlint",
    "W007": "empty library: not checked by archlint",
    "W008": "empty wheel: not checked by archlint",
    "W009": "several top-level packages: archlint flags only a stray module beside the distribution's own package",
    "W010": "toplevel option: not checked by archlint",
    "PKG016": "sdist completeness: neither peer checks sdist layout",
    "PKG018": "metadata vs pyproject: only inside a project",
    "PKG011": "RECORD hashes: check-wheel-contents reads RECORD but does not recompute hashes",
}


def run(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def median_time(cmd: list[str]) -> float:
    return statistics.median(run(cmd)[0] for _ in range(3))


def archlint_findings(archlint: str, dists: list[Path]) -> dict[str, list[str]]:
    _, done = run([archlint, "package", "--isolated", "--output-format", "json", *map(str, dists)])
    found: dict[str, list[str]] = {d.name: [] for d in dists}
    for d in json.loads(done.stdout)["diagnostics"]:
        found.setdefault(Path(d["path"]).name, []).append(f'{d["code"]} {d["message"]}')
    return found


def cwc_findings(venv: Path, wheels: list[Path]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {w.name: [] for w in wheels}
    if not wheels:
        return found
    _, done = run([str(venv / "bin" / "check-wheel-contents"), *map(str, wheels)])
    for line in done.stdout.splitlines():
        m = re.match(r"^(\S+): ([EW]\d{3}) (.*)", line)
        if m:
            found.setdefault(Path(m.group(1)).name, []).append(f"{m.group(2)} {m.group(3)}")
    return found


def twine_findings(venv: Path, dists: list[Path]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {d.name: [] for d in dists}
    _, done = run([str(venv / "bin" / "twine"), "check", *map(str, dists)])
    current = None
    for line in (done.stdout + done.stderr).splitlines():
        m = re.match(r"^Checking (\S+): (\w+)", line)
        if m:
            current = Path(m.group(1)).name
            if m.group(2) == "FAILED":
                found[current].append("twine FAILED")
        elif current and line.strip().startswith(("ERROR", "WARNING")):
            found[current].append("twine " + line.strip())
    return found


def compare(archlint: str, venv: str | Path, dist_dir: str | Path) -> list[str]:
    """Markdown lines: findings of each side per distribution, differences with causes,
    and timings."""
    venv, dist_dir = Path(venv), Path(dist_dir)
    dists = sorted(p for p in dist_dir.iterdir() if p.name.endswith((".whl", ".tar.gz", ".zip")))
    wheels = [d for d in dists if d.name.endswith(".whl")]
    ours = archlint_findings(archlint, dists)
    cwc = cwc_findings(venv, wheels)
    twine = twine_findings(venv, dists)
    show = lambda found: "; ".join(found) if found else "none"
    lines = [
        "| distribution | archlint | check-wheel-contents | twine check |",
        "| --- | --- | --- | --- |",
    ]
    differences = []
    for d in dists:
        name = d.name
        cwc_text = show(cwc.get(name)) if name in cwc else "(wheels only)"
        lines.append(f"| {name} | {show(ours.get(name))} | {cwc_text} | {show(twine.get(name))} |")
        our_codes = {f.split()[0] for f in ours.get(name, [])}
        peer_codes = {f.split()[0] for f in cwc.get(name, [])}
        if any(f.startswith("twine ERROR") or f == "twine FAILED" for f in twine.get(name, [])):
            peer_codes.add("twine")
        for code in sorted(peer_codes):
            if PEER_TO_ARCHLINT.get(code) not in our_codes:
                differences.append((name, f"peer {code} only", CAUSES.get(code, "to investigate")))
        mapped_peer = {PEER_TO_ARCHLINT.get(c) for c in peer_codes}
        for code in sorted(our_codes - mapped_peer):
            differences.append((name, f"archlint {code} only", CAUSES.get(code, "to investigate")))
    lines.append("")
    if differences:
        lines += ["| distribution | difference | cause |", "| --- | --- | --- |"]
        lines += [f"| {name} | {what} | {cause} |" for name, what, cause in differences]
    else:
        lines.append("No differences: where the tools overlap, they agree.")
    t_ours = median_time([archlint, "package", "--isolated", *map(str, dists)])
    t_cwc = median_time([str(venv / "bin" / "check-wheel-contents"), *map(str, wheels)]) if wheels else 0.0
    t_twine = median_time([str(venv / "bin" / "twine"), "check", *map(str, dists)])
    lines += [
        "",
        "| run (median of 3) | time (s) | / archlint |",
        "| --- | ---: | ---: |",
        f"| `archlint package` (all {len(dists)}) | {t_ours:.3f} | 1× |",
        f"| `check-wheel-contents` ({len(wheels)} wheels) | {t_cwc:.3f} | {t_cwc / t_ours:.1f}× |",
        f"| `twine check` (all {len(dists)}) | {t_twine:.3f} | {t_twine / t_ours:.1f}× |",
        f"| both peers | {t_cwc + t_twine:.3f} | {(t_cwc + t_twine) / t_ours:.1f}× |",
        "",
    ]
    return lines


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    print("\n".join(compare(sys.argv[1], sys.argv[2], sys.argv[3])))
