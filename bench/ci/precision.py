#!/usr/bin/env python3
"""Precision of the CI rules on the workflows of real Python projects.

    bench/ci/precision.py [--bin ARCHLINT] [--write-table] DIR

`bench/precision/measure.py` measures on sdists, which carry no CI configuration; this is
the same measure for the `CI` rules, on checkouts. DIR holds one checkout per project,
named as below (only `.github/`, `pyproject.toml`, `tox.ini` and `noxfile.py` matter; nothing
third-party is kept in the repository). `labels.jsonl` beside this script labels findings
(project, rule, path, line) `true`, `false` or `debatable` with a reason, as
`bench/precision/labels.jsonl` does; precision is true / labelled.

`--write-table` writes `crates/archlint_rules/src/precision_ci.tsv`, which the registry's
meta-test reads with `precision.tsv`: a CI rule is on by default only at 90% or more.

The checkouts labelled (repository at commit):
    black psf/black 8947c48e         celery celery/celery 5dc781f0b
    fastapi fastapi/fastapi c3f316b7e flask pallets/flask 2ac89889
    httpx encode/httpx ae1b9f66      pip pypa/pip 6d3092057
    pydantic pydantic/pydantic 2151025aa  pytest pytest-dev/pytest df87db7b0
    requests psf/requests 1f6589ec   rich Textualize/rich 42899d8a
    scrapy scrapy/scrapy 11079cb1c
"""

import argparse
import collections
import json
import os
import subprocess
import sys

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TABLE = os.path.join(ROOT, "crates", "archlint_rules", "src", "precision_ci.tsv")
PROJECTS = ["black", "celery", "fastapi", "flask", "httpx", "pip", "pydantic", "pytest",
            "requests", "rich", "scrapy"]


def findings(binary, project_dir):
    proc = subprocess.run(
        [binary, "check", "--isolated", "--select", "CI", "--output-format", "json", "."],
        cwd=project_dir, capture_output=True, text=True,
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"archlint failed in {project_dir}: {proc.stderr}")
    return [d for d in json.loads(proc.stdout)["diagnostics"] if d["code"].startswith("CI")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "archlint"))
    parser.add_argument("--write-table", action="store_true")
    args = parser.parse_args()
    labels = {}
    with open(os.path.join(HERE, "labels.jsonl")) as f:
        for line in f:
            x = json.loads(line)
            labels[(x["project"], x["code"], x["path"], x["line"])] = x["label"]
    counts = collections.defaultdict(collections.Counter)
    unlabelled = []
    for project in PROJECTS:
        path = os.path.join(args.dir, project)
        if not os.path.isdir(path):
            sys.exit(f"missing checkout: {path}")
        for d in findings(args.bin, path):
            key = (project, d["code"], d["path"], d["start"]["line"])
            counts[d["code"]]["findings"] += 1
            label = labels.get(key)
            if label:
                counts[d["code"]][label] += 1
            else:
                unlabelled.append(key)
    print("| rule | findings | labelled | true | debatable | false | precision |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    rows = []
    for code in sorted(counts):
        c = counts[code]
        labelled = c["true"] + c["debatable"] + c["false"]
        share = f"{100 * c['true'] / labelled:.0f}%" if labelled else "-"
        print(f"| {code} | {c['findings']} | {labelled} | {c['true']} | {c['debatable']} | {c['false']} | {share} |")
        rows.append(f"{code}\t{c['findings']}\t{labelled}\t{c['true']}")
    if unlabelled:
        print(f"\n{len(unlabelled)} findings unlabelled, e.g.:")
        for key in unlabelled[:10]:
            print("  ", json.dumps(dict(zip(["project", "code", "path", "line"], key))))
    if args.write_table:
        with open(TABLE, "w") as f:
            f.write("# code\tfindings\tlabelled\ttrue: the CI rules on bench/ci's checkouts (bench/ci/precision.py --write-table)\n")
            f.write("\n".join(rows) + "\n")
        print(f"wrote {os.path.relpath(TABLE, ROOT)}")


if __name__ == "__main__":
    main()
