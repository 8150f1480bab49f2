#!/usr/bin/env python3
"""Whether the stubs `archlint types --stubs` writes parse and type-check, per project.

usage: stubs_check.py [--bin ARCHLINT] [--mypy MYPY] [--out DIR] [--json] FOLDER...

Each FOLDER is a package (`src/requests`, `django`) or a folder of top-level modules
(CPython's `Lib/`). For each: `archlint types --isolated --stubs OUT/NAME` from the folder's
parent (a package) or from the folder itself; then every stub is parsed by the Python
running mypy (a stub that does not parse is a syntax error, counted and left out of the
mypy run, since mypy stops at the first one); then mypy checks the stubs that parse, and the
errors are counted by kind: syntax, "Invalid type" (mypy's `valid-type` code: an annotation
that is not a type, or a name that is no type), and every other code for information.
mypy's whole output is kept in OUT/NAME.mypy.txt.

mypy reads the stubs only (`--no-site-packages`: a third-party import is `import-not-found`,
whatever the environment holds) and caches nothing. A folder of top-level modules is checked
under a package of its own (`OUT/NAME/...` as `NAME.os`, `NAME.json`...): CPython's own
module names would otherwise stand for the standard library's typeshed stubs, which mypy
itself depends on (`typing`, `builtins`, `abc`...).

Exit status 1 when any project has a syntax or "Invalid type" error. Standard library only.
"""

import argparse
import collections
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The mypy error codes reported as their own columns; the others are summed as "other".
SYNTAX = "syntax"
INVALID_TYPE = "valid-type"
ERROR = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?:\d+:)? error: (?P<message>.*?)(?:  \[(?P<code>[a-z-]+)\])?$")


def is_package(folder):
    return (folder / "__init__.py").exists()


def write_stubs(archlint, folder, out):
    """Runs `archlint types --stubs`; the folder mypy is to check and its base."""
    shutil.rmtree(out, ignore_errors=True)
    if is_package(folder):
        target, cwd, checked = folder.name, folder.parent, out / folder.name
    else:
        target, cwd, checked = ".", folder, out
    start = time.perf_counter()
    done = subprocess.run(
        [str(archlint), "types", "--isolated", "--stubs", str(out), target],
        cwd=cwd, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"stubs_check: archlint failed on {folder}:\n{done.stderr[-2000:]}")
    return checked, elapsed


def syntax_errors(python, stubs):
    """The stubs the given Python cannot parse, each with its error."""
    script = (
        "import ast, json, sys\n"
        "bad = {}\n"
        "for path in sys.stdin.read().splitlines():\n"
        "    try:\n"
        "        ast.parse(open(path, encoding='utf-8').read(), path)\n"
        "    except SyntaxError as error:\n"
        "        bad[path] = f'{error.lineno}: {error.msg}'\n"
        "print(json.dumps(bad))\n"
    )
    done = subprocess.run(
        [str(python), "-c", script], input="\n".join(str(p) for p in stubs),
        capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


def run_mypy(mypy, base, files, log):
    """mypy's errors on `files` (paths relative to `base`), as (path, line, message, code)."""
    argv = [
        str(mypy), "--no-incremental", "--cache-dir", "/dev/null", "--no-site-packages",
        "--explicit-package-bases", "--follow-imports", "silent", "--no-error-summary",
        "--show-error-codes", "--hide-error-context",
    ]
    start = time.perf_counter()
    errors = []
    # Argument lists of thousands of paths: mypy reads them from a file.
    listing = base / ".files"
    listing.write_text("\n".join(files) + "\n")
    done = subprocess.run(argv + ["@" + str(listing)], cwd=base, capture_output=True, text=True)
    listing.unlink()
    log.write_text(done.stdout + done.stderr)
    for line in (done.stdout + done.stderr).splitlines():
        match = ERROR.match(line)
        if match:
            errors.append((match["path"], int(match["line"]), match["message"], match["code"] or SYNTAX))
    return errors, time.perf_counter() - start


def check(archlint, mypy, python, folder, out):
    name = folder.name if is_package(folder) else re.sub(r"\W", "_", folder.name).lower()
    stub_dir = out / name
    checked, write_time = write_stubs(archlint, folder, stub_dir)
    stubs = sorted(checked.rglob("*.pyi"))
    unparsed = syntax_errors(python, stubs)
    if is_package(folder):
        base, prefix = stub_dir, []
    else:
        # Top-level modules checked as the package `name`: mypy's base is `out`.
        (stub_dir / "__init__.pyi").touch()
        base, prefix = out, [name]
    files = [str(Path(*prefix, p.relative_to(base / Path(*prefix)))) for p in stubs if str(p) not in unparsed]
    errors, mypy_time = run_mypy(mypy, base, files, out / f"{name}.mypy.txt")
    codes = collections.Counter(code for *_, code in errors)
    codes[SYNTAX] += len(unparsed)
    return {
        "project": str(folder),
        "stubs": len(stubs),
        "write_seconds": round(write_time, 3),
        "mypy_seconds": round(mypy_time, 1),
        "syntax": codes[SYNTAX],
        "invalid_type": codes[INVALID_TYPE],
        "other": sum(n for code, n in codes.items() if code not in (SYNTAX, INVALID_TYPE)),
        "other_by_code": dict(sorted((c, n) for c, n in codes.items() if c not in (SYNTAX, INVALID_TYPE))),
        "examples": [f"{path}:{line}: {message}" for path, line, message, code in errors if code in (SYNTAX, INVALID_TYPE)][:20]
        + [f"{path}: {message}" for path, message in unparsed.items()][:20],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="packages or folders of modules")
    parser.add_argument("--bin", type=Path, default=ROOT / "target" / "release" / "archlint")
    parser.add_argument("--mypy", type=Path, default=ROOT / "bench" / ".work" / "venv" / "bin" / "mypy",
                        help="the pinned mypy (bench/requirements.txt); its Python parses the stubs")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / ".work" / "stubs-check")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    python = args.mypy.parent / "python"
    version = subprocess.run([str(args.mypy), "--version"], capture_output=True, text=True).stdout.strip()
    results = [check(args.bin.resolve(), args.mypy.absolute(), python.absolute(), folder.resolve(), args.out.resolve()) for folder in args.folders]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{version}, on archlint's stubs\n")
        print("| project | stubs | syntax errors | \"Invalid type\" errors | other errors | stubs (s) | mypy (s) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in results:
            print(f"| `{r['project']}` | {r['stubs']} | {r['syntax']} | {r['invalid_type']} | {r['other']} | {r['write_seconds']} | {r['mypy_seconds']} |")
        print()
        for r in results:
            other = ", ".join(f"{code} {n}" for code, n in sorted(r["other_by_code"].items(), key=lambda kv: -kv[1]))
            print(f"- `{r['project']}`: other errors by code: {other or 'none'}")
            for example in r["examples"]:
                print(f"  - {example}")
    return 1 if any(r["syntax"] or r["invalid_type"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
