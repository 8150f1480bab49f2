//! Coupling metrics per package, after Robert C. Martin: afferent coupling Ca (modules
//! outside the package that import it), efferent coupling Ce (modules inside that import
//! other project packages), instability I = Ce / (Ca + Ce), abstractness A (the share of its
//! classes that are abstract: ABCs, Protocols, classes with an `ABCMeta` metaclass or an
//! `@abstractmethod`) and the distance from the main sequence D = |A + I − 1|.
//!
//! Packages partition the modules as Martin's packages do: a module belongs to the package
//! that directly holds it (a package's `__init__` to the package itself), so a parent package
//! does not swallow its subpackages. Imports of the standard library and third parties are
//! not counted (every module would depend on them), nor `if TYPE_CHECKING:` imports.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::ImportGraph;
use archlint_facts::{DefinitionKind, ImportKind, ModuleFacts};

#[derive(Clone, Debug, Serialize)]
pub struct PackageMetrics {
    pub package: String,
    pub modules: usize,
    pub classes: usize,
    pub abstract_classes: usize,
    pub afferent: usize,
    pub efferent: usize,
    pub instability: f64,
    pub abstractness: f64,
    pub distance: f64,
}

/// The package a module belongs to.
pub fn package_of(graph: &ImportGraph, node: usize) -> &str {
    let module = &graph.nodes[node];
    if module.package {
        return &module.name;
    }
    module
        .name
        .rsplit_once('.')
        .map_or(&module.name, |(parent, _)| parent)
}

const ABSTRACT_BASES: &[&str] = &["abc.ABC", "typing.Protocol", "typing_extensions.Protocol"];

/// How many classes a module defines, and how many of them are abstract.
fn class_counts(facts: &ModuleFacts) -> (usize, usize) {
    let mut abstract_classes: FxHashSet<&str> = FxHashSet::default();
    let mut classes = 0;
    for definition in &facts.definitions {
        match definition.kind {
            DefinitionKind::Class => {
                classes += 1;
                let abstract_base = definition.bases.iter().any(|base| {
                    let base = base.split('[').next().unwrap_or(base);
                    ABSTRACT_BASES.contains(&base)
                }) || definition.metaclass.as_deref() == Some("abc.ABCMeta");
                if abstract_base {
                    abstract_classes.insert(&definition.qualname);
                }
            }
            DefinitionKind::Method | DefinitionKind::AsyncMethod
                if definition
                    .decorators
                    .iter()
                    .any(|d| d == "abc.abstractmethod") =>
            {
                if let Some((class, _)) = definition.qualname.rsplit_once('.') {
                    abstract_classes.insert(class);
                }
            }
            _ => {}
        }
    }
    (classes, abstract_classes.len())
}

/// The metrics of every project package, sorted by name.
pub fn compute(graph: &ImportGraph, modules: &[ModuleFacts]) -> Vec<PackageMetrics> {
    let mut members: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for node in 0..graph.project_count {
        members
            .entry(package_of(graph, node))
            .or_default()
            .push(node);
    }
    let mut importers: FxHashMap<&str, FxHashSet<usize>> = FxHashMap::default();
    let mut exporters: FxHashMap<&str, FxHashSet<usize>> = FxHashMap::default();
    for edge in &graph.edges {
        if !graph.is_project(edge.to) || edge.kind == ImportKind::TypeChecking {
            continue;
        }
        let (from, to) = (package_of(graph, edge.from), package_of(graph, edge.to));
        if from != to {
            importers.entry(to).or_default().insert(edge.from);
            exporters.entry(from).or_default().insert(edge.from);
        }
    }
    let mut metrics: Vec<PackageMetrics> = members
        .iter()
        .map(|(&package, nodes)| {
            let (classes, abstract_classes) = nodes
                .iter()
                .filter_map(|&n| graph.nodes[n].facts)
                .map(|i| class_counts(&modules[i]))
                .fold((0, 0), |(c, a), (c2, a2)| (c + c2, a + a2));
            let afferent = importers.get(package).map_or(0, FxHashSet::len);
            let efferent = exporters.get(package).map_or(0, FxHashSet::len);
            let instability = if afferent + efferent == 0 {
                0.0
            } else {
                efferent as f64 / (afferent + efferent) as f64
            };
            let abstractness = if classes == 0 {
                0.0
            } else {
                abstract_classes as f64 / classes as f64
            };
            PackageMetrics {
                package: package.to_string(),
                modules: nodes.len(),
                classes,
                abstract_classes,
                afferent,
                efferent,
                instability,
                abstractness,
                distance: (abstractness + instability - 1.0).abs(),
            }
        })
        .collect();
    metrics.sort_by(|a, b| a.package.cmp(&b.package));
    metrics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::module;
    use archlint_facts::{Definition, ImportKind::Normal};

    fn class(qualname: &str, bases: &[&str]) -> Definition {
        Definition {
            kind: DefinitionKind::Class,
            qualname: qualname.to_string(),
            line: 1,
            decorators: Vec::new(),
            bases: bases.iter().map(|b| b.to_string()).collect(),
            metaclass: None,
            parameters: 0,
            annotated_parameters: 0,
            annotated_return: false,
        }
    }

    #[test]
    fn coupling_and_abstractness_follow_martins_definitions() {
        let mut api = module("app.api.views", &[("app.core.models", None, 1, Normal)]);
        api.definitions.push(class("View", &[]));
        let mut ports = module("app.core.ports", &[]);
        ports
            .definitions
            .push(class("Repository", &["typing.Protocol[T]"]));
        ports.definitions.push(class("Clock", &["abc.ABC"]));
        let models = module("app.core.models", &[("app.core.ports", None, 1, Normal)]);
        let cli = module("app.cli", &[("app.core.ports", None, 1, Normal)]);
        let modules = [api, ports, models, cli];
        let graph = ImportGraph::build(&modules, 11);
        let metrics = compute(&graph, &modules);
        let core = metrics.iter().find(|m| m.package == "app.core").unwrap();
        assert_eq!((core.afferent, core.efferent, core.modules), (2, 0, 2));
        assert_eq!((core.classes, core.abstract_classes), (2, 2));
        assert_eq!(
            (core.instability, core.abstractness, core.distance),
            (0.0, 1.0, 0.0)
        );
        let api = metrics.iter().find(|m| m.package == "app.api").unwrap();
        assert_eq!((api.afferent, api.efferent, api.distance), (0, 1, 0.0));
    }
}
