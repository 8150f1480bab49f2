"""Compares the public names per module of two stub folders (archlint's and stubgen's).

usage: stub_names.py ARCHLINT_DIR STUBGEN_DIR [--json]

A module's public names are those its stub exports: its `__all__` when it has one, else
the functions, classes, variables and type aliases without a leading underscore, and the
imports written `x as x`. Prints the agreement and each difference with its cause.
"""
import ast
import json
import pathlib
import sys


def exported(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names, dunder_all, imported = set(), None, set()

    def visit(body):
        nonlocal dunder_all
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        if target.id == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)):
                            dunder_all = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
                        names.add(target.id)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif hasattr(ast, "TypeAlias") and isinstance(node, ast.TypeAlias):
                names.add(node.name.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    imported.add(alias.asname or alias.name.split(".")[0])
                    if alias.asname and (alias.asname == alias.name.split(".")[-1] or alias.asname == alias.name):
                        names.add(alias.asname)
            elif isinstance(node, ast.If):
                visit(node.body)
                visit(node.orelse)

    visit(tree.body)
    if dunder_all is not None:
        return {n for n in dunder_all if not n.startswith("_")}, imported
    return {n for n in names if not n.startswith("_")}, imported


def stubs(folder):
    root = pathlib.Path(folder)
    return {str(p.relative_to(root)): p for p in sorted(root.rglob("*.pyi"))}


def cause(side, name, ours, theirs, stubgen_text):
    """Why a name is public in one stub only."""
    if not stubgen_text.strip():
        return "stubgen wrote an empty stub for this module"
    a_names, a_imported = ours
    s_names, s_imported = theirs
    if "@" in name:
        return "stubgen's internal name for a redefinition"
    if side == "archlint" and name in a_imported and name not in s_imported:
        return "archlint re-exports an import other modules of the project import from here"
    if name in a_imported or name in s_imported:
        return "an import re-exported by one tool only (stubgen re-exports imports used only in annotations; archlint those imported elsewhere)"
    return "other"


def compare(archlint_dir, stubgen_dir):
    ours, theirs = stubs(archlint_dir), stubs(stubgen_dir)
    report = {"modules": 0, "same": 0, "differences": [], "missing_modules": []}
    for module, path in theirs.items():
        if module not in ours:
            report["missing_modules"].append(module)
            continue
        report["modules"] += 1
        a, s = exported(ours[module]), exported(path)
        if a[0] == s[0]:
            report["same"] += 1
        text = path.read_text(encoding="utf-8")
        for side, names in (("archlint", a[0] - s[0]), ("stubgen", s[0] - a[0])):
            for name in sorted(names):
                report["differences"].append(
                    {"module": module, "name": name, "only_in": side, "cause": cause(side, name, a, s, text)}
                )
    return report


if __name__ == "__main__":
    result = compare(sys.argv[1], sys.argv[2])
    if "--json" in sys.argv:
        print(json.dumps(result, indent=1))
    else:
        print(f"{result['same']} of {result['modules']} modules with the same public names")
        causes = {}
        for difference in result["differences"]:
            key = (difference["only_in"], difference["cause"])
            causes.setdefault(key, []).append(f"{difference['module']}:{difference['name']}")
        for (side, why), names in sorted(causes.items(), key=lambda item: -len(item[1])):
            print(f"  only in {side}'s stubs: {len(names)}: {why} (e.g. {', '.join(names[:3])})")
