//! The import graph: one node per project module (and, on demand, per external top-level
//! package), one edge per import with its line and kind, built from the per-module facts
//! without re-parsing.
//!
//! Resolution follows Python and grimp: `from pkg import name` points at `pkg.name` when that
//! is a project module, else at `pkg`; an import of a project module that does not exist
//! points at its nearest existing ancestor; a module importing itself adds no edge. A stub
//! (`.pyi`) beside its module adds no node and no edges of its own: the module runs the `.py`.

pub mod contracts;
pub mod cycles;
pub mod metrics;
pub mod render;
pub mod tach;

use std::path::PathBuf;

use rustc_hash::FxHashMap;
use serde::Serialize;

use archlint_facts::{ImportKind, ModuleFacts, is_within};

/// Where a node's code comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Project,
    Stdlib,
    ThirdParty,
}

#[derive(Clone, Debug, Serialize)]
pub struct Node {
    pub name: String,
    pub origin: Origin,
    /// The file, for project modules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// Whether the module is a package (`__init__`).
    pub package: bool,
    /// The index of its facts in [`ImportGraph::facts`]'s slice, for project modules.
    #[serde(skip)]
    pub facts: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub line: usize,
    pub column: usize,
    pub kind: ImportKind,
}

/// The import graph of a project.
#[derive(Debug, Default)]
pub struct ImportGraph {
    pub nodes: Vec<Node>,
    index: FxHashMap<String, usize>,
    /// Every import, sorted by importer, line and column.
    pub edges: Vec<Edge>,
    /// For each node, the range of its outgoing edges in `edges`.
    outgoing: Vec<std::ops::Range<usize>>,
    /// How many nodes are project modules (they come first).
    pub project_count: usize,
}

impl ImportGraph {
    /// Builds the graph of `modules` (the facts of every file checked); `target_minor` decides
    /// which top-level names are the standard library.
    pub fn build(modules: &[ModuleFacts], target_minor: u8) -> ImportGraph {
        let mut graph = ImportGraph::default();
        // Modules first, `.py` before `.pyi`, so that a stub beside its module is dropped.
        let mut order: Vec<usize> = (0..modules.len())
            .filter(|&i| modules[i].module.is_some())
            .collect();
        let key = |i: usize| {
            let facts = &modules[i];
            let stub = facts.path.extension().is_some_and(|e| e == "pyi");
            (facts.module.as_deref(), stub, facts.path.as_path())
        };
        order.sort_by(|&a, &b| key(a).cmp(&key(b)));
        for i in order {
            let facts = &modules[i];
            let name = facts.module.clone().expect("filtered");
            if graph.index.contains_key(&name) {
                continue;
            }
            graph.index.insert(name.clone(), graph.nodes.len());
            graph.nodes.push(Node {
                name,
                origin: Origin::Project,
                path: Some(facts.path.clone()),
                package: facts.is_package,
                facts: Some(i),
            });
        }
        graph.project_count = graph.nodes.len();

        let mut edges = Vec::new();
        for from in 0..graph.project_count {
            let facts = &modules[graph.nodes[from].facts.expect("project node")];
            for import in &facts.imports {
                if import.module.starts_with('.') {
                    continue; // a relative import above the top-level package
                }
                let target = match import.member.as_deref() {
                    Some(member) if member != "*" => {
                        let submodule = format!("{}.{member}", import.module);
                        if graph.index.contains_key(&submodule) {
                            submodule
                        } else {
                            import.module.clone()
                        }
                    }
                    _ => import.module.clone(),
                };
                let Some(to) = graph.resolve(&target, target_minor) else {
                    continue;
                };
                if to != from {
                    edges.push(Edge {
                        from,
                        to,
                        line: import.line,
                        column: import.column,
                        kind: import.kind,
                    });
                }
            }
        }
        edges.sort_by_key(|e| (e.from, e.line, e.column, e.to));
        edges.dedup_by_key(|e| (e.from, e.to, e.line, e.column));
        graph.outgoing = vec![0..0; graph.nodes.len()];
        let mut start = 0;
        while start < edges.len() {
            let from = edges[start].from;
            let end = start + edges[start..].partition_point(|e| e.from == from);
            graph.outgoing[from] = start..end;
            start = end;
        }
        graph.edges = edges;
        graph
    }

    /// The node of a project module, or its nearest existing project ancestor, or the
    /// external top-level package (added on first use).
    fn resolve(&mut self, module: &str, target_minor: u8) -> Option<usize> {
        let mut name = module;
        loop {
            if let Some(&index) = self.index.get(name) {
                return Some(index);
            }
            match name.rfind('.') {
                Some(dot) => name = &name[..dot],
                None => break,
            }
        }
        let top = module.split('.').next().filter(|t| !t.is_empty())?;
        let origin = if is_stdlib(top, target_minor) {
            Origin::Stdlib
        } else {
            Origin::ThirdParty
        };
        let index = self.nodes.len();
        self.index.insert(top.to_string(), index);
        self.nodes.push(Node {
            name: top.to_string(),
            origin,
            path: None,
            package: true,
            facts: None,
        });
        Some(index)
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn is_project(&self, node: usize) -> bool {
        node < self.project_count
    }

    /// The imports made by `node`, in source order.
    pub fn imports_of(&self, node: usize) -> &[Edge] {
        &self.edges[self.outgoing[node].clone()]
    }

    /// The project modules whose name is `name` or starts with `name.`.
    pub fn modules_under<'g>(&'g self, name: &'g str) -> impl Iterator<Item = usize> + 'g {
        (0..self.nodes.len()).filter(move |&i| is_within(&self.nodes[i].name, name))
    }
}

/// Whether a top-level module is in the standard library of Python 3.`minor` (or built in).
pub fn is_stdlib(top: &str, minor: u8) -> bool {
    ruff_python_stdlib::sys::is_known_standard_library(minor, top)
        || ruff_python_stdlib::sys::is_builtin_module(minor, top)
        || top == "__future__"
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_facts::ImportFact;

    pub(crate) fn module(
        name: &str,
        imports: &[(&str, Option<&str>, usize, ImportKind)],
    ) -> ModuleFacts {
        ModuleFacts {
            path: PathBuf::from(format!("{}.py", name.replace('.', "/"))),
            module: Some(name.to_string()),
            imports: imports
                .iter()
                .map(|&(module, member, line, kind)| ImportFact {
                    module: module.to_string(),
                    member: member.map(str::to_string),
                    bound_as: None,
                    line,
                    column: 1,
                    kind,
                    level: 0,
                    guarded: false,
                })
                .collect(),
            ..ModuleFacts::default()
        }
    }

    fn edges(graph: &ImportGraph) -> Vec<(String, String)> {
        graph
            .edges
            .iter()
            .map(|e| {
                (
                    graph.nodes[e.from].name.clone(),
                    graph.nodes[e.to].name.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn imports_resolve_to_submodules_ancestors_and_external_packages() {
        use ImportKind::Normal;
        let modules = [
            module("pkg", &[("pkg.sub", Some("thing"), 1, Normal)]),
            module("pkg.sub", &[("pkg", Some("sub"), 1, Normal)]),
            module(
                "pkg.other",
                &[
                    ("pkg", Some("sub"), 1, Normal),
                    ("pkg.missing.deep", None, 2, Normal),
                    ("os.path", None, 3, Normal),
                    ("requests", Some("get"), 4, Normal),
                ],
            ),
        ];
        let graph = ImportGraph::build(&modules, 11);
        assert_eq!(
            edges(&graph),
            [
                ("pkg".into(), "pkg.sub".into()),
                ("pkg.other".into(), "pkg.sub".into()),
                ("pkg.other".into(), "pkg".into()),
                ("pkg.other".into(), "os".into()),
                ("pkg.other".into(), "requests".into()),
            ]
        );
        assert_eq!(
            graph.nodes[graph.find("os").unwrap()].origin,
            Origin::Stdlib
        );
        assert_eq!(
            graph.nodes[graph.find("requests").unwrap()].origin,
            Origin::ThirdParty
        );
    }
}
