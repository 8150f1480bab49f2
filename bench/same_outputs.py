"""Whether two archlint binaries give the same output, byte for byte, on the bench corpora.

For a change that must not change behaviour (a refactoring): every command that reports on a
project (`check` in each format, `--show-versions`, `graph`, `graph --metrics`, `types`,
`types --stubs`, `deps`, `package` on the sdist) and `rules`, run by both binaries from the
same folder with the same arguments. Standard library only.
"""

import os
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

# Every archlint run checks afresh, as `ruff --no-cache` does, and writes no cache into
# the corpus (`cache_speed.py` measures the cache).
os.environ["ARCHLINT_NO_CACHE"] = "1"


def commands(root, folder, sdist, stubs):
    """(name, argv without the binary) for one corpus: `root` the unpacked sdist, `folder` the
    package inside it."""
    package = str(root / folder)
    return [
        ("all.json", ["check", "--select", "ALL", "--output-format", "json", package]),
        ("default.txt", ["check", "--output-format", "concise", str(root)]),
        ("all.sarif", ["check", "--select", "ALL", "--output-format", "sarif", str(root)]),
        ("versions.txt", ["check", "--select", "ALL", "--show-versions", package]),
        ("graph.json", ["graph", package, "--format", "json"]),
        ("metrics.txt", ["graph", package, "--metrics"]),
        ("types.json", ["types", str(root), "--format", "json"]),
        ("stubs.txt", ["types", package, "--stubs", str(stubs)]),
        ("deps.json", ["deps", str(root), "--format", "json"]),
        ("package.json", ["package", str(sdist), "--output-format", "json"]),
    ]


def run(binary, argv):
    done = subprocess.run([str(binary), *argv], capture_output=True, timeout=900)
    return done.stdout + done.stderr + f"\nexit {done.returncode}\n".encode()


def tree_digest(folder):
    """The files under `folder` and their SHA-256, as text."""
    lines = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder)}")
    return "\n".join(lines).encode()


def compare(before, after, corpora):
    """`corpora`: (name, unpacked root, package folder, sdist path). Returns Markdown."""
    differing = []
    count = 0
    outputs = {}
    with tempfile.TemporaryDirectory() as scratch:
        for binary in (before, after):
            for name, root, folder, sdist in corpora:
                # The same stub folder for both binaries: `types --stubs` prints it.
                stubs = Path(scratch) / name
                shutil.rmtree(stubs, ignore_errors=True)
                for label, argv in commands(root, folder, sdist, stubs):
                    outputs.setdefault((name, label), []).append(run(binary, argv))
                outputs.setdefault((name, "stubs.tree"), []).append(tree_digest(stubs))
            rules = run(binary, ["rules", "--output-format", "json"])
            outputs.setdefault(("", "rules.json"), []).append(rules)
    for key, (old, new) in sorted(outputs.items()):
        count += 1
        if old != new:
            differing.append(key)
    lines = ["## Same outputs", "", f"`{before}` against `{after}`: {count} outputs compared."]
    if differing:
        lines.append("Different: " + ", ".join(f"{name} {label}".strip() for name, label in differing) + ".")
    else:
        lines.append("All identical, byte for byte.")
    return "\n".join(lines) + "\n", not differing
