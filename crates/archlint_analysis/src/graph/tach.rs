//! tach's checks (`tach check`), with tach's semantics, on the import graph's facts.
//!
//! Every import of a project module by a file is attributed to the nearest declared module
//! of each side (the longest declared path that is the module or one of its ancestors;
//! `<root>` when none). Imports within one module, of or from the root module (unless
//! `root_module` is not `ignore`), from an `unchecked` module or an excluded file, under
//! `if TYPE_CHECKING:` (unless `ignore_type_checking_imports = false`), inside functions when
//! `rules.local_imports = "off"`, and `importlib` string imports (unless
//! `include_string_imports`) are not checked. Then, as tach does:
//!
//! - layers first: a module of a higher layer imports a lower one freely (unless a closed
//!   layer lies between them); a lower layer must not import a higher one;
//! - `cannot_depend_on` forbids; without `depends_on` anything is allowed; a `utility` module
//!   may be imported by all; otherwise the imported module must be in `depends_on` (a path
//!   or a glob of parts);
//! - interfaces: a member of a module that has interfaces (those whose `from` matches it and
//!   whose `visibility` includes the importer; an `exclusive` one alone) is imported from
//!   outside only when an `expose` pattern matches its path below the module; importing the
//!   module itself is always allowed.
//!
//! Each module's dependency rules, the layers and each interface are one contract
//! (`tach-module`, `tach-layers`, `tach-interface`) with the line that declares it.

use globset::{Glob, GlobSetBuilder};
use regex::Regex;
use rustc_hash::FxHashMap;

use super::contracts::{ContractReport, Violation};
use super::{Edge, ImportGraph};
use archlint_facts::{ImportKind, ModuleFacts};
use archlint_project::options::{CommonOptions, Declared};
use archlint_project::tach::{TachConfig, TachModule};

const ROOT: &str = "<root>";

/// Whether a dotted path matches a `depends_on` entry (a path, or a glob whose `*` is one
/// part).
fn dependency_matches(pattern: &str, path: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == path;
    }
    let parts: Vec<&str> = pattern.split('.').collect();
    let names: Vec<&str> = path.split('.').collect();
    parts.len() == names.len()
        && parts.iter().zip(&names).all(|(p, n)| {
            *p == "*" || p == n || (p.ends_with('*') && n.starts_with(&p[..p.len() - 1]))
        })
}

/// Regular expressions of tach's `from` and `expose`, matched whole.
fn whole(patterns: &[String]) -> Vec<Regex> {
    patterns
        .iter()
        .filter_map(|p| Regex::new(&format!("^(?:{p})$")).ok())
        .collect()
}

pub fn check(
    graph: &ImportGraph,
    modules: &[ModuleFacts],
    config: &TachConfig,
) -> Vec<ContractReport> {
    let declared = |line: usize| Declared {
        path: config.path.clone(),
        line,
    };
    let report = |name: &str, kind: &str, line: usize| {
        let place = declared(line);
        ContractReport::new(
            CommonOptions {
                name,
                ignore_imports: &[],
                alerting: Default::default(),
                guidance: None,
                declared: Some(&place),
            },
            kind,
        )
    };
    let by_path: FxHashMap<&str, &TachModule> = config
        .modules
        .iter()
        .map(|m| (m.path.as_str(), m))
        .collect();
    let mut module_reports: Vec<ContractReport> = config
        .modules
        .iter()
        .map(|m| report(&format!("tach module {}", m.path), "tach-module", m.line))
        .collect();
    let module_index: FxHashMap<&str, usize> = config
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.path.as_str(), i))
        .collect();
    let mut layers_report = (!config.layers.is_empty())
        .then(|| report("tach layers", "tach-layers", config.layers_line));
    let interfaces: Vec<(Vec<Regex>, Vec<Regex>)> = config
        .interfaces
        .iter()
        .map(|i| (whole(&i.from), whole(&i.expose)))
        .collect();
    let mut interface_reports: Vec<ContractReport> = config
        .interfaces
        .iter()
        .map(|i| {
            report(
                &format!("tach interface of {}", i.from.join(", ")),
                "tach-interface",
                i.line,
            )
        })
        .collect();
    // The nearest declared module of a dotted path.
    let nearest = |path: &str| -> &str {
        let mut end = path.len();
        loop {
            if let Some((key, _)) = by_path.get_key_value(&path[..end]) {
                return key;
            }
            match path[..end].rfind('.') {
                Some(dot) => end = dot,
                None => return ROOT,
            }
        }
    };
    let root_ignored = config.root_module == "ignore";
    let root_dir = config
        .path
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let mut excluded = GlobSetBuilder::new();
    for pattern in &config.exclude {
        let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
        if let Ok(glob) = Glob::new(pattern) {
            excluded.add(glob);
        }
        if let Ok(glob) = Glob::new(&format!("{pattern}/**")) {
            excluded.add(glob);
        }
    }
    let excluded = excluded.build().unwrap_or_default();
    let layer_of = |name: &str| config.layers.iter().position(|(l, _)| l == name);
    for node in 0..graph.project_count {
        let (Some(facts), Some(path)) = (graph.nodes[node].facts, graph.nodes[node].path.as_ref())
        else {
            continue;
        };
        let relative = path.strip_prefix(&root_dir).unwrap_or(path);
        if excluded.is_match(relative) {
            continue;
        }
        let usage = nearest(&graph.nodes[node].name);
        if usage == ROOT && root_ignored {
            continue;
        }
        let usage_config = by_path.get(usage).copied();
        if usage_config.is_some_and(|m| m.unchecked) {
            continue;
        }
        for import in &modules[facts].imports {
            match import.kind {
                ImportKind::TypeChecking if config.ignore_type_checking_imports => continue,
                ImportKind::Lazy if !config.check_local_imports => continue,
                ImportKind::Dynamic if !config.include_string_imports => continue,
                _ => {}
            }
            let full = match &import.member {
                Some(member) if member != "*" => format!("{}.{member}", import.module),
                _ => import.module.clone(),
            };
            // First-party imports only: the path or an ancestor is a project module.
            let mut target = None;
            let mut end = full.len();
            loop {
                if let Some(found) = graph.find(&full[..end]) {
                    target = Some(found);
                    break;
                }
                match full[..end].rfind('.') {
                    Some(dot) => end = dot,
                    None => break,
                }
            }
            let Some(target) = target.filter(|&t| graph.is_project(t)) else {
                continue;
            };
            let definition = nearest(&full);
            if definition == usage || (definition == ROOT && root_ignored) {
                continue;
            }
            let edge = Edge {
                from: node,
                to: target,
                line: import.line,
                column: import.column,
                kind: import.kind,
            };
            let violation = |detail: String| Violation {
                importer: usage.to_string(),
                imported: definition.to_string(),
                chain: vec![edge],
                other_heads: Vec::new(),
                other_tails: Vec::new(),
                detail: Some(detail),
            };
            let definition_config = by_path.get(definition).copied();
            // Layers first.
            let layers = (
                usage_config.and_then(|m| m.layer.as_deref()),
                definition_config.and_then(|m| m.layer.as_deref()),
            );
            let mut layer_decided = false;
            if let (Some(source), Some(target_layer)) = layers
                && let (Some(s), Some(t)) = (layer_of(source), layer_of(target_layer))
                && s != t
            {
                layer_decided = true;
                let layers_report = layers_report.as_mut();
                if s > t {
                    if let Some(r) = layers_report {
                        r.violations.push(violation(format!(
                            "`{usage}` is in layer `{source}`, below `{definition}`'s layer `{target_layer}`, so it must not import it (`{full}`); move the code to a lower layer, or invert the dependency"
                        )));
                    }
                } else if let Some((closed, _)) = config.layers[s + 1..t].iter().find(|(_, c)| *c) {
                    if let Some(r) = layers_report {
                        r.violations.push(violation(format!(
                            "`{usage}` (layer `{source}`) imports `{definition}` (layer `{target_layer}`) across the closed layer `{closed}` (`{full}`); go through `{closed}`"
                        )));
                    }
                } else if config.layers_explicit_depends_on {
                    layer_decided = false;
                }
            }
            if !layer_decided && let Some(usage_config) = usage_config {
                let index = module_index[usage];
                if usage_config
                    .cannot_depend_on
                    .iter()
                    .any(|p| dependency_matches(p, definition))
                {
                    module_reports[index].violations.push(violation(format!(
                        "`{usage}` cannot depend on `{definition}` (`cannot_depend_on`) but imports `{full}`; remove the import"
                    )));
                } else if let Some(depends_on) = &usage_config.depends_on
                    && !definition_config.is_some_and(|m| m.utility)
                    && !depends_on
                        .iter()
                        .any(|(p, _)| dependency_matches(p, definition))
                {
                    module_reports[index].violations.push(violation(format!(
                        "`{usage}` imports `{full}` but does not declare a dependency on `{definition}`; add `{definition}` to its `depends_on`, or remove the import"
                    )));
                }
            }
            // Interfaces.
            let member = full
                .strip_prefix(definition)
                .and_then(|rest| rest.strip_prefix('.'))
                .unwrap_or("");
            if member.is_empty() {
                continue;
            }
            let mut visible: Vec<usize> = Vec::new();
            for (index, interface) in config.interfaces.iter().enumerate() {
                let applies = interfaces[index].0.iter().any(|r| r.is_match(definition))
                    && interface
                        .visibility
                        .as_ref()
                        .is_none_or(|v| v.iter().any(|m| m == usage));
                if applies {
                    if interface.exclusive {
                        visible = vec![index];
                        break;
                    }
                    visible.push(index);
                }
            }
            if let Some(&first) = visible.first()
                && !visible
                    .iter()
                    .any(|&i| interfaces[i].1.iter().any(|r| r.is_match(member)))
            {
                interface_reports[first].violations.push(violation(format!(
                    "`{usage}` imports `{full}`, which is not in the public interface of `{definition}` (no `expose` pattern matches `{member}`); import what the interface exposes, or add `{member}` to its `expose`"
                )));
            }
        }
    }
    let mut reports = module_reports;
    reports.extend(layers_report);
    reports.extend(interface_reports);
    for report in &mut reports {
        report
            .violations
            .sort_by_key(|v| (v.chain[0].from, v.chain[0].line, v.chain[0].column));
    }
    for unchecked in &config.unchecked {
        reports.push(ContractReport::unchecked(unchecked));
    }
    reports
}
