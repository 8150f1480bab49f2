"""`pyproject.toml` validation against validate-pyproject: one valid file (flask's own) and
mutants of it that each break one rule of PEP 517/518/621/639/735 or the trove list (plus
near misses that must stay valid). validate-pyproject stops at the first error, so each
mutant carries exactly one; both tools say valid or invalid, and every disagreement is
listed. Used by bench/run; standard library only.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"

# (name, text to replace in flask's pyproject.toml, replacement, should be invalid)
MUTATIONS = [
    ("unchanged", None, None, False),
    ("version not PEP 440", 'version = "3.1.2"', 'version = "3.1.2-final"', True),
    ("name invalid", 'name = "Flask"', 'name = "-flask"', True),
    ("unknown [project] key", 'requires-python = ">=3.9"', 'requires-python = ">=3.9"\nhomepage = "https://x.org"', True),
    ("requires-python invalid", 'requires-python = ">=3.9"', 'requires-python = ">=3.9,"', True),
    ("dependency not PEP 508", '"click>=8.1.3",', '"click>==8.1.3",', True),
    ("unknown classifier", '"Typing :: Typed",', '"Typing :: Typed",\n    "Programming Language :: Python :: 3.99",', True),
    ("license not SPDX", 'license = "BSD-3-Clause"', 'license = "BSD 3 clause"', True),
    ("static and dynamic", 'version = "3.1.2"', 'version = "3.1.2"\ndynamic = ["version"]', True),
    ("name dynamic", 'version = "3.1.2"', 'version = "3.1.2"\ndynamic = ["name"]', True),
    ("script not an object reference", 'flask = "flask.cli:main"', 'flask = "flask.cli"', True),
    ("URL without scheme", 'Source = "https://github.com/pallets/flask/"', 'Source = "github.com/pallets/flask/"', True),
    ("extra name invalid", 'dotenv = ["python-dotenv"]', '"-dotenv-" = ["python-dotenv"]', True),
    ("keyword not a string", 'requires-python = ">=3.9"', 'requires-python = ">=3.9"\nkeywords = ["web", 3]', True),
    ("build requirement invalid", 'requires = ["flit_core<4"]', 'requires = ["flit_core<4,"]', True),
    ("build-backend invalid", 'build-backend = "flit_core.buildapi"', 'build-backend = "flit core"', True),
    ("unknown [build-system] key", 'build-backend = "flit_core.buildapi"', 'build-backend = "flit_core.buildapi"\ncache = true', True),
    ("console_scripts in entry-points", "[project.scripts]", '[project.entry-points.console_scripts]\nother = "flask.cli:main"\n\n[project.scripts]', True),
    ("dependency group include missing", 'docs-auto = [\n    "sphinx-autobuild",\n]', 'docs-auto = [\n    "sphinx-autobuild",\n    { include-group = "nope" },\n]', True),
    ("dependency group include cycle", 'docs-auto = [\n    "sphinx-autobuild",\n]', 'docs-auto = [\n    "sphinx-autobuild",\n    { include-group = "docs-auto" },\n]', True),
    ("license file glob matches nothing", 'license-files = ["LICENSE.txt"]', 'license-files = ["COPYING*"]', True),
    ("readme missing", 'readme = "README.md"', 'readme = "README-missing.md"', True),
    ("author name with comma", 'maintainers = [{name = "Pallets", email = "contact@palletsprojects.com"}]', 'maintainers = [{name = "Pallets, Inc", email = "contact@palletsprojects.com"}]', True),
    ("near miss: post-release", 'version = "3.1.2"', 'version = "3.1.2.post1"', False),
    ("near miss: SPDX with OR", 'license = "BSD-3-Clause"', 'license = "BSD-3-Clause OR MIT"', False),
    ("near miss: Private classifier", '"Typing :: Typed",', '"Typing :: Typed",\n    "Private :: Do Not Upload",', False),
    ("near miss: dotted name", 'name = "Flask"', 'name = "Flask.Ext_2"', False),
    ("near miss: include-group", 'docs-auto = [\n    "sphinx-autobuild",\n]', 'docs-auto = [\n    "sphinx-autobuild",\n    { include-group = "docs" },\n]', False),
]


# Why validate-pyproject 0.27 accepts what archlint rejects, mutant by mutant.
PEER_GAPS = {
    "requires-python invalid": "a trailing comma: PEP 440's grammar and uv reject it; `packaging` (validate-pyproject, pip) drops it",
    "build requirement invalid": "a trailing comma: PEP 508's grammar and uv reject it; `packaging` drops it",
    "script not an object reference": "validate-pyproject checks script names, not the `module:object` values",
    "URL without scheme": "validate-pyproject only warns",
    "console_scripts in entry-points": "PEP 621 forbids it; not in validate-pyproject's schema",
    "dependency group include cycle": "validate-pyproject checks the shape of groups, not where includes lead",
    "license file glob matches nothing": "validate-pyproject does not look at the files",
    "readme missing": "validate-pyproject does not look at the files",
    "author name with comma": "PEP 621 forbids commas in names (core metadata joins them); not in validate-pyproject's schema",
}


def compare(archlint, tools, flask_root, work):
    """Markdown lines: which mutants each tool calls invalid, and the time of both."""
    base = (flask_root / "pyproject.toml").read_text()
    folders = []
    shutil.rmtree(work, ignore_errors=True)
    for index, (name, old, new, invalid) in enumerate(MUTATIONS):
        if old is not None and old not in base:
            raise SystemExit(f"bench: flask's pyproject.toml has no {old!r} (mutation {name!r})")
        folder = work / f"{index:02d}"
        folder.mkdir(parents=True)
        (folder / "pyproject.toml").write_text(base if old is None else base.replace(old, new, 1))
        for kept in ("README.md", "LICENSE.txt"):
            shutil.copy(flask_root / kept, folder / kept)
        folders.append((name, folder, invalid))
    rows, ours_time, theirs_time, agreed, right = [], 0.0, 0.0, 0, 0
    for name, folder, invalid in folders:
        started = time.perf_counter()
        ours = subprocess.run([str(archlint), "check", "--isolated", "--select", "PKG002", "--output-format", "concise", "."], cwd=folder, capture_output=True, text=True)
        ours_time += time.perf_counter() - started
        started = time.perf_counter()
        theirs = subprocess.run([str(tools / "validate-pyproject"), "pyproject.toml"], cwd=folder, capture_output=True, text=True)
        theirs_time += time.perf_counter() - started
        ours_invalid = ours.returncode == 1
        theirs_invalid = theirs.returncode != 0
        agreed += ours_invalid == theirs_invalid
        right += ours_invalid == invalid
        if ours_invalid != theirs_invalid or ours_invalid != invalid:
            reason = (theirs.stdout + theirs.stderr).strip().splitlines()
            peer = next((line for line in reason if "ValidationError" in line or "Invalid" in line), reason[-1] if reason else "")
            why = PEER_GAPS.get(name, peer[:120])
            rows.append(f"| {name} | {'invalid' if invalid else 'valid'} | {'invalid' if ours_invalid else 'valid'} | {'invalid' if theirs_invalid else 'valid'} | {why} |")
    lines = [
        f"{len(folders)} files: flask 3.1.2's `pyproject.toml` and mutants of it, each breaking one rule (or a near miss that must stay valid).",
        "",
        f"- archlint PKG002 is right on **{right} of {len(folders)}**; it agrees with validate-pyproject on **{agreed} of {len(folders)}**.",
        f"- Time for all files, one process per file: archlint {ours_time:.3f} s, validate-pyproject {theirs_time:.3f} s (**{theirs_time / ours_time:.0f}×**).",
        "",
    ]
    if rows:
        lines += ["| mutant | expected | archlint | validate-pyproject | cause |", "| --- | --- | --- | --- | --- |", *rows, ""]
    return lines
