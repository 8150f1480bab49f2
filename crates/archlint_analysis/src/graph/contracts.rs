//! Architecture contracts with import-linter's semantics.
//!
//! - `layers`: higher layers first; a lower layer may not import a higher one. With
//!   `containers`, each layer is a subpackage of every container. A layer written `a | b`
//!   holds independent siblings (they may not import each other); `a : b` siblings that may.
//!   A layer in parentheses is optional.
//! - `independence`: no listed module imports another.
//! - `forbidden`: no source module imports a forbidden one (external packages included).
//! - `protected`: only the allowed importers (and the protected modules themselves) import a
//!   protected module directly; with `as-packages` (the default) each module stands for its
//!   descendants.
//! - `private-modules`: a private module (its last part starts with `_` and is not a dunder)
//!   and everything below it is imported only from its parent package or the parent's
//!   descendants; the innermost private ancestor decides.
//! - `acyclic-siblings`: the children of each ancestor (and of each descendant, `depth` levels
//!   down, except below `skip-descendants`) have no dependency cycle, each child standing for
//!   its descendants; a broken contract names the dependencies whose removal makes the
//!   siblings acyclic, chosen as grimp chooses them (the greedy heuristic of Eades, Lin and
//!   Smyth on dependencies weighted by their count of module-to-module imports).
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
use archlint_project::options::{
    Alerting, CommonOptions, Contract, ContractOptions, Declared, UncheckedContract,
};

/// The outcome of one contract.
#[derive(Debug)]
pub struct ContractReport {
    pub name: String,
    /// The contract type (`layers`, …, `tach-module`), or the type as written for a contract
    /// that is not checked.
    pub kind: String,
    /// The file and line that declare the contract.
    pub declared: Option<Declared>,
    /// The contract's `broken-contract-guidance`.
    pub guidance: Option<String>,
    /// Why the contract is not checked at all (an unknown type), if it is not.
    pub not_checked: Option<String>,
    /// Parts of the contract that name nothing in the project, so are not checked (a layer or
    /// a module naming no module).
    pub unmatched: Vec<String>,
    /// Configuration problems (an unmatched ignored import, as `unmatched-ignore-imports-
    /// alerting` asks).
    pub problems: Vec<String>,
    pub violations: Vec<Violation>,
    /// Children of a container that no layer names, in an `exhaustive` layers contract.
    pub undeclared: Vec<usize>,
}

impl ContractReport {
    pub fn new(common: CommonOptions, kind: &str) -> ContractReport {
        ContractReport {
            name: common.name.to_string(),
            kind: kind.to_string(),
            declared: common.declared.cloned(),
            guidance: common.guidance.map(str::to_string),
            not_checked: None,
            unmatched: Vec::new(),
            problems: Vec::new(),
            violations: Vec::new(),
            undeclared: Vec::new(),
        }
    }

    /// A contract archlint cannot check.
    pub fn unchecked(contract: &UncheckedContract) -> ContractReport {
        ContractReport {
            name: contract.name.clone(),
            kind: contract.kind.clone(),
            declared: Some(contract.declared.clone()),
            guidance: None,
            not_checked: Some(contract.reason.clone()),
            unmatched: Vec::new(),
            problems: Vec::new(),
            violations: Vec::new(),
            undeclared: Vec::new(),
        }
    }

    pub fn kept(&self) -> bool {
        self.violations.is_empty() && self.undeclared.is_empty()
    }

    pub fn checked(&self) -> bool {
        self.not_checked.is_none()
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
    /// What the contract type adds (an acyclic-siblings dependency's count of imports).
    pub detail: Option<String>,
}

pub fn check(graph: &ImportGraph, contracts: &ContractOptions) -> Vec<ContractReport> {
    let mut reports = Vec::new();
    let skip_type_checking = contracts.exclude_type_checking.unwrap_or(false);
    let scope = (skip_type_checking, contracts.root_packages.as_slice());
    for contract in contracts.layers.iter().flatten() {
        let mut report = ContractReport::new(contract.common(), "layers");
        let mut search = Search::new(graph, contract.common(), scope, &mut report);
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
                                .unmatched
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
        let mut report = ContractReport::new(contract.common(), "independence");
        let mut search = Search::new(graph, contract.common(), scope, &mut report);
        let modules: Vec<&str> = contract
            .modules
            .iter()
            .map(String::as_str)
            .filter(|m| {
                let found = graph.modules_under(m).next().is_some();
                if !found {
                    search
                        .unmatched
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
        let mut report = ContractReport::new(contract.common(), "forbidden");
        let mut search = Search::new(graph, contract.common(), scope, &mut report);
        for source in &contract.source_modules {
            if graph.modules_under(source).next().is_none() {
                search
                    .unmatched
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
    for contract in contracts.protected.iter().flatten() {
        let mut report = ContractReport::new(contract.common(), "protected");
        let mut search = Search::new(graph, contract.common(), scope, &mut report);
        let as_packages = contract.as_packages.unwrap_or(true);
        let within = |node: usize, of: usize| {
            node == of || (as_packages && is_within(&graph.nodes[node].name, &graph.nodes[of].name))
        };
        let mut allowed: Vec<usize> = Vec::new();
        for expression in &contract.allowed_importers {
            allowed.extend(
                search
                    .expand(expression, "allowed importer")
                    .unwrap_or_default(),
            );
        }
        let mut protected: Vec<usize> = Vec::new();
        for expression in &contract.protected_modules {
            protected.extend(
                search
                    .expand(expression, "protected module")
                    .unwrap_or_default(),
            );
        }
        protected.sort_unstable();
        protected.dedup();
        let mut found: Vec<(usize, usize, Edge)> = search
            .direct_imports()
            // As import-linter does, per protected module: an importer within the same
            // protected module is allowed, one within another protected module is not.
            .filter(|&(from, to, _)| {
                protected.iter().any(|&p| within(to, p) && !within(from, p))
                    && !allowed.iter().any(|&a| within(from, a))
            })
            .collect();
        found.sort_by(|a, b| {
            (&graph.nodes[a.1].name, &graph.nodes[a.0].name)
                .cmp(&(&graph.nodes[b.1].name, &graph.nodes[b.0].name))
        });
        for (from, to, edge) in found {
            let (importer, imported) = (&graph.nodes[from].name, &graph.nodes[to].name);
            search.direct(importer, imported, edge, None);
        }
        search.finish();
        reports.push(report);
    }
    for contract in contracts.private_modules.iter().flatten() {
        let mut report = ContractReport::new(contract.common(), "private_modules");
        let mut search = Search::new(graph, contract.common(), scope, &mut report);
        // The modules whose importers are checked: every module, or the packages listed and
        // their descendants.
        let mut checked: Option<FxHashSet<usize>> = None;
        for expression in contract.packages_with_private_modules.iter().flatten() {
            let Some(packages) = search.expand(expression, "package") else {
                continue;
            };
            let set = checked.get_or_insert_default();
            for package in packages {
                let name = graph.nodes[package].name.clone();
                if name.split('.').any(is_private_name) {
                    search.unmatched.push(format!(
                        "package `{name}` is private or inside a private module, which import-linter refuses; list a public ancestor instead"
                    ));
                    continue;
                }
                set.extend(graph.modules_under(&name));
            }
        }
        let mut found: Vec<(usize, usize, Edge)> = search
            .direct_imports()
            .filter(|&(from, to, _)| {
                checked.as_ref().is_none_or(|set| set.contains(&to))
                    && private_scope(&graph.nodes[to].name)
                        .is_some_and(|parent| !is_within(&graph.nodes[from].name, parent))
            })
            .collect();
        found.sort_by(|a, b| {
            (&graph.nodes[a.0].name, &graph.nodes[a.1].name)
                .cmp(&(&graph.nodes[b.0].name, &graph.nodes[b.1].name))
        });
        for (from, to, edge) in found {
            let imported = &graph.nodes[to].name;
            let parent = private_scope(imported).unwrap_or_default();
            let detail = format!("private to `{parent}`");
            search.direct(&graph.nodes[from].name, imported, edge, Some(detail));
        }
        search.finish();
        reports.push(report);
    }
    for contract in contracts.acyclic_siblings.iter().flatten() {
        let mut report = ContractReport::new(contract.common(), "acyclic_siblings");
        let mut search = Search::new(graph, contract.common(), scope, &mut report);
        let mut ancestors: Vec<usize> = Vec::new();
        for expression in &contract.ancestors {
            ancestors.extend(search.expand(expression, "ancestor").unwrap_or_default());
        }
        let mut skipped: FxHashSet<usize> = FxHashSet::default();
        for expression in contract.skip_descendants.iter().flatten() {
            if contract.ancestors.contains(expression) {
                search.unmatched.push(format!(
                    "`{expression}` is both an ancestor and a skipped descendant, which import-linter refuses"
                ));
            }
            skipped.extend(
                search
                    .expand(expression, "skipped descendant")
                    .unwrap_or_default(),
            );
        }
        ancestors.sort_by(|a, b| graph.nodes[*a].name.cmp(&graph.nodes[*b].name));
        ancestors.dedup();
        let children = children_of(graph);
        let depth = contract.depth.unwrap_or(10);
        let mut packages: Vec<usize> = Vec::new();
        let mut stack: Vec<(usize, usize)> = ancestors.iter().map(|&a| (a, depth)).collect();
        while let Some((package, remaining)) = stack.pop() {
            packages.push(package);
            if remaining > 0 {
                for &child in children.get(&package).into_iter().flatten() {
                    if !skipped.contains(&child) {
                        stack.push((child, remaining - 1));
                    }
                }
            }
        }
        packages.sort_by(|a, b| graph.nodes[*a].name.cmp(&graph.nodes[*b].name));
        packages.dedup();
        for package in packages {
            let Some(siblings) = children.get(&package) else {
                continue;
            };
            let dependencies = search.cycle_breakers(package, siblings);
            let total = dependencies.len();
            for dependency in dependencies {
                let (downstream, upstream) = (
                    &graph.nodes[dependency.downstream].name,
                    &graph.nodes[dependency.upstream].name,
                );
                let count = dependency.imports.len();
                let also: Vec<Edge> = dependency.imports[1..].to_vec();
                let detail = format!(
                    "the children of `{}` import each other in a cycle; removing the dependency of `{downstream}` on `{upstream}` ({count} import{}) is one of the {total} that make them acyclic",
                    graph.nodes[package].name,
                    if count == 1 { "" } else { "s" },
                );
                search.violations.push(Violation {
                    importer: downstream.clone(),
                    imported: upstream.clone(),
                    chain: vec![dependency.imports[0]],
                    other_heads: also,
                    other_tails: Vec::new(),
                    detail: Some(detail),
                });
            }
        }
        search.finish();
        reports.push(report);
    }
    for contract in &contracts.unchecked {
        reports.push(ContractReport::unchecked(contract));
    }
    reports
}

/// For each module, its children in the graph (project modules one part longer), sorted by
/// name.
fn children_of(graph: &ImportGraph) -> FxHashMap<usize, Vec<usize>> {
    let mut children: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for node in 0..graph.project_count {
        let name = &graph.nodes[node].name;
        if let Some((parent, _)) = name.rsplit_once('.')
            && let Some(parent) = graph.find(parent)
        {
            children.entry(parent).or_default().push(node);
        }
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| graph.nodes[*a].name.cmp(&graph.nodes[*b].name));
    }
    children
}

/// A dependency between two siblings whose removal (with the others nominated) makes the
/// siblings acyclic, and the module-to-module imports it stands for.
struct Dependency {
    downstream: usize,
    upstream: usize,
    imports: Vec<Edge>,
}

/// The nodes a module expression names: the module itself, or with `*` (one part) and `**`
/// (one or more parts) every module whose name matches.
fn expand(graph: &ImportGraph, expression: &str) -> Vec<usize> {
    let expression = expression.trim();
    if !expression
        .split('.')
        .any(|part| part == "*" || part == "**")
    {
        return graph.find(expression).into_iter().collect();
    }
    let pattern: Vec<String> = expression.split('.').map(str::to_string).collect();
    (0..graph.nodes.len())
        .filter(|&node| {
            let name: Vec<&str> = graph.nodes[node].name.split('.').collect();
            matches_pattern(&pattern, &name)
        })
        .collect()
}

/// Whether a name (its last part) is private: `_x`, not a dunder such as `__main__`.
fn is_private_name(name: &str) -> bool {
    name.starts_with('_') && !(name.starts_with("__") && name.ends_with("__"))
}

/// The parent package of a module's innermost private part (`a.b` for `a.b._c.d`); a
/// top-level module is never private.
fn private_scope(module: &str) -> Option<&str> {
    let mut end = module.len();
    while let Some(dot) = module[..end].rfind('.') {
        if is_private_name(&module[dot + 1..end]) {
            return Some(&module[..dot]);
        }
        end = dot;
    }
    None
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
    unmatched: &'r mut Vec<String>,
    alerting: Alerting,
    violations: &'r mut Vec<Violation>,
    ignored: Vec<IgnoredImport>,
}

impl<'g, 'r> Search<'g, 'r> {
    fn new(
        graph: &'g ImportGraph,
        common: CommonOptions,
        scope: (bool, &[String]),
        report: &'r mut ContractReport,
    ) -> Self {
        let (skip_type_checking, roots) = scope;
        // Only modules within the root packages are in import-linter's graph (external
        // packages are ends).
        let in_scope = |node: usize| {
            !graph.is_project(node)
                || roots.is_empty()
                || roots
                    .iter()
                    .any(|root| is_within(&graph.nodes[node].name, root))
        };
        let mut ignored: Vec<IgnoredImport> = Vec::new();
        for written in common.ignore_imports {
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
            if !in_scope(edge.from) || !in_scope(edge.to) {
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
            unmatched: &mut report.unmatched,
            alerting: common.alerting,
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
                detail: None,
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

    /// grimp's `nominate_cycle_breakers`: the siblings (each standing for its descendants)
    /// form a graph weighted by the count of module-to-module imports between them; nodes
    /// are ordered by the greedy heuristic of Eades, Lin and Smyth (sources first, sinks
    /// last, then the highest out-weight minus in-weight, ties to the earlier name), and every
    /// dependency pointing backwards in that order is nominated.
    fn cycle_breakers(&self, package: usize, siblings: &[usize]) -> Vec<Dependency> {
        if siblings.len() < 2 {
            return Vec::new();
        }
        let graph = self.graph;
        let prefix = format!("{}.", graph.nodes[package].name);
        // Which sibling a module is within, for every project module.
        let by_name: FxHashMap<&str, usize> = siblings
            .iter()
            .enumerate()
            .map(|(index, &s)| (&graph.nodes[s].name[prefix.len()..], index))
            .collect();
        let within: Vec<Option<usize>> = (0..graph.project_count)
            .map(|node| {
                let rest = graph.nodes[node].name.strip_prefix(&prefix)?;
                by_name.get(rest.split('.').next()?).copied()
            })
            .collect();
        let sibling_of = |node: usize| within.get(node).copied().flatten();
        let n = siblings.len();
        let mut imports: FxHashMap<(usize, usize), Vec<Edge>> = FxHashMap::default();
        for (from, to, edge) in self.direct_imports() {
            if !graph.is_project(to) {
                continue;
            }
            if let (Some(a), Some(b)) = (sibling_of(from), sibling_of(to))
                && a != b
            {
                imports.entry((a, b)).or_default().push(edge);
            }
        }
        if imports.is_empty() {
            return Vec::new();
        }
        let weight = |a: usize, b: usize| imports.get(&(a, b)).map_or(0, Vec::len) as isize;
        let mut remaining: Vec<bool> = vec![true; n];
        let edges_in = |node: usize, remaining: &[bool]| {
            (0..n)
                .filter(|&o| remaining[o] && o != node && weight(o, node) > 0)
                .count()
        };
        let edges_out = |node: usize, remaining: &[bool]| {
            (0..n)
                .filter(|&o| remaining[o] && o != node && weight(node, o) > 0)
                .count()
        };
        let mut sources = Vec::new();
        loop {
            let round: Vec<usize> = (0..n)
                .filter(|&s| remaining[s] && edges_in(s, &remaining) == 0)
                .collect();
            if round.is_empty() {
                break;
            }
            for &s in &round {
                remaining[s] = false;
            }
            sources.extend(round);
        }
        let mut sinks: Vec<usize> = Vec::new();
        loop {
            let round: Vec<usize> = (0..n)
                .filter(|&s| remaining[s] && edges_out(s, &remaining) == 0)
                .collect();
            if round.is_empty() {
                break;
            }
            for &s in &round {
                remaining[s] = false;
            }
            sinks.splice(0..0, round);
        }
        let mut middle = Vec::new();
        while remaining.iter().any(|&r| r) {
            // Siblings are sorted by name, so the first of equal differences is the earlier.
            let best = (0..n)
                .filter(|&s| remaining[s])
                .max_by_key(|&s| {
                    let out: isize = (0..n).filter(|&o| remaining[o]).map(|o| weight(s, o)).sum();
                    let into: isize = (0..n).filter(|&o| remaining[o]).map(|o| weight(o, s)).sum();
                    (out - into, std::cmp::Reverse(s))
                })
                .unwrap_or_default();
            remaining[best] = false;
            middle.push(best);
        }
        let mut position = vec![0; n];
        for (index, &s) in sources.iter().chain(&middle).chain(&sinks).enumerate() {
            position[s] = index;
        }
        let mut found: Vec<Dependency> = imports
            .into_iter()
            .filter(|&((a, b), _)| position[b] < position[a])
            .map(|((a, b), mut edges)| {
                edges.sort_by_key(|e| (e.from, e.line, e.column));
                Dependency {
                    downstream: siblings[a],
                    upstream: siblings[b],
                    imports: edges,
                }
            })
            .collect();
        found.sort_by(|x, y| {
            (
                &graph.nodes[x.downstream].name,
                &graph.nodes[x.upstream].name,
            )
                .cmp(&(
                    &graph.nodes[y.downstream].name,
                    &graph.nodes[y.upstream].name,
                ))
        });
        found
    }

    fn finish(self) {
        if self.alerting == Alerting::None {
            return;
        }
        let how = match self.alerting {
            Alerting::Warn => "import-linter warns: `unmatched_ignore_imports_alerting = warn`",
            _ => {
                "import-linter stops with an error unless `unmatched_ignore_imports_alerting` is `warn` or `none`"
            }
        };
        for ignore in &self.ignored {
            if !ignore.matched {
                self.problems.push(format!(
                    "ignored import `{}` matches no import of the project ({how})",
                    ignore.written
                ));
            }
        }
    }

    /// The modules a module expression names (`*` one part, `**` one or more); `None` when it
    /// names none, which is recorded.
    fn expand(&mut self, expression: &str, what: &str) -> Option<Vec<usize>> {
        let found = expand(self.graph, expression);
        if found.is_empty() {
            self.unmatched.push(format!(
                "{what} `{expression}` names no module of the project"
            ));
            return None;
        }
        Some(found)
    }

    /// Each direct import, once per importer and imported module.
    fn direct_imports(&self) -> impl Iterator<Item = (usize, usize, Edge)> + '_ {
        self.adjacency
            .iter()
            .enumerate()
            .flat_map(|(from, targets)| targets.iter().map(move |&(to, edge)| (from, to, edge)))
    }

    fn direct(&mut self, importer: &str, imported: &str, edge: Edge, detail: Option<String>) {
        self.violations.push(Violation {
            importer: importer.to_string(),
            imported: imported.to_string(),
            chain: vec![edge],
            other_heads: Vec::new(),
            other_tails: Vec::new(),
            detail,
        });
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
