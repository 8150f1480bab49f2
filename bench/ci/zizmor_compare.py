#!/usr/bin/env python3
"""archlint's CI rules against zizmor, audit by audit, finding by finding.

    bench/ci/zizmor_compare.py [--bin ARCHLINT] [--zizmor ZIZMOR] [--show N] DIR [DIR...]

Each DIR is a project checkout (its `.github/workflows/`, `action.yml` files, ...), or a
folder of such checkouts (every sub-folder holding `.github/` is one project). Both tools run
on each project, offline and without configuration (`zizmor --offline --no-config --format
json`, the default "regular" persona; `archlint check --isolated --select <the CI rules>`).

A finding is a (file, line, audit). zizmor's line is the first line of each *primary*
location (some findings have two, e.g. `use-trusted-publishing` marks the `uses:` and the
`password:`); an archlint finding agrees when one of them is on its line. Per audit the
script prints: both, only archlint, only zizmor, and up to N of each difference with the
context zizmor gives, classified (`why`) where the difference is a known, documented one.
Nothing third-party is kept in the repository: checkouts come from the command line.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"

# zizmor audit -> archlint code
AUDITS = {
    "unpinned-uses": "CI003",
    "excessive-permissions": "CI004",
    "template-injection": "CI005",
    "dangerous-triggers": "CI006",
    "use-trusted-publishing": "CI007",
    "adhoc-packages": "CI008",
    "artipacked": "CI011",
    "cache-poisoning": "CI012",
}
CODES = {code: audit for audit, code in AUDITS.items()}

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def projects(dirs):
    out = []
    for d in dirs:
        d = os.path.abspath(d)
        if os.path.isdir(os.path.join(d, ".github")) or os.path.isfile(
            os.path.join(d, "action.yml")
        ):
            out.append(d)
            continue
        for name in sorted(os.listdir(d)):
            sub = os.path.join(d, name)
            if os.path.isdir(os.path.join(sub, ".github")):
                out.append(sub)
    return out


def norm(path):
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def run_zizmor(zizmor, project):
    proc = subprocess.run(
        [zizmor, "--offline", "--no-config", "--format", "json", "."],
        cwd=project,
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 1, 10, 11, 12, 13, 14):
        sys.stderr.write(f"zizmor failed on {project} ({proc.returncode}):\n{proc.stderr[-2000:]}\n")
    try:
        findings = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        sys.stderr.write(f"zizmor printed no JSON on {project}\n")
        return []
    out = []
    for f in findings:
        audit = f["ident"]
        if audit not in AUDITS or f.get("ignored"):
            continue
        lines = set()
        path = None
        feature = ""
        for loc in f["locations"]:
            sym = loc["symbolic"]
            if sym.get("kind") != "Primary":
                continue
            key = sym["key"]
            local = key.get("Local") or {}
            path = norm(local.get("verbatim_path") or local.get("given_path") or "")
            lines.add(loc["concrete"]["location"]["start_point"]["row"] + 1)
            feature = feature or loc["concrete"].get("feature", "")
        if path is None:
            continue
        out.append(
            {
                "audit": audit,
                "path": path,
                "lines": lines,
                "severity": f["determinations"]["severity"],
                "feature": feature,
            }
        )
    return out


def run_archlint(binary, project):
    proc = subprocess.run(
        [
            binary,
            "check",
            "--isolated",
            "--select",
            ",".join(CODES),
            "--output-format",
            "json",
            ".",
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 1):
        sys.stderr.write(f"archlint failed on {project}:\n{proc.stderr[-2000:]}\n")
        return []
    out = []
    for d in json.loads(proc.stdout)["diagnostics"]:
        if d["code"] not in CODES:
            continue
        out.append(
            {
                "audit": CODES[d["code"]],
                "path": norm(d["path"]),
                "line": d["start"]["line"],
                "message": d["message"],
            }
        )
    return out


CONTEXT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_*-]+)+")


def why_zizmor_only(f):
    """The documented reason archlint does not report a zizmor finding, if known."""
    audit, feature = f["audit"], f["feature"]
    if audit == "template-injection":
        head = (CONTEXT.findall(feature) or [""])[0].split(".")[0]
        if head in ("env", "matrix", "steps", "needs", "vars", "secrets", "runner", "job", "strategy"):
            return f"`{head}.*` context: archlint reports only `github.*` and `inputs.*`"
        if "inlineScript" in feature or "inlineScript" in f.get("context", ""):
            return "an input of another action that runs code (azure/cli): archlint reads `run:` and github-script"
        if f["severity"] in ("Informational", "Low") and head not in ("github", "inputs"):
            return "zizmor rates it informational/low"
        return None
    if audit == "cache-poisoning" and re.search(r"setup-dotnet|setup-buildx|composer-install|setup-java|setup-ruby|setup-gradle|rust-cache|setup-zig|setup-bun|nix", feature):
        return "an action of another ecosystem: archlint checks the actions of Python projects"
    if audit == "dangerous-triggers":
        return "the trigger alone: archlint reports it only when a job checks out the untrusted head"
    if audit == "adhoc-packages":
        return "zizmor's adhoc-packages covers other package managers and shapes"
    if audit == "use-trusted-publishing" and "pypi" not in feature.lower() and "twine" not in feature and "uv" not in feature and "poetry" not in feature:
        return "not a Python index (npm, RubyGems, crates.io, NuGet): archlint checks Python publishing"
    if audit == "use-trusted-publishing" and re.search(r"\b(cargo|npm|yarn|pnpm|gem|bundle|nuget|dotnet|bun|bunx)\b", feature):
        return "not a Python index (npm, RubyGems, crates.io, NuGet): archlint checks Python publishing"
    return None


def compare(archlint, zizmor):
    by_audit = collections.defaultdict(lambda: {"both": [], "archlint": [], "zizmor": []})
    used = set()
    for a in archlint:
        match = None
        for i, z in enumerate(zizmor):
            if i in used or z["audit"] != a["audit"] or z["path"] != a["path"]:
                continue
            if a["line"] in z["lines"]:
                match = i
                break
        if match is None:
            by_audit[a["audit"]]["archlint"].append(a)
        else:
            used.add(match)
            by_audit[a["audit"]]["both"].append(a)
    for i, z in enumerate(zizmor):
        if i not in used:
            by_audit[z["audit"]]["zizmor"].append(z)
    return by_audit


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--bin", default=os.path.join(REPO, "target/release/archlint"))
    parser.add_argument(
        "--zizmor", default=os.path.join(REPO, "bench/.work/venv/bin/zizmor")
    )
    parser.add_argument("--show", type=int, default=5, help="differences shown per audit and side")
    args = parser.parse_args()
    version = subprocess.run([args.zizmor, "--version"], capture_output=True, text=True).stdout.strip()
    total = collections.defaultdict(lambda: collections.Counter())
    shown = collections.defaultdict(list)
    found = projects(args.dirs)
    for project in found:
        a = run_archlint(args.bin, project)
        z = run_zizmor(args.zizmor, project)
        name = os.path.basename(project)
        for audit, sides in compare(a, z).items():
            for side, items in sides.items():
                total[audit][side] += len(items)
                if side == "both":
                    continue
                for item in items:
                    why = why_zizmor_only(item) if side == "zizmor" else None
                    total[audit][f"{side}:explained" if why else f"{side}:unexplained"] += 1
                    shown[(audit, side)].append((name, item, why))
    print(f"# archlint CI rules against {version} (offline, no config, regular persona)\n")
    print(f"{len(found)} projects: {', '.join(os.path.basename(p) for p in found)}\n")
    print("| zizmor audit | archlint | both | only archlint | only zizmor | of which explained | agreement |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for audit, code in AUDITS.items():
        t = total[audit]
        union = t["both"] + t["archlint"] + t["zizmor"]
        share = f"{100 * t['both'] / union:.0f}%" if union else "-"
        print(
            f"| {audit} | {code} | {t['both']} | {t['archlint']} | {t['zizmor']} "
            f"| {t['zizmor:explained']} | {share} |"
        )
    for (audit, side), items in sorted(shown.items()):
        unexplained = [x for x in items if x[2] is None]
        explained = collections.Counter(x[2] for x in items if x[2])
        print(f"\n## {audit}: only {side} ({len(items)})")
        for why, count in explained.most_common():
            print(f"- {count} × {why}")
        for name, item, _ in unexplained[: args.show]:
            line = item.get("line") or sorted(item.get("lines", []))
            text = item.get("message") or item.get("feature", "").strip().splitlines()[0][:120]
            print(f"- {name}/{item['path']}:{line}  {text}")


if __name__ == "__main__":
    main()
