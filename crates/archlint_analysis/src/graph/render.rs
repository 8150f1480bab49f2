//! What `archlint graph` prints: a view of the import graph (focused, folded to packages,
//! with or without external packages) as text, DOT, Mermaid or JSON. The JSON schema is
//! documented in `docs/output-graph.md`.

use std::fmt::Write as _;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::contracts::ContractReport;
use super::cycles::Cycle;
use super::metrics::PackageMetrics;
use super::{Edge, ImportGraph, Origin};
use archlint_facts::ImportKind;
use archlint_facts::is_within;

/// How to cut the graph down before printing it.
#[derive(Clone, Debug, Default)]
pub struct ViewOptions {
    /// Keep this module (and its submodules) and the modules next to it.
    pub focus: Option<String>,
    /// Fold module names to their first `collapse` parts.
    pub collapse: Option<usize>,
    pub include_external: bool,
}

#[derive(Debug, Serialize)]
pub struct ViewModule {
    pub name: String,
    pub origin: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub package: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ViewEdge {
    pub from: String,
    pub to: String,
    /// The line (and column) of the first import, in the importer's file.
    pub line: usize,
    pub column: usize,
    pub kind: ImportKind,
    /// How many imports the edge stands for (more than one once folded to packages).
    pub imports: usize,
}

#[derive(Debug, Serialize)]
pub struct ViewCycle {
    pub modules: Vec<String>,
    /// The shortest cycle, import by import.
    pub shortest: Vec<ViewEdge>,
}

#[derive(Debug, Serialize)]
pub struct ViewContract {
    pub name: String,
    pub kind: String,
    /// The file that declares the contract (relative to the project root) and its line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_in: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// `false` for a contract archlint cannot check (`not_checked` says why).
    pub checked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_checked: Option<String>,
    pub kept: bool,
    /// Parts of the contract that name no module, so are not checked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmatched: Vec<String>,
    pub problems: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
    pub violations: Vec<ViewViolation>,
    /// Modules an exhaustive layers contract does not name.
    pub undeclared: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ViewViolation {
    pub importer: String,
    pub imported: String,
    pub chain: Vec<ViewEdge>,
    /// Other first and last imports of the same route (layers and independence).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_heads: Vec<ViewEdge>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_tails: Vec<ViewEdge>,
    /// What the contract type adds (an acyclic-siblings dependency, a tach interface).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The graph as printed; serialised as is for `--format json`.
#[derive(Debug, Serialize)]
pub struct View {
    pub schema_version: u32,
    pub modules: Vec<ViewModule>,
    pub edges: Vec<ViewEdge>,
    pub cycles: Vec<ViewCycle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Vec<PackageMetrics>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<ViewContract>,
}

fn view_edge(graph: &ImportGraph, edge: &Edge) -> ViewEdge {
    ViewEdge {
        from: graph.nodes[edge.from].name.clone(),
        to: graph.nodes[edge.to].name.clone(),
        line: edge.line,
        column: edge.column,
        kind: edge.kind,
        imports: 1,
    }
}

fn fold(name: &str, depth: Option<usize>) -> String {
    match depth {
        Some(depth) => name
            .split('.')
            .take(depth.max(1))
            .collect::<Vec<_>>()
            .join("."),
        None => name.to_string(),
    }
}

/// Which kind wins when imports fold into one edge: the one that runs first.
fn strongest(a: ImportKind, b: ImportKind) -> ImportKind {
    let rank = |k: ImportKind| match k {
        ImportKind::Normal => 0,
        ImportKind::Conditional => 1,
        ImportKind::Lazy => 2,
        ImportKind::Dynamic => 3,
        ImportKind::TypeChecking => 4,
    };
    if rank(b) < rank(a) { b } else { a }
}

pub fn view(
    graph: &ImportGraph,
    root: &std::path::Path,
    cycles: &[Cycle],
    metrics: Option<Vec<PackageMetrics>>,
    contracts: &[ContractReport],
    options: &ViewOptions,
) -> View {
    let depth = options.collapse;
    let shown = |node: usize| options.include_external || graph.is_project(node);
    // Folded modules, in name order, each with the first file standing for it.
    let mut modules: FxHashMap<String, ViewModule> = FxHashMap::default();
    for (index, node) in graph.nodes.iter().enumerate() {
        if !shown(index) {
            continue;
        }
        let name = fold(&node.name, depth);
        let folded = name != node.name;
        modules.entry(name.clone()).or_insert_with(|| ViewModule {
            name,
            origin: node.origin,
            path: if folded {
                None
            } else {
                node.path.as_ref().map(|p| {
                    archlint_project::settings::relative_to(root, p)
                        .display()
                        .to_string()
                })
            },
            package: node.package || folded,
        });
    }
    let mut edges: Vec<ViewEdge> = Vec::new();
    let mut positions: FxHashMap<(String, String), usize> = FxHashMap::default();
    for edge in &graph.edges {
        if !shown(edge.to) {
            continue;
        }
        let (from, to) = (
            fold(&graph.nodes[edge.from].name, depth),
            fold(&graph.nodes[edge.to].name, depth),
        );
        if from == to {
            continue;
        }
        match positions.get(&(from.clone(), to.clone())) {
            Some(&at) => {
                edges[at].imports += 1;
                edges[at].kind = strongest(edges[at].kind, edge.kind);
            }
            None => {
                positions.insert((from.clone(), to.clone()), edges.len());
                edges.push(ViewEdge {
                    from,
                    to,
                    ..view_edge(graph, edge)
                });
            }
        }
    }
    if let Some(focus) = &options.focus {
        let focus = fold(focus, depth);
        let near: rustc_hash::FxHashSet<String> = edges
            .iter()
            .filter(|e| is_within(&e.from, &focus) || is_within(&e.to, &focus))
            .flat_map(|e| [e.from.clone(), e.to.clone()])
            .chain(modules.keys().filter(|m| is_within(m, &focus)).cloned())
            .collect();
        edges.retain(|e| is_within(&e.from, &focus) || is_within(&e.to, &focus));
        modules.retain(|name, _| near.contains(name));
    }
    let mut modules: Vec<ViewModule> = modules.into_values().collect();
    modules.sort_by(|a, b| a.name.cmp(&b.name));
    edges.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));

    let cycles = cycles
        .iter()
        .map(|cycle| ViewCycle {
            modules: cycle
                .members
                .iter()
                .map(|&m| graph.nodes[m].name.clone())
                .collect(),
            shortest: cycle.shortest.iter().map(|e| view_edge(graph, e)).collect(),
        })
        .filter(|cycle| {
            options
                .focus
                .as_ref()
                .is_none_or(|focus| cycle.modules.iter().any(|m| is_within(m, focus)))
        })
        .collect();
    let contracts = contracts
        .iter()
        .map(|report| ViewContract {
            name: report.name.clone(),
            kind: report.kind.clone(),
            declared_in: report.declared.as_ref().map(|d| {
                archlint_project::settings::relative_to(root, &d.path)
                    .display()
                    .to_string()
            }),
            line: report.declared.as_ref().map(|d| d.line),
            checked: report.checked(),
            not_checked: report.not_checked.clone(),
            kept: report.checked() && report.kept(),
            unmatched: report.unmatched.clone(),
            problems: report.problems.clone(),
            guidance: report.guidance.clone(),
            violations: report
                .violations
                .iter()
                .map(|v| ViewViolation {
                    importer: v.importer.clone(),
                    imported: v.imported.clone(),
                    chain: v.chain.iter().map(|e| view_edge(graph, e)).collect(),
                    other_heads: v.other_heads.iter().map(|e| view_edge(graph, e)).collect(),
                    other_tails: v.other_tails.iter().map(|e| view_edge(graph, e)).collect(),
                    detail: v.detail.clone(),
                })
                .collect(),
            undeclared: report
                .undeclared
                .iter()
                .map(|&n| graph.nodes[n].name.clone())
                .collect(),
        })
        .collect();
    View {
        schema_version: 1,
        modules,
        edges,
        cycles,
        metrics,
        contracts,
    }
}

fn kind_note(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Normal => "",
        ImportKind::TypeChecking => ", type-checking only",
        ImportKind::Lazy => ", lazy",
        ImportKind::Conditional => ", conditional",
        ImportKind::Dynamic => ", dynamic",
    }
}

fn chain_text(chain: &[ViewEdge], paths: &FxHashMap<&str, &str>) -> String {
    let mut text = chain.first().map(|e| e.from.clone()).unwrap_or_default();
    for edge in chain {
        let path = paths
            .get(edge.from.as_str())
            .copied()
            .unwrap_or(edge.from.as_str());
        let _ = write!(text, " → {} ({path}:{})", edge.to, edge.line);
    }
    text
}

pub fn text(view: &View) -> String {
    let mut out = String::new();
    let paths: FxHashMap<&str, &str> = view
        .modules
        .iter()
        .filter_map(|m| Some((m.name.as_str(), m.path.as_deref()?)))
        .collect();
    let mut by_importer: FxHashMap<&str, Vec<&ViewEdge>> = FxHashMap::default();
    for edge in &view.edges {
        by_importer
            .entry(edge.from.as_str())
            .or_default()
            .push(edge);
    }
    for module in &view.modules {
        let Some(edges) = by_importer.get(module.name.as_str()) else {
            if module.origin == Origin::Project {
                let _ = writeln!(out, "{}", module.name);
            }
            continue;
        };
        let _ = writeln!(out, "{}", module.name);
        for edge in edges {
            let count = if edge.imports > 1 {
                format!(", {} imports", edge.imports)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  → {} (line {}{}{count})",
                edge.to,
                edge.line,
                kind_note(edge.kind)
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{} modules, {} imports, {} import cycles",
        view.modules.len(),
        view.edges.len(),
        view.cycles.len()
    );
    for (number, cycle) in view.cycles.iter().enumerate() {
        let _ = writeln!(
            out,
            "  cycle {}: {} modules ({}); shortest: {}",
            number + 1,
            cycle.modules.len(),
            cycle.modules.join(", "),
            chain_text(&cycle.shortest, &paths)
        );
    }
    if let Some(metrics) = &view.metrics {
        let _ = writeln!(
            out,
            "\n{:<40} {:>4} {:>4} {:>4} {:>5} {:>5} {:>5}",
            "package", "mods", "Ca", "Ce", "I", "A", "D"
        );
        for m in metrics {
            let _ = writeln!(
                out,
                "{:<40} {:>4} {:>4} {:>4} {:>5.2} {:>5.2} {:>5.2}",
                m.package,
                m.modules,
                m.afferent,
                m.efferent,
                m.instability,
                m.abstractness,
                m.distance
            );
        }
    }
    for contract in &view.contracts {
        let state = match (contract.checked, contract.kept) {
            (false, _) => "NOT CHECKED",
            (true, true) => "KEPT",
            (true, false) => "BROKEN",
        };
        let declared = match (&contract.declared_in, contract.line) {
            (Some(path), Some(line)) => format!(" [{path}:{line}]"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "\ncontract {} ({}): {state}{declared}",
            contract.name, contract.kind
        );
        if let Some(reason) = &contract.not_checked {
            let _ = writeln!(out, "  not checked: {reason}");
        }
        for part in &contract.unmatched {
            let _ = writeln!(out, "  not checked: {part}");
        }
        for problem in &contract.problems {
            let _ = writeln!(out, "  problem: {problem}");
        }
        for module in &contract.undeclared {
            let _ = writeln!(out, "  not listed as a layer: {module}");
        }
        for violation in &contract.violations {
            let detail = violation
                .detail
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} must not import {}{detail}: {}",
                violation.importer,
                violation.imported,
                chain_text(&violation.chain, &paths)
            );
        }
        if let (Some(guidance), false) = (&contract.guidance, contract.kept) {
            let _ = writeln!(out, "  guidance: {guidance}");
        }
    }
    out
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Edges of the shortest cycles, drawn in red.
fn cycle_edges(view: &View) -> rustc_hash::FxHashSet<(&str, &str)> {
    view.cycles
        .iter()
        .flat_map(|c| c.shortest.iter().map(|e| (e.from.as_str(), e.to.as_str())))
        .collect()
}

pub fn dot(view: &View) -> String {
    let in_cycle = cycle_edges(view);
    let mut out = String::from(
        "digraph imports {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for module in &view.modules {
        let style = match module.origin {
            Origin::Project => "",
            Origin::Stdlib => " [style=dashed]",
            Origin::ThirdParty => " [style=dotted]",
        };
        let _ = writeln!(out, "  {}{style};", quoted(&module.name));
    }
    for edge in &view.edges {
        let mut attributes = Vec::new();
        match edge.kind {
            ImportKind::TypeChecking => attributes.push("style=dashed"),
            ImportKind::Lazy | ImportKind::Dynamic => attributes.push("style=dotted"),
            _ => {}
        }
        if in_cycle.contains(&(edge.from.as_str(), edge.to.as_str())) {
            attributes.push("color=red");
        }
        let attributes = if attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attributes.join(", "))
        };
        let _ = writeln!(
            out,
            "  {} -> {}{attributes};",
            quoted(&edge.from),
            quoted(&edge.to)
        );
    }
    out.push_str("}\n");
    out
}

pub fn mermaid(view: &View) -> String {
    let in_cycle = cycle_edges(view);
    let ids: FxHashMap<&str, usize> = view
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.as_str(), i))
        .collect();
    let mut out = String::from("graph LR\n");
    for (i, module) in view.modules.iter().enumerate() {
        let _ = writeln!(out, "  m{i}[\"{}\"]", module.name.replace('"', "#quot;"));
    }
    let mut red = Vec::new();
    let mut written = 0;
    for edge in &view.edges {
        let (Some(from), Some(to)) = (ids.get(edge.from.as_str()), ids.get(edge.to.as_str()))
        else {
            continue;
        };
        let arrow = match edge.kind {
            ImportKind::TypeChecking | ImportKind::Lazy | ImportKind::Dynamic => "-.->",
            _ => "-->",
        };
        let _ = writeln!(out, "  m{from} {arrow} m{to}");
        if in_cycle.contains(&(edge.from.as_str(), edge.to.as_str())) {
            red.push(written.to_string());
        }
        written += 1;
    }
    if !red.is_empty() {
        let _ = writeln!(out, "  linkStyle {} stroke:red", red.join(","));
    }
    out
}

pub fn json(view: &View) -> String {
    let mut text = serde_json::to_string_pretty(view).expect("the view serialises");
    text.push('\n');
    text
}
