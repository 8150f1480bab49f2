use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports an architecture contract that archlint reads but cannot check, at its line in
    /// the configuration: an import-linter contract of a type archlint does not know (a custom
    /// contract class, a plugin registered with `contract_types`), one missing a required
    /// option, a layer, module or ancestor that names no module of the project, and a part of
    /// tach's configuration archlint does not read. The contract's other parts are still
    /// checked by `broken-contract` (ARCH002); `archlint graph` lists the contract as not
    /// checked.
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns): contracts are the written form of a package's
    /// architecture, and a contract nobody checks is worse than none: the team believes the
    /// rule holds. A tool that skips a contract it does not understand reports a clean
    /// architecture that is not, so every skipped contract is named, with what to do about it.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [tool.importlinter]
    /// root_package = "shop"
    ///
    /// [[tool.importlinter.contracts]]
    /// name = "Custom rule"
    /// type = "shop_contracts.NoSqlInViews"
    /// # file: shop/__init__.py
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [tool.importlinter]
    /// root_package = "shop"
    ///
    /// [[tool.importlinter.contracts]]
    /// name = "No SQL in views"
    /// type = "forbidden"
    /// source_modules = ["shop.views"]
    /// forbidden_modules = ["shop.sql"]
    /// # file: shop/__init__.py
    /// # file: shop/views.py
    /// # file: shop/sql.py
    /// ```
    pub static CONTRACT_NOT_CHECKED = Rule {
        code: "ARCH004",
        name: "contract-not-checked",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("import-linter", "lint-imports"), Peer::same("tach", "check")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Contracts],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    for contract in project.contracts() {
        let (config, line) = super::broken_contract::declared_at(project, contract);
        let Some(path) = config else {
            continue;
        };
        if let Some(reason) = &contract.not_checked {
            cx.report(
                &path,
                line,
                1,
                format!(
                    "contract `{}` (type `{}`) is not checked: {reason}; rewrite it as a contract type archlint checks, or keep running the tool that defines it",
                    contract.name, contract.kind
                ),
            );
        }
        for part in &contract.unmatched {
            cx.report(
                &path,
                line,
                1,
                format!(
                    "contract `{}` ({}) is not fully checked: {part}; fix the name, or remove it from the contract",
                    contract.name, contract.kind
                ),
            );
        }
    }
}
