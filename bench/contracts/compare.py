#!/usr/bin/env python3
"""archlint's contracts against `lint-imports` (import-linter) on real projects that declare
contracts, and, with --speed, against grimp's graph build on django with one generated
contract of each type.

Each project's sdist is fetched from PyPI with pip (pinned version, into bench/.work/contracts)
and both tools run on it. For every contract: kept or broken by each tool, and for a broken
one the imports each names (`importer -> imported`, every link of every chain lint-imports
prints; for acyclic_siblings the dependencies between siblings). Exit 1 if they differ.

    bench/contracts/compare.py [--bin target/release/archlint] [--venv bench/.work/venv]
    bench/contracts/compare.py --speed [--repeat 5]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
WORK = BENCH / ".work" / "contracts"

# (distribution, version, source root for sys.path)
PROJECTS = [
    ("import-linter", "2.17", "src"),
    ("kedro", "1.7.0", "."),
    ("sqlfluff", "4.5.0", "src"),
]

# Real projects keep their own contracts, so each is also checked with contracts that break:
# the project's own layers without their `ignore_imports`, and one contract of each new type
# (written as `.importlinter` in a copy, which both tools read before `pyproject.toml`).
VARIANTS = {
    "import-linter": """[importlinter]
root_package = importlinter

[importlinter:contract:layers]
name = Layers, reversed halves
type = layers
containers = importlinter
layers =
    application
    domain
    adapters
    cli

[importlinter:contract:protected]
name = Domain only through application
type = protected
protected_modules = importlinter.domain
allowed_importers = importlinter.application

[importlinter:contract:private]
name = Private modules
type = private_modules

[importlinter:contract:acyclic]
name = Acyclic contracts package
type = acyclic_siblings
ancestors = importlinter
depth = 3
""",
    "kedro": """[importlinter]
root_package = kedro

[importlinter:contract:layers]
name = Kedro layers without their ignored imports
type = layers
containers = kedro
layers =
    framework.cli
    framework.session
    framework.context
    framework.project
    runner
    io
    pipeline
    config

[importlinter:contract:independence]
name = Pipeline and IO without ignores
type = independence
modules =
    kedro.pipeline
    kedro.io

[importlinter:contract:protected]
name = IO through the runner only
type = protected
protected_modules = kedro.io.*
allowed_importers = kedro.runner
as_packages = false

[importlinter:contract:private]
name = Private modules
type = private_modules

[importlinter:contract:acyclic]
name = Acyclic kedro
type = acyclic_siblings
ancestors = kedro
""",
    "sqlfluff": """[importlinter]
root_package = sqlfluff

[importlinter:contract:layers]
name = Core layers without their ignored imports
type = layers
layers =
    sqlfluff.core.linter
    sqlfluff.core.rules
    sqlfluff.core.parser
    sqlfluff.core.errors
    sqlfluff.core.types
    sqlfluff.core.helpers

[importlinter:contract:forbidden]
name = Utils must not import rules
type = forbidden
source_modules = sqlfluff.utils
forbidden_modules = sqlfluff.rules

[importlinter:contract:protected]
name = Parser through the linter
type = protected
protected_modules = sqlfluff.core.parser
allowed_importers = sqlfluff.core.linter

[importlinter:contract:private]
name = Private modules
type = private_modules
packages_with_private_modules = sqlfluff.core

[importlinter:contract:acyclic]
name = Acyclic core
type = acyclic_siblings
ancestors = sqlfluff.core
skip_descendants = sqlfluff.core.rules
""",
}


def fetch(venv, name, version):
    WORK.mkdir(parents=True, exist_ok=True)
    stem = f"{name.replace('-', '_')}-{version}"
    for candidate in (stem, f"{name}-{version}"):
        if (WORK / candidate).is_dir():
            return WORK / candidate
    subprocess.run(
        [str(venv / "bin" / "pip"), "download", "-q", "--no-deps", "--no-binary", ":all:",
         f"{name}=={version}", "-d", str(WORK)],
        check=True,
    )
    for archive in WORK.glob("*.tar.gz"):
        if archive.name.lower().startswith((stem.lower(), f"{name}-{version}".lower())):
            with tarfile.open(archive) as tar:
                tar.extractall(WORK, filter="data")
    for candidate in (stem, f"{name}-{version}"):
        if (WORK / candidate).is_dir():
            return WORK / candidate
    raise SystemExit(f"{name} {version}: no sdist folder in {WORK}")


LINK = re.compile(r"^\s*-?\s*([\w.]+) -> ([\w.]+) \(l\.")
ACYCLIC = re.compile(r"^- \.(\w+) -> \.(\w+) \((\d+) imports?\)")


def lint_imports(venv, project, source_root):
    """Contract name -> (kept, set of links) from lint-imports' text output."""
    env = dict(os.environ, COLUMNS="300", PYTHONPATH=str(project / source_root))
    start = time.perf_counter()
    out = subprocess.run(
        [str(venv / "bin" / "lint-imports"), "--no-cache"], cwd=project, env=env,
        capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    text = out.stdout + out.stderr
    status = {}
    for line in text.splitlines():
        m = re.match(r"^(.*\S) (KEPT|BROKEN)( \(.*\))?$", line)
        if m:
            status[m.group(1)] = [m.group(2) == "KEPT", set()]
    current = None
    package = None
    section = False
    last = [None]
    heads = []
    for line in text.splitlines():
        if line.strip() == "Broken contracts":
            section = True
            continue
        if not section:
            continue
        if line.strip() in status:
            current = line.strip()
            continue
        m = re.match(r"^No cycles are allowed in ([\w.]+)\.", line)
        if m:
            package = m.group(1)
        m = re.match(r"^It could be made acyclic by removing (\d+) dependenc", line)
        if m and current and package:
            status[current][1].add((f"{package} dependencies", m.group(1)))
        if current is None:
            continue
        m = ACYCLIC.match(line)
        if m and package:
            status[current][1].add((f"{package}.{m.group(1)}", f"{package}.{m.group(2)}"))
            continue
        for part in line.split("&"):
            part = part.strip().lstrip("- ")
            m = LINK.match(part)
            if m:
                status[current][1].add((m.group(1), m.group(2)))
                # `- a (l.N)` then `& b -> c`: a route's heads, each importing `c`.
                for head in heads:
                    status[current][1].add((head, m.group(2)))
                heads.clear()
                last[0] = m.group(1)
                continue
            m = re.match(r"^([\w.]+) \(l\.", part)
            if not m:
                continue
            if line.lstrip().startswith("- ") or heads:
                heads.append(m.group(1))
            elif last[0]:
                # `& other (l.N)` after `a -> b`: another module `a` imports (a route's tails).
                status[current][1].add((last[0], m.group(1)))
    return status, elapsed, text


def archlint(binary, project):
    start = time.perf_counter()
    out = subprocess.run(
        [str(binary), "graph", "--format", "json", "."], cwd=project,
        capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    data = json.loads(out.stdout)
    status = {}
    for contract in data.get("contracts", []):
        links = set()
        for violation in contract["violations"]:
            if contract["kind"] == "acyclic_siblings":
                links.add((violation["importer"], violation["imported"]))
                continue
            for edge in violation["chain"] + violation.get("other_heads", []) + violation.get("other_tails", []):
                links.add((edge["from"], edge["to"]))
        if contract["kind"] == "acyclic_siblings":
            # lint-imports shows the first five dependencies of each package (sorted), and
            # how many there are: keep what it would show, and the counts.
            by_package = {}
            for a, b in sorted(links):
                by_package.setdefault(a.rsplit(".", 1)[0], []).append((a, b))
            links = {link for deps in by_package.values() for link in deps[:5]}
            links |= {(f"{p} dependencies", str(len(d))) for p, d in by_package.items()}
        status[contract["name"]] = [contract["kept"], links, contract]
    return status, elapsed


def runs(args):
    for name, version, source_root in PROJECTS:
        project = fetch(args.venv, name, version)
        yield f"{name} {version}", project, source_root
        variant = project.with_name(project.name + "-broken")
        if not variant.is_dir():
            shutil.copytree(project, variant)
            for cfg in ("setup.cfg", ".importlinter"):
                (variant / cfg).unlink(missing_ok=True)
            (variant / ".importlinter").write_text(VARIANTS[name])
        yield f"{name} {version}, contracts that break", variant, source_root


def compare(args):
    differences = 0
    for title, project, source_root in runs(args):
        theirs, their_time, raw = lint_imports(args.venv, project, source_root)
        ours, our_time = archlint(args.bin, project)
        print(f"\n## {title}  (lint-imports {their_time:.2f}s, archlint graph {our_time:.2f}s)\n")
        print("| contract | type | lint-imports | archlint | imports named by both | only lint-imports | only archlint |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        if not theirs:
            print(raw[-2000:])
        for contract in sorted(set(theirs) | set(ours)):
            t = theirs.get(contract)
            o = ours.get(contract)
            kind = o[2]["kind"] if o else "?"
            t_state = "—" if t is None else ("kept" if t[0] else "broken")
            o_state = "—" if o is None else ("kept" if o[0] else ("not checked" if not o[2]["checked"] else "broken"))
            t_links = t[1] if t else set()
            o_links = o[1] if o else set()
            both = t_links & o_links
            only_t = sorted(t_links - o_links)
            only_o = sorted(o_links - t_links)
            if t_state != o_state or only_t or only_o:
                differences += 1
            fmt = lambda links: ", ".join(f"{a} -> {b}" for a, b in links[:4]) + (" …" if len(links) > 4 else "")
            print(f"| {contract} | {kind} | {t_state} | {o_state} | {len(both)} | {len(only_t)} {fmt(only_t)} | {len(only_o)} {fmt(only_o)} |")
    print(f"\n{differences} contract(s) differ")
    return 1 if differences else 0


GENERATED = """[importlinter]
root_package = django

[importlinter:contract:layers]
name = Generated layers
type = layers
containers = django
layers =
    contrib
    db
    utils

[importlinter:contract:independence]
name = Generated independence
type = independence
modules =
    django.db.backends.sqlite3
    django.db.backends.postgresql
    django.db.backends.mysql

[importlinter:contract:forbidden]
name = Generated forbidden
type = forbidden
source_modules = django.utils
forbidden_modules =
    django.db
    django.contrib

[importlinter:contract:protected]
name = Generated protected
type = protected
protected_modules = django.db.models.sql
allowed_importers = django.db.models

[importlinter:contract:private]
name = Generated private modules
type = private_modules

[importlinter:contract:acyclic]
name = Generated acyclic siblings
type = acyclic_siblings
ancestors = django
"""


def speed(args):
    corpus = Path(args.django)
    if not corpus.is_dir():
        corpus = fetch(args.venv, "django", "5.2.8") / "django"
    target = WORK / "django-contracts"
    if not target.is_dir():
        shutil.copytree(corpus, target / "django")
        (target / ".importlinter").write_text(GENERATED)
    python = args.venv / "bin" / "python"
    grimp = [str(python), str(BENCH / "grimp_graph.py"), str(target), "django"]

    def timed(command, **kw):
        runs = []
        for index in range(args.repeat + 1):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, **kw)
            if index:
                runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    env = dict(os.environ, PYTHONPATH=str(target))
    grimp_time = timed(grimp, env=env)
    ours = timed([str(args.bin), "graph", "--format", "json", "."], cwd=target)
    lint = timed([str(args.venv / "bin" / "lint-imports"), "--no-cache"], cwd=target, env=env)
    print(f"grimp build_graph (whole process): {grimp_time:.3f}s")
    print(f"archlint graph with the six generated contracts: {ours:.3f}s ({ours / grimp_time:.2f}x grimp; target <= 1.2x)")
    print(f"lint-imports on the same contracts: {lint:.3f}s")
    theirs, _, _ = lint_imports(args.venv, target, ".")
    mine, _ = archlint(args.bin, target)
    for contract in sorted(theirs):
        t, o = theirs[contract], mine.get(contract)
        same = o is not None and t[0] == o[0] and t[1] == o[1]
        print(f"  {contract}: lint-imports {'kept' if t[0] else 'broken'} ({len(t[1])} imports), "
              f"archlint {'-' if o is None else ('kept' if o[0] else 'broken')} ({0 if o is None else len(o[1])}); {'same' if same else 'DIFFERENT'}")
        if o is not None and not same:
            for label, links in (("only lint-imports", t[1] - o[1]), ("only archlint", o[1] - t[1])):
                if links:
                    print(f"    {label}: " + ", ".join(f"{a} -> {b}" for a, b in sorted(links)))
    return 0 if ours <= 1.2 * grimp_time else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", type=Path, default=BENCH.parent / "target" / "release" / "archlint")
    parser.add_argument("--venv", type=Path, default=BENCH / ".work" / "venv")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--django", default=str(BENCH / ".work" / "corpus" / "django-5.2.8" / "django"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    args.bin = args.bin.resolve()
    args.venv = args.venv.resolve()
    sys.exit(speed(args) if args.speed else compare(args))


if __name__ == "__main__":
    main()
