use crate::prelude::*;

rule! {
    /// ## What it does
    /// Checks the architecture contracts of `[tool.archlint.contracts]` — or, when there are
    /// none, import-linter's own (`[tool.importlinter]`, `.importlinter`, `setup.cfg`) — with
    /// import-linter's semantics: `layers` (a lower layer may not import a higher one;
    /// `containers`; `a | b` for independent siblings), `independence` and `forbidden`
    /// (external packages included), each with `ignore-imports` and `allow-indirect`. Every
    /// chain of imports that breaks a contract is one finding, at its first import, shortest
    /// chains first, with the file and line of each import along it. A contract naming a
    /// module the project does not have, or an ignored import that matches nothing, is
    /// reported at the configuration file.
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
        check: Check::Project { run: check },
    };
}

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    let config = project.options.contracts_source.clone();
    let config_text = config
        .as_ref()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_default();
    for contract in project.contracts() {
        if let Some(path) = &config {
            // The contract's name in the configuration, else its first line.
            let line = config_text
                .find(&contract.name)
                .map_or(1, |offset| config_text[..offset].lines().count().max(1));
            let shown = archlint_project::options::display_path(path);
            for problem in &contract.problems {
                cx.report(
                    &shown,
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
            let how = if violation.chain.len() == 1 {
                "directly".to_string()
            } else {
                format!("through {} imports", violation.chain.len())
            };
            let mut route = project.describe_chain(&violation.chain);
            for (label, edges) in [
                ("from", &violation.other_heads),
                ("to", &violation.other_tails),
            ] {
                if !edges.is_empty() {
                    let others: Vec<String> = edges
                        .iter()
                        .map(|e| project.describe_chain(std::slice::from_ref(e)))
                        .collect();
                    route.push_str(&format!("; the same route {label}: {}", others.join(", ")));
                }
            }
            let message = format!(
                "contract `{}` ({}) is broken: `{}` must not import `{}` but does ({how}): {}; remove the import, move the code to the right module, or list it in `ignore-imports`",
                contract.name, contract.kind, violation.importer, violation.imported, route
            );
            cx.report(
                project.path_of(first.from),
                first.line,
                first.column,
                message,
            );
        }
        for &node in &contract.undeclared {
            let message = format!(
                "contract `{}` (layers) is exhaustive but no layer names `{}`; add it to `layers` or to `exhaustive-ignores`",
                contract.name, project.graph.nodes[node].name
            );
            cx.report(project.path_of(node), 1, 1, message);
        }
    }
}
