#!/usr/bin/env python3
"""Precision of archlint's default run on real projects nobody here tuned it on.

Downloads the pinned sdists of PROJECTS from PyPI (SHA-256 checked against PyPI's), runs
`archlint check .` in each with no configuration of ours (what a new user gets), and matches
the findings with the labels in `labels.jsonl` (one finding per line: project, code, path,
line, label `true`/`false`/`debatable`, and a one-line reason). Prints, per rule, how many
findings the default run gives, how many are labelled, how many are true, the precision
(true / labelled: a debatable label counts against), and whether the rule is on by default;
then findings per 1,000 lines per project and the share of labelled default findings that
are true.

    bench/precision/measure.py [--bin PATH]             # the table (Markdown)
    bench/precision/measure.py --sample OUT --per-rule 15  # unlabelled findings to label
    bench/precision/measure.py --write-table            # also update the rules' figures

`--write-table` writes each rule's labelled and true counts to
`crates/archlint_rules/src/precision.tsv`, which `archlint explain` shows and the registry
meta-tests hold the default set to.

Standard library only.
"""

import argparse
import collections
import hashlib
import json
import os
import random
import subprocess
import sys
import tarfile
import urllib.parse
import urllib.request
from pathlib import Path

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORK = ROOT / "bench" / ".work" / "precision"
LABELS = HERE / "labels.jsonl"
TABLE = ROOT / "crates" / "archlint_rules" / "src" / "precision.tsv"

# Libraries and applications of different kinds and sizes; none is the bench's django, flask
# or requests.
PROJECTS = [
    ("black", "24.10.0"),
    ("celery", "5.4.0"),
    ("fastapi", "0.115.6"),
    ("httpx", "0.28.1"),
    ("Jinja2", "3.1.4"),
    ("pydantic", "2.10.3"),
    ("rich", "13.9.4"),
    ("SQLAlchemy", "2.0.36"),
    # Added to measure the rules the first eight never triggered: Django applications and
    # libraries (templates, raw SQL, mark_safe), a system tool that runs processes, a crawler.
    ("djangorestframework", "3.18.3"),
    ("wagtail", "8.0.1"),
    ("ansible-core", "2.21.5"),
    ("Scrapy", "2.19.0"),
]

PRECISION_TARGET = 0.9


def log(message):
    print(f"precision: {message}", file=sys.stderr, flush=True)


def fetch(project, version):
    """The unpacked sdist of `project==version`, downloaded once and hash-checked."""
    WORK.mkdir(parents=True, exist_ok=True)
    meta_url = f"https://pypi.org/pypi/{project}/json"
    with urllib.request.urlopen(meta_url, timeout=60) as response:
        meta = json.load(response)
    release = next(u for u in meta["releases"][version] if u["packagetype"] == "sdist")
    archive = WORK / release["filename"]
    if not archive.exists() or sha256(archive) != release["digests"]["sha256"]:
        log(f"downloading {release['filename']}")
        url = urllib.parse.urljoin(meta_url, release["url"])
        with urllib.request.urlopen(url, timeout=300) as response:
            archive.write_bytes(response.read())
        if sha256(archive) != release["digests"]["sha256"]:
            archive.unlink()
            raise SystemExit(f"precision: {release['filename']}: SHA-256 mismatch")
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0]
        if not (WORK / top).exists():
            tar.extractall(WORK, filter="data")
    return WORK / top


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(binary):
    if binary:
        return Path(binary).resolve()
    log("building archlint (release)")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return (target if target.is_absolute() else ROOT / target) / "release" / "archlint"


def archlint_json(archlint, root, *args):
    done = subprocess.run(
        [str(archlint), "check", ".", "--output-format", "json", *args],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"precision: archlint failed on {root}: {done.stderr}")
    return json.loads(done.stdout)


def lines_checked(archlint, root):
    """Lines of the files archlint checks in `root`."""
    files = archlint_json(archlint, root, "--show-roles")
    total = 0
    for entry in files:
        try:
            total += (root / entry["path"]).read_bytes().count(b"\n")
        except OSError:
            pass
    return total


def key(project, code, path, line):
    return (project, code, path.removeprefix("./"), line)


def read_labels():
    labels = {}
    if LABELS.exists():
        for number, text in enumerate(LABELS.read_text().splitlines(), 1):
            if not text.strip():
                continue
            entry = json.loads(text)
            if entry["label"] not in ("true", "false", "debatable"):
                raise SystemExit(f"precision: labels.jsonl:{number}: bad label {entry['label']!r}")
            labels[key(entry["project"], entry["code"], entry["path"], entry["line"])] = entry
    return labels


def default_rules(archlint):
    done = subprocess.run(
        [str(archlint), "rules", "--output-format", "json"], capture_output=True, text=True, check=True
    )
    return {rule["code"]: rule for rule in json.loads(done.stdout)}


def run_all(archlint, labelled_codes=()):
    """{project: (root, lines, default findings, measured findings)} for every project: the
    measured run adds the rules that have labels but are off by default, so that turning a
    rule off does not lose its figure."""
    runs = {}
    extra = ["--extend-select", ",".join(sorted(labelled_codes))] if labelled_codes else []
    for project, version in PROJECTS:
        root = fetch(project, version)
        findings = archlint_json(archlint, root)["diagnostics"]
        measured = archlint_json(archlint, root, *extra)["diagnostics"] if extra else findings
        runs[project] = (root, lines_checked(archlint, root), findings, measured)
        log(f"{project} {version}: {len(findings)} default findings")
    return runs


def context(root, path, line, around=6):
    try:
        text = (root / path).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    first = max(1, line - around)
    last = min(len(text), line + around)
    return "\n".join(f"{n:5}{'>' if n == line else ' '} {text[n - 1]}" for n in range(first, last + 1))


def sample(runs, labels, out, per_rule):
    """Writes up to `per_rule` unlabelled findings per rule (labelled ones count towards it),
    spread over the projects, with their context."""
    by_rule = collections.defaultdict(list)
    for project, (root, _, findings, _) in runs.items():
        for finding in findings:
            by_rule[finding["code"]].append((project, root, finding))
    rng = random.Random(14)
    written = 0
    with open(out, "w") as handle:
        for code, entries in sorted(by_rule.items()):
            labelled = sum(
                1 for p, _, f in entries if key(p, code, f["path"], f["start"]["line"]) in labels
            )
            rng.shuffle(entries)
            # Round-robin over projects so one project cannot fill the sample.
            per_project = collections.defaultdict(list)
            for entry in entries:
                per_project[entry[0]].append(entry)
            queue = []
            while any(per_project.values()):
                for project in sorted(per_project):
                    if per_project[project]:
                        queue.append(per_project[project].pop())
            for project, root, finding in queue:
                if labelled >= per_rule:
                    break
                line = finding["start"]["line"]
                if key(project, code, finding["path"], line) in labels:
                    continue
                handle.write(json.dumps({
                    "project": project,
                    "code": code,
                    "name": finding["name"],
                    "role": finding.get("role"),
                    "path": finding["path"].removeprefix("./"),
                    "line": line,
                    "message": finding["message"],
                    "context": context(root, finding["path"], line),
                }) + "\n")
                labelled += 1
                written += 1
    log(f"wrote {written} findings to label to {out}")


def verdicts_of(runs, labels):
    """Per rule, the labels of the findings the measured run gives."""
    verdicts = collections.defaultdict(collections.Counter)
    for project, (_, _, _, measured) in runs.items():
        for finding in measured:
            label = labels.get(key(project, finding["code"], finding["path"], finding["start"]["line"]))
            if label:
                verdicts[finding["code"]][label["label"]] += 1
    return verdicts


def table(runs, labels, rules):
    counts = collections.Counter()
    for _, (_, _, findings, measured) in runs.items():
        counts.update(f["code"] for f in findings)
    verdicts = verdicts_of(runs, labels)
    for code in verdicts:
        counts.setdefault(code, 0)
    lines = [
        "| rule | name | default findings | labelled | true | false | debatable | precision | on by default |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for code in sorted(counts, key=lambda c: (-counts[c], c)):
        v = verdicts[code]
        labelled = sum(v.values())
        precision = f"{100 * v['true'] / labelled:.0f}%" if labelled else "-"
        rule = rules.get(code, {})
        lines.append(
            f"| {code} | {rule.get('name', '')} | {counts[code]} | {labelled} | {v['true']} | "
            f"{v['false']} | {v['debatable']} | {precision} | {'yes' if rule.get('default_enabled') else 'no'} |"
        )
    total_lines = sum(run[1] for run in runs.values())
    total = sum(counts.values())
    lines += ["", "| project | lines checked | default findings | per 1,000 lines |", "| --- | ---: | ---: | ---: |"]
    for project, (_, lines_, findings, _) in runs.items():
        lines.append(f"| {project} | {lines_:,} | {len(findings)} | {1000 * len(findings) / max(lines_, 1):.3f} |")
    lines.append(f"| all | {total_lines:,} | {total} | {1000 * total / max(total_lines, 1):.3f} |")
    # The labelled findings of the default run.
    default_codes = {code for code, count in counts.items() if count}
    labelled = sum(sum(v.values()) for code, v in verdicts.items() if code in default_codes)
    true = sum(v["true"] for code, v in verdicts.items() if code in default_codes)
    # Each rule's precision applied to all its findings: the expected share of true findings.
    expected = sum(
        counts[code] * verdicts[code]["true"] / sum(verdicts[code].values())
        for code in counts
        if sum(verdicts[code].values())
    )
    unlabelled_rules = [code for code in counts if not sum(verdicts[code].values())]
    lines += [
        "",
        f"Labelled default findings: {labelled}, true: {true} ({100 * true / max(labelled, 1):.0f}%).",
        f"Expected true share of all default findings (each rule's precision on its findings): "
        f"{100 * expected / max(total, 1):.0f}%"
        + (f"; rules with no label: {', '.join(sorted(unlabelled_rules))}." if unlabelled_rules else "."),
    ]
    return "\n".join(lines) + "\n"


def write_table(runs, labels):
    """Per rule of the measured run: its findings on the projects, how many are labelled and
    how many of those are true."""
    verdicts = verdicts_of(runs, labels)
    findings = collections.Counter(f["code"] for _, (_, _, _, measured) in runs.items() for f in measured)
    lines = ["# code\tfindings\tlabelled\ttrue: the run on bench/precision's projects (measure.py --write-table)"]
    for code in sorted(findings):
        v = verdicts[code]
        lines.append(f"{code}\t{findings[code]}\t{sum(v.values())}\t{v['true']}")
    TABLE.write_text("\n".join(lines) + "\n")
    log(f"wrote {TABLE.relative_to(ROOT)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", help="an archlint binary to use instead of building one")
    parser.add_argument("--sample", metavar="OUT", help="write unlabelled findings to label to OUT (JSON lines)")
    parser.add_argument("--per-rule", type=int, default=15, help="findings per rule in the sample")
    parser.add_argument("--write-table", action="store_true", help="update the rules' precision table")
    args = parser.parse_args()
    archlint = build(args.bin)
    labels = read_labels()
    runs = run_all(archlint, {entry["code"] for entry in labels.values()})
    if args.sample:
        sample(runs, labels, args.sample, args.per_rule)
        return
    if args.write_table:
        write_table(runs, labels)
    print(table(runs, labels, default_rules(archlint)), end="")


if __name__ == "__main__":
    main()
