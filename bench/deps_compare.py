"""Dependency hygiene against deptry: the same project, the same environment for both
(deptry maps imports through the environment it runs in, so archlint gets `--python` with
that environment), time as a ratio, and every difference with its cause.

Used by bench/run; standard library only.
"""

import json
import re
import shutil
import tempfile
from pathlib import Path

DEV_FOLDERS = {"tests", "test", "testing", "docs", "doc", "examples", "example", "scripts", "benchmarks", "bench", "tools", "ci"}


def requirements_from_pkg_info(root):
    """The runtime `Requires-Dist` of an sdist's PKG-INFO, as requirement lines."""
    lines = []
    for line in (root / "PKG-INFO").read_text(errors="replace").splitlines():
        if not line:
            break
        if line.startswith("Requires-Dist:"):
            requirement = line.split(":", 1)[1].strip()
            if "extra ==" not in requirement:
                lines.append(requirement)
    return lines


def deptry_findings(path):
    found = set()
    for item in json.loads(Path(path).read_text()):
        code = item["error"]["code"]
        location = item["location"]
        if code in ("DEP002", "DEP005"):
            found.add((code, item["module"].lower(), None))
        else:
            found.add((code, location["file"], location["line"], item["module"]))
    return found


def archlint_findings(report):
    found = set()
    for d in report["findings"]["diagnostics"]:
        code = d["code"]
        if not code.startswith("DEP"):
            continue
        if code in ("DEP002", "DEP005"):
            name = re.match(r"`([^`]+)`", d["message"]).group(1).lower()
            found.add((code, name, None))
        else:
            module = re.match(r"`([^`]+)`", d["message"]).group(1)
            found.add((code, d["path"], d["start"]["line"], module))
    return found


def guarded(root, file, line):
    """Whether the import at `file:line` sits under a `try:` (a guarded, optional import)."""
    try:
        lines = (root / file).read_text(errors="replace").splitlines()
    except OSError:
        return False
    text = lines[line - 1]
    indent = len(text) - len(text.lstrip())
    for previous in reversed(lines[: line - 1]):
        stripped = previous.strip()
        if not stripped:
            continue
        level = len(previous) - len(previous.lstrip())
        if level < indent:
            if stripped.startswith(("try:", "else:")):
                return True
            indent = level
            if level == 0:
                return False
    return False


# Standard-library modules of older Pythons: archlint leaves them to the version rules.
REMOVED_STDLIB = {"dummy_threading", "_dummy_thread", "asynchat", "asyncore", "imp", "distutils", "smtpd", "imghdr", "cgi", "cgitb", "telnetlib", "pipes", "crypt"}


def cause(finding, side, root, report, deptry_declared):
    """Why one tool reports `finding` and the other does not."""
    code = finding[0]
    rows = {row["name"].lower(): row for row in report["dependencies"]}
    if code in ("DEP002", "DEP005"):
        row = rows.get(finding[1])
        if side == "deptry" and row and row["imported_by"]:
            return f"name mapping: archlint maps `{finding[1]}` to {', '.join(row['modules'])} ({row['modules_from']}), which the code imports"
        if side == "deptry" and row and row["imported_by_dev_code"]:
            return "declared runtime but used only by tests: archlint reports it (DEP002, move to dev)"
        if side == "archlint" and finding[1] not in deptry_declared:
            return "declared where deptry does not read (`setup.py` extras): an extra no code imports"
        return "unexplained"
    file, line, module = finding[1], finding[2], finding[3]
    parts = set(Path(file).parts)
    if side == "deptry" and parts & DEV_FOLDERS:
        return "development code (tests, docs, examples): its undeclared imports are not reported by archlint"
    if side == "deptry" and guarded(root, file, line):
        return "import guarded by try/except ImportError: optional, archlint does not report it"
    if side == "deptry" and module in REMOVED_STDLIB:
        return "standard library of an older Python: the version rules' concern"
    if side == "deptry":
        text = (root / file).read_text(errors="replace").splitlines()
        imports = [i + 1 for i, l in enumerate(text) if re.match(rf"\s*(import|from) {re.escape(module)}\b", l)]
        if any(guarded(root, file, other) for other in imports if other != line):
            return "the same file imports it under try/except ImportError: archlint treats it as optional there"
    if side == "deptry" and (any(p.name == module for p in root.rglob(module)) or any(root.rglob(f"{module}.py"))):
        return "a module of the project (imported through a sys.path entry)"
    if side == "deptry" and any(module in row["modules"] for row in rows.values()):
        return "name mapping: the built-in table gives the distribution deptry could not find"
    return "unexplained"


def compare(archlint, tools, name, root, repeat, timed):
    """Markdown lines comparing `archlint deps` with `deptry` on `root`."""
    deptry = tools / "deptry"
    python = tools.parent
    workdir = Path(tempfile.mkdtemp(prefix="deps-"))
    checked = root
    note = ""
    if not (root / "pyproject.toml").is_file() or "[project]" not in (root / "pyproject.toml").read_text():
        # deptry reads neither setup.py nor setup.cfg: give both tools the sdist's own
        # runtime requirements (PKG-INFO) as requirements.txt, in a copy.
        checked = workdir / root.name
        shutil.copytree(root, checked)
        (checked / "requirements.txt").write_text("\n".join(requirements_from_pkg_info(root)) + "\n")
        note = " (deptry reads neither `setup.py` nor `setup.cfg`: both tools ran on a copy with `requirements.txt` written from PKG-INFO's `Requires-Dist`)"
    out = workdir / "deptry.json"
    ours = timed([str(archlint), "deps", "--isolated", "--python", str(python), "--format", "json", "."], checked, repeat)
    theirs = timed([str(deptry), ".", "--json-output", str(out)], checked, repeat)
    report = json.loads(ours[2])
    mine, peer = archlint_findings(report), deptry_findings(out)
    both = mine & peer
    lines = [
        f"### Dependencies — {name} against deptry{note}",
        "",
        "| run | time (s) | peak RSS (MiB) |",
        "| --- | ---: | ---: |",
        f"| `archlint deps --python <bench venv>` | {ours[0]:.3f} | {ours[1]:.1f} |",
        f"| `deptry .` | {theirs[0]:.3f} | {theirs[1]:.1f} |",
        "",
        f"deptry time / archlint time: **{theirs[0] / ours[0]:.0f}×**. "
        f"Findings: deptry {len(peer)}, archlint {len(mine)}, both {len(both)}.",
        "",
    ]
    # What deptry reads: the requirements file written for it, else the same as archlint.
    if note:
        deptry_declared = {re.split(r"[^A-Za-z0-9._-]", line)[0].lower() for line in (checked / "requirements.txt").read_text().splitlines() if line}
    else:
        deptry_declared = {row["name"].lower() for row in report["dependencies"]}
    differences = [("deptry", f) for f in sorted(peer - mine, key=str)] + [("archlint", f) for f in sorted(mine - peer, key=str)]
    by_cause = {}
    for side, finding in differences:
        shown = f"{finding[0]} `{finding[1]}`" if finding[2] is None else f"{finding[0]} `{finding[3]}` {finding[1]}:{finding[2]}"
        by_cause.setdefault((side, cause(finding, side, checked, report, deptry_declared)), []).append(shown)
    if by_cause:
        lines += ["| only in | cause | findings | examples |", "| --- | --- | ---: | --- |"]
        for (side, why), shown in sorted(by_cause.items(), key=lambda item: (item[0][0], -len(item[1]))):
            lines.append(f"| {side} | {why} | {len(shown)} | {'; '.join(shown[:3])} |")
        lines.append("")
    shutil.rmtree(workdir, ignore_errors=True)
    return lines
