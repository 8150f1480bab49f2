"""Builds grimp's import graph of the given packages (as import-linter does) and prints its
strongly connected components as JSON: `python grimp_graph.py ROOT PACKAGE [PACKAGE…]`.
Run as a whole process by bench/run, to compare with `archlint graph --format json`."""

import json
import sys

import grimp


def components(graph, modules):
    """Tarjan's algorithm, iterative; components of two or more modules."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], 0
    for start in sorted(modules):
        if start in index:
            continue
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        frames = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        while frames:
            node, successors = frames[-1]
            child = next(successors, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    frames.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            frames.pop()
            if frames:
                parent = frames[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def main():
    root, packages = sys.argv[1], sys.argv[2:]
    sys.path.insert(0, root)
    graph = grimp.build_graph(*packages, exclude_type_checking_imports=True, cache_dir=None)
    modules = graph.modules
    print(json.dumps({
        "modules": len(modules),
        "edges": graph.count_imports(),
        "module_names": sorted(modules),
        "components": components(graph, modules),
    }))


if __name__ == "__main__":
    main()
