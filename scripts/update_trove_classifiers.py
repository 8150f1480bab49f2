#!/usr/bin/env python3
"""Regenerates `crates/archlint_rules/src/pkg/trove_classifiers.txt`, the classifier list PKG002 and PKG004
check `[project].classifiers` against, from the `trove-classifiers` package on PyPI.

    python3 scripts/update_trove_classifiers.py [VERSION]

The wheel is downloaded with pip and its module is read with `ast`, never imported. The
output has one valid classifier per line, then the deprecated ones as
`old<TAB>replacement|replacement` lines after a `# deprecated` marker.
"""

import ast
import pathlib
import subprocess
import sys
import tempfile
import zipfile

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "crates/archlint_rules/src/pkg/trove_classifiers.txt"


def literal(module, name):
    for node in module.body:
        target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
        if isinstance(target, ast.Name) and target.id == name:
            return ast.literal_eval(node.value)
    raise SystemExit(f"trove_classifiers/__init__.py has no literal `{name}`")


def main():
    requirement = "trove-classifiers" + (f"=={sys.argv[1]}" if len(sys.argv) > 1 else "")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary", ":all:", requirement, "--dest", folder],
            check=True,
        )
        wheel = next(pathlib.Path(folder).glob("trove_classifiers-*.whl"))
        version = wheel.name.split("-")[1]
        with zipfile.ZipFile(wheel) as archive:
            source = archive.read("trove_classifiers/__init__.py").decode()
    module = ast.parse(source)
    classifiers = sorted(literal(module, "sorted_classifiers"))
    deprecated = literal(module, "deprecated_classifiers")
    lines = [f"# trove-classifiers {version}, written by scripts/update_trove_classifiers.py"]
    lines += classifiers
    lines.append("# deprecated")
    lines += [f"{old}\t{'|'.join(new)}" for old, new in sorted(deprecated.items())]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    temporary = OUTPUT.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n")
    temporary.replace(OUTPUT)
    print(f"{OUTPUT}: {len(classifiers)} classifiers, {len(deprecated)} deprecated ({version})")


if __name__ == "__main__":
    main()
