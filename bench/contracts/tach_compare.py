#!/usr/bin/env python3
"""archlint's reading of tach's configuration against `tach check` on real projects that ship a
`tach.toml`.

For each project, both tools run on the project as shipped and on copies whose `tach.toml` is
rewritten so that it breaks (every `depends_on` emptied; for a project with layers, the layers
reversed). `tach check --output json` and `archlint graph --format json` are parsed into the
imports each flags: the file, the line of the imported name, the importing and the imported
tach module, and the imported name. Printed per run: the imports flagged by both, only by
tach, only by archlint, and what archlint reports as not checked (ARCH004). Exit 1 if an
import os
import is flagged by one tool only.

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"

mcp-coder's sdist on PyPI ships its `tach.toml` and is fetched with pip. The other projects'
sdists do not, so they are read from checkouts of their GitHub repositories given on the
command line (the commits measured are in PROJECTS); a project without a checkout is skipped.

    bench/contracts/tach_compare.py [--bin target/release/archlint] [--venv bench/.work/venv] \
        [--checkout horde-sdk=PATH] [--checkout gt4py=PATH] [--checkout bionemo=PATH] [-v]
"""
import argparse
import collections
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
WORK = BENCH / ".work" / "tach"

# name: ("pypi", distribution, version) or ("checkout", GitHub repository, commit measured)
PROJECTS = {
    "mcp-coder": ("pypi", "mcp-coder", "0.1.20"),
    "horde-sdk": ("checkout", "Haidra-Org/horde-sdk", "534826bf221e15ac3c6bf4d8848c1af62b9c0cf7"),
    "gt4py": ("checkout", "GridTools/gt4py", "bfe883c161cf229751cdc4e32713a00bdbbd7ac8"),
    "bionemo": (
        "checkout",
        "NVIDIA/bionemo-framework",
        "3a9d005bffaa711e5964211d3ba34c5e373eb624",
    ),
}


def fetch(venv, name, version):
    WORK.mkdir(parents=True, exist_ok=True)
    stem = f"{name.replace('-', '_')}-{version}"
    if not (WORK / stem).is_dir():
        subprocess.run(
            [str(venv / "bin" / "pip"), "download", "-q", "--no-deps", "--no-binary", ":all:",
             f"{name}=={version}", "-d", str(WORK)],
            check=True,
        )
        with tarfile.open(WORK / f"{stem}.tar.gz") as tar:
            tar.extractall(WORK, filter="data")
    return WORK / stem


# A tiny TOML writer for the shapes tach's configuration uses.
def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def dump(config):
    lines = []
    tables = []
    for key, v in config.items():
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v) and key != "layers":
            tables.append((key, v))
        elif isinstance(v, dict):
            tables.append((key, v))
        else:
            lines.append(f"{key} = {value(v)}")
    for key, v in tables:
        if isinstance(v, dict):
            lines += ["", f"[{key}]"] + [f"{k} = {value(x)}" for k, x in v.items()]
        else:
            for entry in v:
                lines += ["", f"[[{key}]]"] + [f"{k} = {value(x)}" for k, x in entry.items()]
    return "\n".join(lines) + "\n"


def variants(config):
    """The project's own configuration, then rewrites that break it."""
    yield "as shipped", None
    emptied = dict(config)
    emptied["modules"] = [
        {**m, "depends_on": []} if "depends_on" in m else m for m in config.get("modules", [])
    ]
    yield "depends_on emptied", emptied
    if config.get("layers"):
        reversed_layers = dict(config)
        reversed_layers["layers"] = list(reversed(config["layers"]))
        yield "layers reversed", reversed_layers


def tach_check(venv, project, runs=3):
    """The errors of the run that reports most, and every run's count: with two source roots
    that hold the same files (`["src", "."]`), tach 0.35.3 resolves a file to either module
    path from one run to the next, and reports nothing when it takes the longer one."""
    results = [tach_once(venv, project) for _ in range(runs)]
    counts = [sum(r[0].values()) + len(r[1]) for r in results]
    return max(results, key=lambda r: sum(r[0].values()) + len(r[1])), counts


def tach_once(venv, project):
    out = subprocess.run(
        [str(venv / "bin" / "tach"), "check", "--output", "json"],
        cwd=project, capture_output=True, text=True,
    )
    try:
        errors = json.loads(out.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"tach check in {project}: {out.stdout[:500]}{out.stderr[-2000:]}")
    # With source roots `["src", "."]` tach 0.35.3 reports some errors twice, identical.
    errors = list({json.dumps(e, sort_keys=True): e for e in errors}.values())
    flagged = collections.Counter()
    other = []
    for error in errors:
        located = error.get("Located")
        if not located:
            other.append(json.dumps(error, sort_keys=True))
            continue
        code = located["details"].get("Code", located["details"])
        (kind, d), = code.items()
        if not isinstance(d, dict) or "usage_module" not in d:
            other.append(json.dumps(error, sort_keys=True))
            continue
        flagged[(located["file_path"], located.get("original_line_number", located["line_number"]), d["usage_module"],
                 d["definition_module"], d.get("dependency") or d.get("import_mod_path", ""))] += 1
    return flagged, other


IMPORTED = re.compile(r"imports `([^`]+)`|\(`([^`]+)`\)")


def archlint(binary, project):
    out = subprocess.run(
        [str(binary), "graph", "--format", "json"], cwd=project, capture_output=True, text=True,
    )
    if out.returncode not in (0, 1):
        raise SystemExit(f"archlint in {project}: {out.stderr[-2000:]}")
    graph = json.loads(out.stdout)
    files = {m["name"]: m.get("path") for m in graph["modules"]}
    flagged = collections.Counter()
    unchecked = []
    for contract in graph.get("contracts", []):
        if not contract["kind"].startswith("tach"):
            continue
        if not contract["checked"]:
            unchecked.append(f"{contract['name']} (line {contract['line']}): "
                             f"{contract['not_checked']}")
            continue
        for v in contract.get("violations", []):
            edge = v["chain"][0]
            match = IMPORTED.search(v.get("detail") or "")
            name = (match.group(1) or match.group(2)) if match else ""
            flagged[(files.get(edge["from"]), edge["line"], v["importer"], v["imported"],
                     name)] += 1
        for problem in contract.get("problems", []):
            unchecked.append(f"{contract['name']}: problem {problem}")
    return flagged, unchecked


def show(title, keys, verbose):
    print(f"    {title}: {sum(keys.values())}")
    for key in sorted(keys)[: None if verbose else 10]:
        path, line, usage, definition, name = key
        print(f"      {path}:{line} {usage} -> {definition} ({name})")
    if not verbose and len(keys) > 10:
        print(f"      … {len(keys) - 10} more (-v lists all)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(BENCH.parent / "target" / "release" / "archlint"))
    parser.add_argument("--venv", default=str(BENCH / ".work" / "venv"))
    parser.add_argument("--checkout", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    venv = Path(args.venv).resolve()
    binary = Path(args.bin).resolve()
    checkouts = dict(c.split("=", 1) for c in args.checkout)
    differ = False
    for name, (source, what, version) in PROJECTS.items():
        if source == "pypi":
            root = fetch(venv, what, version)
            label = f"{what} {version} (sdist)"
        elif name in checkouts:
            root = Path(checkouts[name]).resolve()
            label = f"{what} (checkout; measured at {version[:12]})"
        else:
            print(f"== {name}: skipped (give --checkout {name}=PATH, {what} at {version[:12]})")
            continue
        config = tomllib.loads((root / "tach.toml").read_text())
        for variant, rewritten in variants(config):
            if rewritten is None:
                project = root
            else:
                project = WORK / "variants" / f"{name}-{variant.replace(' ', '-')}"
                if project.exists():
                    shutil.rmtree(project)
                shutil.copytree(root, project, symlinks=True, ignore=shutil.ignore_patterns(
                    ".git", ".tach", "__pycache__"))
                (project / "tach.toml").write_text(dump(rewritten))
            (tach, tach_other), counts = tach_check(venv, project)
            mine, unchecked = archlint(binary, project)
            both = tach & mine
            only_tach = tach - mine
            only_archlint = mine - tach
            print(f"== {label}, {variant}")
            if len(set(counts)) > 1:
                print(f"    tach's runs disagree, errors per run: {counts} (the largest is compared)")
            print(f"    both: {sum(both.values())}")
            show("only tach", only_tach, args.verbose)
            show("only archlint", only_archlint, args.verbose)
            if tach_other:
                print(f"    tach, not per import: {len(tach_other)}")
                for line in tach_other[: None if args.verbose else 5]:
                    print(f"      {line[:300]}")
            print(f"    archlint, not checked: {len(unchecked)}")
            for line in unchecked:
                print(f"      {line}")
            differ |= bool(only_tach or only_archlint or tach_other)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
