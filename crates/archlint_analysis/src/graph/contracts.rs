//! Architecture contracts with import-linter's semantics.
//!
//! - `layers`: higher layers first; a lower layer may not import a higher one. With
//!   `containers`, each layer is a subpackage of every container. A layer written `a | b`
//!   holds independent siblings (they may not import each other); `a : b` siblings that may.
//!   A layer in parentheses is optional.
//! - `independence`: no listed module imports another.
//! - `forbidden`: no source module imports a forbidden one (external packages included).
//!
//! A module stands for itself and everything below it. Unless `allow-indirect`, chains of
//! imports count; chains are found as grimp finds them: the shortest chain from the importer
//! to the imported package, then its imports are set aside and the next shortest is sought,
//! until none is left, so every route is reported once, shortest first. When checking one
//! pair of layers (or of independent modules), the other layers are left out of the search,
//! so a chain through another layer is reported for the pair it directly breaks. All kinds
//! of import count, as in import-linter (unless `exclude-type-checking`); `ignore-imports`
//! (`a.b -> c.*`; `*` is one part, `**` one or more) removes imports first, and one that
//! matches nothing is reported.

use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Edge, ImportGraph};
use archlint_facts::is_within;
use archlint_project::options::ContractOptions;

/// The outcome of one contract.
#[derive(Debug)]
pub struct ContractReport {
    pub name: String,
    pub kind: &'static str,
    /// Configuration problems (a layer naming no module, an unmatched ignore).
    pub problems: Vec<String>,
    pub violations: Vec<Violation>,
    /// Children of a container that no layer names, in an `exhaustive` layers contract.
    pub undeclared: Vec<usize>,
}

impl ContractReport {
    fn new(name: &str, kind: &'static str) -> ContractReport {
        ContractReport {
            name: name.to_string(),
            kind,
            problems: Vec::new(),
            violations: Vec::new(),
            undeclared: Vec::new(),
        }
    }

    pub fn kept(&self) -> bool {
        self.violations.is_empty() && self.undeclared.is_empty()
    }
}

/// One chain of imports that breaks a contract.
#[derive(Debug, Clone)]
pub struct Violation {
    /// What may not import what, as the contract names them (`shop.domain` → `shop.ui`).
    pub importer: String,
    pub imported: String,
    /// The imports along the chain, first to last.
    pub chain: Vec<Edge>,
    /// For layers and independence, an indirect chain stands for a route: the other
    /// importer-side modules importing its first middle module, and the other imported-side
    /// modules its last middle module imports (import-linter prints them with `&`).
    pub other_heads: Vec<Edge>,
    pub other_tails: Vec<Edge>,
}

pub fn check(graph: &ImportGraph, contracts: &ContractOptions) -> Vec<ContractReport> {
    let mut reports = Vec::new();
    let skip_type_checking = contracts.exclude_type_checking.unwrap_or(false);
    for contract in contracts.layers.iter().flatten() {
        let mut report = ContractReport::new(&contract.name, "layers");
        let mut search = Search::new(
            graph,
            contract.ignore_imports.as_deref(),
            skip_type_checking,
            &mut report,
        );
        let direct_only = contract.allow_indirect.unwrap_or(false);
        let mut undeclared = Vec::new();
        let containers: Vec<Option<&str>> = match &contract.containers {
            Some(list) if !list.is_empty() => list.iter().map(|c| Some(c.as_str())).collect(),
            _ => vec![None],
        };
        for container in containers {
            // Each layer: its siblings, and whether they are independent of each other.
            let mut layers: Vec<(Vec<String>, bool)> = Vec::new();
            for written in &contract.layers {
                let independent = !written.contains(':');
                let mut siblings = Vec::new();
                for part in written.split(['|', ':']) {
                    let part = part.trim();
                    let (optional, name) =
                        match part.strip_prefix('(').and_then(|p| p.strip_suffix(')')) {
                            Some(inner) => (true, inner.trim()),
                            None => (false, part),
                        };
                    let full = match container {
                        Some(container) => format!("{container}.{name}"),
                        None => name.to_string(),
                    };
                    if graph.modules_under(&full).next().is_none() {
                        if !optional {
                            search
                                .problems
                                .push(format!("layer `{full}` names no module of the project"));
                        }
                        continue;
                    }
                    siblings.push(full);
                }
                layers.push((siblings, independent));
            }
            let every_layer: Vec<&str> = layers
                .iter()
                .flat_map(|(s, _)| s.iter().map(String::as_str))
                .collect();
            if let (Some(container), Some(true)) = (container, contract.exhaustive) {
                let ignores = contract.exhaustive_ignores.as_deref().unwrap_or_default();
                undeclared.extend((0..graph.project_count).filter(|&node| {
                    let name = &graph.nodes[node].name;
                    name.strip_prefix(container)
                        .and_then(|rest| rest.strip_prefix('.'))
                        .is_some_and(|child| {
                            !child.contains('.')
                                && !every_layer.contains(&name.as_str())
                                && !ignores.iter().any(|i| i == child)
                        })
                }));
            }
            for (high_index, (high, _)) in layers.iter().enumerate() {
                for (low, _) in &layers[high_index + 1..] {
                    for lower in low {
                        for higher in high {
                            let others: Vec<&str> = every_layer
                                .iter()
                                .copied()
                                .filter(|l| l != lower && l != higher)
                                .collect();
                            search.violations(lower, higher, &others, direct_only, true);
                        }
                    }
                }
            }
            for (siblings, independent) in &layers {
                if !independent {
                    continue;
                }
                for a in siblings {
                    for b in siblings {
                        if a != b {
                            let others: Vec<&str> = every_layer
                                .iter()
                                .copied()
                                .filter(|l| l != a && l != b)
                                .collect();
                            search.violations(a, b, &others, direct_only, true);
                        }
                    }
                }
            }
        }
        search.finish();
        report.undeclared = undeclared;
        reports.push(report);
    }
    for contract in contracts.independence.iter().flatten() {
        let mut report = ContractReport::new(&contract.name, "independence");
        let mut search = Search::new(
            graph,
            contract.ignore_imports.as_deref(),
            skip_type_checking,
            &mut report,
        );
        let modules: Vec<&str> = contract
            .modules
            .iter()
            .map(String::as_str)
            .filter(|m| {
                let found = graph.modules_under(m).next().is_some();
                if !found {
                    search
                        .problems
                        .push(format!("`{m}` names no module of the project"));
                }
                found
            })
            .collect();
        for a in &modules {
            for b in &modules {
                if a != b {
                    let others: Vec<&str> = modules
                        .iter()
                        .copied()
                        .filter(|m| m != a && m != b)
                        .collect();
                    search.violations(
                        a,
                        b,
                        &others,
                        contract.allow_indirect.unwrap_or(false),
                        true,
                    );
                }
            }
        }
        search.finish();
        reports.push(report);
    }
    for contract in contracts.forbidden.iter().flatten() {
        let mut report = ContractReport::new(&contract.name, "forbidden");
        let mut search = Search::new(
            graph,
            contract.ignore_imports.as_deref(),
            skip_type_checking,
            &mut report,
        );
        for source in &contract.source_modules {
            if graph.modules_under(source).next().is_none() {
                search
                    .problems
                    .push(format!("source `{source}` names no module of the project"));
                continue;
            }
            for forbidden in &contract.forbidden_modules {
                // A source inside a forbidden package (or the reverse) is not checked against it.
                if is_within(source, forbidden) || is_within(forbidden, source) {
                    continue;
                }
                let direct_only = contract.allow_indirect.unwrap_or(false);
                search.violations(source, forbidden, &[], direct_only, false);
            }
        }
        search.finish();
        reports.push(report);
    }
    reports
}

/// An `importer -> imported` pattern of `ignore-imports`.
struct IgnoredImport {
    written: String,
    importer: Vec<String>,
    imported: Vec<String>,
    matched: bool,
}

/// Whether a dotted name matches a pattern whose parts may be `*` (one part) or `**` (one or
/// more parts).
fn matches_pattern(pattern: &[String], name: &[&str]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((head, rest)) if head == "**" => {
            (1..=name.len()).any(|skip| matches_pattern(rest, &name[skip..]))
        }
        Some((head, rest)) => match name.split_first() {
            Some((part, tail)) => (head == "*" || head == part) && matches_pattern(rest, tail),
            None => false,
        },
    }
}

/// The import graph of one contract, with its ignored imports removed, and the chain search.
struct Search<'g, 'r> {
    graph: &'g ImportGraph,
    /// For each node, the modules it imports and the first import of each.
    adjacency: Vec<Vec<(usize, Edge)>>,
    problems: &'r mut Vec<String>,
    violations: &'r mut Vec<Violation>,
    ignored: Vec<IgnoredImport>,
}

impl<'g, 'r> Search<'g, 'r> {
    fn new(
        graph: &'g ImportGraph,
        ignore: Option<&[String]>,
        skip_type_checking: bool,
        report: &'r mut ContractReport,
    ) -> Self {
        let mut ignored: Vec<IgnoredImport> = Vec::new();
        for written in ignore.unwrap_or_default() {
            match written.split_once("->") {
                Some((importer, imported)) => ignored.push(IgnoredImport {
                    written: written.clone(),
                    importer: importer.trim().split('.').map(str::to_string).collect(),
                    imported: imported.trim().split('.').map(str::to_string).collect(),
                    matched: false,
                }),
                None => report.problems.push(format!(
                    "ignored import `{written}` is not written `importer -> imported`"
                )),
            }
        }
        let mut adjacency: Vec<Vec<(usize, Edge)>> = vec![Vec::new(); graph.nodes.len()];
        for edge in &graph.edges {
            if skip_type_checking && edge.kind == archlint_facts::ImportKind::TypeChecking {
                continue;
            }
            let from: Vec<&str> = graph.nodes[edge.from].name.split('.').collect();
            let to: Vec<&str> = graph.nodes[edge.to].name.split('.').collect();
            let mut skip = false;
            for ignore in &mut ignored {
                if matches_pattern(&ignore.importer, &from)
                    && matches_pattern(&ignore.imported, &to)
                {
                    ignore.matched = true;
                    skip = true;
                }
            }
            let targets = &mut adjacency[edge.from];
            if !skip && !targets.iter().any(|(to, _)| *to == edge.to) {
                targets.push((edge.to, *edge));
            }
        }
        Search {
            graph,
            adjacency,
            problems: &mut report.problems,
            violations: &mut report.violations,
            ignored,
        }
    }

    /// Records every chain from a module within `importer` to one within `imported`,
    /// avoiding modules within `excluded`; with `routes`, indirect chains through the same
    /// middle modules are one violation.
    fn violations(
        &mut self,
        importer: &str,
        imported: &str,
        excluded: &[&str],
        direct_only: bool,
        routes: bool,
    ) {
        let graph = self.graph;
        let sources: Vec<usize> = graph.modules_under(importer).collect();
        let targets: FxHashSet<usize> = graph.modules_under(imported).collect();
        let mut found = Vec::new();
        if direct_only {
            for &source in &sources {
                for (to, edge) in &self.adjacency[source] {
                    if targets.contains(to) {
                        found.push(vec![*edge]);
                    }
                }
            }
        } else {
            let blocked: FxHashSet<usize> = excluded
                .iter()
                .flat_map(|name| graph.modules_under(name))
                .collect();
            let mut removed: FxHashSet<(usize, usize)> = FxHashSet::default();
            while let Some(chain) = self.shortest_chain(&sources, &targets, &blocked, &removed) {
                removed.extend(chain.iter().map(|e| (e.from, e.to)));
                found.push(chain);
            }
        }
        found.sort_by_key(|chain| chain.len());
        let source_set: FxHashSet<usize> = sources.iter().copied().collect();
        let mut seen_middles: FxHashSet<Vec<usize>> = FxHashSet::default();
        for chain in found {
            let mut violation = Violation {
                importer: importer.to_string(),
                imported: imported.to_string(),
                other_heads: Vec::new(),
                other_tails: Vec::new(),
                chain,
            };
            if routes && violation.chain.len() > 1 {
                let middle: Vec<usize> = violation.chain[1..].iter().map(|e| e.from).collect();
                if !seen_middles.insert(middle.clone()) {
                    continue;
                }
                let first = violation.chain[0];
                let last = violation.chain[violation.chain.len() - 1];
                let (entry, exit) = (middle[0], middle[middle.len() - 1]);
                for &source in &sources {
                    for &(to, edge) in &self.adjacency[source] {
                        if to == entry && source != first.from {
                            violation.other_heads.push(edge);
                        }
                    }
                }
                for &(to, edge) in &self.adjacency[exit] {
                    if targets.contains(&to) && to != last.to && !source_set.contains(&to) {
                        violation.other_tails.push(edge);
                    }
                }
            }
            self.violations.push(violation);
        }
    }

    /// Breadth-first from every source at once; `None` when no target is reachable.
    fn shortest_chain(
        &self,
        sources: &[usize],
        targets: &FxHashSet<usize>,
        blocked: &FxHashSet<usize>,
        removed: &FxHashSet<(usize, usize)>,
    ) -> Option<Vec<Edge>> {
        let mut reached: FxHashMap<usize, Option<Edge>> =
            sources.iter().map(|&s| (s, None)).collect();
        let mut queue: VecDeque<usize> = sources.iter().copied().collect();
        while let Some(node) = queue.pop_front() {
            for &(to, edge) in &self.adjacency[node] {
                if reached.contains_key(&to)
                    || blocked.contains(&to)
                    || removed.contains(&(node, to))
                {
                    continue;
                }
                reached.insert(to, Some(edge));
                if targets.contains(&to) {
                    let mut chain = vec![edge];
                    let mut at = edge.from;
                    while let Some(Some(previous)) = reached.get(&at) {
                        chain.push(*previous);
                        at = previous.from;
                    }
                    chain.reverse();
                    return Some(chain);
                }
                // Externals are ends, never steps: their own imports are not in the graph.
                if self.graph.is_project(to) {
                    queue.push_back(to);
                }
            }
        }
        None
    }

    fn finish(self) {
        for ignore in &self.ignored {
            if !ignore.matched {
                self.problems.push(format!(
                    "ignored import `{}` matches no import of the project",
                    ignore.written
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> Vec<String> {
        text.split('.').map(str::to_string).collect()
    }

    #[test]
    fn ignore_patterns_take_one_or_any_number_of_parts() {
        let name: Vec<&str> = "shop.ui.views.admin".split('.').collect();
        assert!(matches_pattern(&pattern("shop.ui.views.admin"), &name));
        assert!(matches_pattern(&pattern("shop.*.views.admin"), &name));
        assert!(!matches_pattern(&pattern("shop.*.admin"), &name));
        assert!(matches_pattern(&pattern("shop.**.admin"), &name));
        assert!(matches_pattern(&pattern("shop.**"), &name));
        assert!(!matches_pattern(&pattern("shop.ui.views.admin.**"), &name));
    }
}
