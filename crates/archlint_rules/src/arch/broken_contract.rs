use crate::prelude::*;
use archlint_analysis::graph::contracts::{ContractReport, Violation};

rule! {
    /// ## What it does
    /// Checks the architecture contracts of `[tool.archlint.contracts]` — or, when there are
    /// none, import-linter's own (`[tool.importlinter]`, `.importlinter`, `setup.cfg`) — with
    /// import-linter's semantics, all six types: `layers` (a lower layer may not import a
    /// higher one; `containers`; `a | b` for independent siblings), `independence`,
    /// `forbidden` (external packages included), `protected` (only `allowed_importers` import
    /// the protected modules directly), `private_modules` (a `_private` module only from
    /// within its parent package) and `acyclic_siblings` (no dependency cycle between the
    /// children of each ancestor; the finding names the dependencies whose removal makes them
    /// acyclic, as `lint-imports` does), each with `ignore_imports` (wildcards),
    /// `unmatched_ignore_imports_alerting` and `broken_contract_guidance`, whose text is
    /// appended to each finding. tach's `tach.toml` is checked too, with tach's semantics:
    /// `depends_on` and `cannot_depend_on` of each module, layers, interfaces, utility
    /// modules. Every chain of imports that breaks a contract is one finding, at its first
    /// import, shortest chains first, with the file and line of each import along it, and the
    /// file and line that declare the contract. An ignored import that matches nothing is
    /// reported at the configuration file. Contracts archlint cannot check are
    /// `contract-not-checked` (ARCH004).
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns): a package's structure is its architecture —
    /// which modules are the public face, which are the core, which are plugins. Contracts
    /// say which way dependencies may point; without a check they erode one convenient
    /// import at a time, and an indirect chain (domain → helper → web framework) is as
    /// binding as a direct import.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [[tool.archlint.contracts.layers]]
    /// name = "Layered"
    /// layers = ["shop.ui", "shop.domain"]
    /// # file: shop/__init__.py
    /// # file: shop/ui.py
    /// from shop.domain import price
    /// # file: shop/domain.py
    /// from shop.ui import render
    ///
    /// def price(): ...
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [[tool.archlint.contracts.layers]]
    /// name = "Layered"
    /// layers = ["shop.ui", "shop.domain"]
    /// # file: shop/__init__.py
    /// # file: shop/ui.py
    /// from shop.domain import price
    /// # file: shop/domain.py
    /// def price(): ...
    /// ```
    pub static BROKEN_CONTRACT = Rule {
        code: "ARCH002",
        name: "broken-contract",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("import-linter", "lint-imports")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Contracts],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    for contract in project.contracts() {
        if !contract.checked() {
            continue;
        }
        let (config, line) = declared_at(project, contract);
        // The declaring file as the project knows it (relative to its root).
        let declared = contract
            .declared
            .as_ref()
            .map(|d| d.path.clone())
            .or_else(|| project.options.contracts_source.clone())
            .map(|path| format!(", {}:{line}", project.shown(&path)))
            .unwrap_or_default();
        let guidance = contract
            .guidance
            .as_ref()
            .map(|text| format!("; the contract's guidance: \"{}\"", text.trim()))
            .unwrap_or_default();
        if let Some(path) = &config {
            for problem in &contract.problems {
                cx.report(
                    path,
                    line,
                    1,
                    format!("contract `{}`: {problem}; fix the contract", contract.name),
                );
            }
        }
        for violation in &contract.violations {
            let Some(first) = violation.chain.first() else {
                continue;
            };
            let route = describe(project, violation);
            let (importer, imported) = (&violation.importer, &violation.imported);
            let head = format!(
                "contract `{}` ({}{declared}) is broken",
                contract.name, contract.kind
            );
            let message = match contract.kind.as_str() {
                "protected" => format!(
                    "{head}: `{importer}` imports the protected `{imported}` directly and is not an allowed importer: {route}; import it through an allowed importer, add the importer to `allowed_importers`, or list the import in `ignore-imports`{guidance}"
                ),
                "private_modules" => format!(
                    "{head}: `{importer}` imports `{imported}`, {}, from outside that package: {route}; import what the package exposes instead, make the module public, or list the import in `ignore-imports`{guidance}",
                    violation.detail.as_deref().unwrap_or("a private module")
                ),
                "acyclic_siblings" => format!(
                    "{head}: {}: {route}; remove these imports or move the code they need, so the siblings depend on each other one way only{guidance}",
                    violation.detail.as_deref().unwrap_or_default()
                ),
                kind if kind.starts_with("tach") => format!(
                    "{head}: {}: {route}{guidance}",
                    violation.detail.as_deref().unwrap_or_default()
                ),
                _ => {
                    let how = if violation.chain.len() == 1 {
                        "directly".to_string()
                    } else {
                        format!("through {} imports", violation.chain.len())
                    };
                    format!(
                        "{head}: `{importer}` must not import `{imported}` but does ({how}): {route}; remove the import, move the code to the right module, or list it in `ignore-imports`{guidance}"
                    )
                }
            };
            cx.report(
                project.path_of(first.from),
                first.line,
                first.column,
                message,
            );
        }
        for &node in &contract.undeclared {
            let message = format!(
                "contract `{}` (layers{declared}) is exhaustive but no layer names `{}`; add it to `layers` or to `exhaustive-ignores`{guidance}",
                contract.name, project.graph.nodes[node].name
            );
            cx.report(project.path_of(node), 1, 1, message);
        }
    }
}

/// The chain of a violation, with the rest of its route (layers, independence) or the other
/// imports of the same dependency (acyclic siblings).
fn describe(project: &archlint_analysis::Project, violation: &Violation) -> String {
    let mut route = project.describe_chain(&violation.chain);
    let one = |e: &archlint_analysis::graph::Edge| project.describe_chain(std::slice::from_ref(e));
    if violation.detail.is_some() {
        if !violation.other_heads.is_empty() {
            let others: Vec<String> = violation.other_heads.iter().map(one).collect();
            route.push_str(&format!(", {}", others.join(", ")));
        }
        return route;
    }
    for (label, edges) in [
        ("from", &violation.other_heads),
        ("to", &violation.other_tails),
    ] {
        if !edges.is_empty() {
            let others: Vec<String> = edges.iter().map(one).collect();
            route.push_str(&format!("; the same route {label}: {}", others.join(", ")));
        }
    }
    route
}

/// The configuration file that declares a contract (as the user knows the path) and its
/// line: where the contract says it is, else the line naming it in the contracts' file.
pub(crate) fn declared_at(
    project: &archlint_analysis::Project,
    contract: &ContractReport,
) -> (Option<std::path::PathBuf>, usize) {
    if let Some(declared) = &contract.declared {
        return (
            Some(archlint_project::options::display_path(&declared.path)),
            declared.line,
        );
    }
    let Some(path) = project.options.contracts_source.as_ref() else {
        return (None, 1);
    };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let line = text
        .find(&contract.name)
        .map_or(1, |offset| text[..offset].lines().count().max(1));
    (Some(archlint_project::options::display_path(path)), line)
}
