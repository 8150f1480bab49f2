#!/usr/bin/env python3
"""Writes a requirements file of N `==` pins for the `deps --audit` benchmark.

The names are real packages of an OSV advisory database (a folder of `<package>/<id>.json`
files, or OSV's `all.zip`), each pinned to the oldest version its advisories mention
(the lowest non-zero `introduced`, else the lowest listed or fixed version), so most pins are
vulnerable and the audit does real matching work. Python 3.11 standard library only.

    python3 bench/audit_lock.py --db tests/fixtures/osv/pypi-2024-10-10.zip --count 300 --out /tmp/requirements-300.txt
    target/release/archlint deps --audit --db tests/fixtures/osv/pypi-2024-10-10.zip -r /tmp/requirements-300.txt
"""

import argparse
import json
import pathlib
import re
import sys
import zipfile


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(version: str):
    """A rough PEP 440 sort key: numeric release parts, pre-releases before the release."""
    release = re.match(r"^(\d+(?:\.\d+)*)", version)
    parts = tuple(int(p) for p in release.group(1).split(".")) if release else (0,)
    return parts, version != release.group(1) if release else True


def advisories(db: pathlib.Path):
    if db.is_file() or (db / "all.zip").is_file():
        path = db if db.is_file() else db / "all.zip"
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".json"):
                    yield json.loads(archive.read(name))
    else:
        for path in db.rglob("*.json"):
            yield json.loads(path.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=pathlib.Path)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    args = parser.parse_args()

    oldest: dict[str, tuple[str, str]] = {}
    for advisory in advisories(args.db):
        if advisory.get("withdrawn"):
            continue
        for affected in advisory.get("affected", []):
            package = affected.get("package", {})
            if not package.get("ecosystem", "").startswith("PyPI"):
                continue
            candidates = [
                value
                for r in affected.get("ranges", [])
                if r.get("type") == "ECOSYSTEM"
                for event in r.get("events", [])
                for key, value in event.items()
                if key in ("introduced", "fixed") and value != "0"
            ]
            candidates += affected.get("versions", [])[:1]
            candidates = [c for c in candidates if re.match(r"^\d+(\.\d+)*$", c)]
            if not candidates:
                continue
            version = min(candidates, key=version_key)
            name = package["name"]
            key = normalize(name)
            if key not in oldest or version_key(version) < version_key(oldest[key][1]):
                oldest[key] = (name, version)

    names = sorted(oldest)
    if len(names) < args.count:
        print(f"only {len(names)} packages in {args.db}", file=sys.stderr)
    lines = [f"{oldest[key][0]}=={oldest[key][1]}" for key in names[: args.count]]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} pins to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
