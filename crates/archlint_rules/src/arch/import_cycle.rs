use crate::prelude::*;

rule! {
    /// ## What it does
    /// Finds import cycles: each strongly connected component of the project's import graph
    /// is reported once, at the first import of its shortest cycle, with the modules of the
    /// component and that cycle import by import (file and line). Imports under
    /// `if TYPE_CHECKING:` never count; imports inside functions count unless
    /// `[tool.archlint.cycles] ignore-lazy = true`, and `importlib.import_module` with a
    /// literal counts when `ignore-dynamic = false`.
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns): a package whose `__init__` imports its
    /// submodules for convenience, and submodules that import the package back, work only in
    /// one import order. Start from the other module and a name is not defined yet: a
    /// partially initialised module, an `ImportError` that depends on which test ran first.
    /// Cycles also tie modules together so that none can be understood, tested or moved alone.
    ///
    /// ## Example
    /// ```python
    /// # file: shop/__init__.py
    /// # file: shop/orders.py
    /// from shop.customers import Customer
    ///
    /// class Order:
    ///     customer: Customer
    /// # file: shop/customers.py
    /// from shop.orders import Order
    ///
    /// class Customer:
    ///     def orders(self) -> list[Order]: ...
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: shop/__init__.py
    /// # file: shop/orders.py
    /// from shop.customers import Customer
    ///
    /// class Order:
    ///     customer: Customer
    /// # file: shop/customers.py
    /// from typing import TYPE_CHECKING
    ///
    /// if TYPE_CHECKING:
    ///     from shop.orders import Order
    ///
    /// class Customer:
    ///     def orders(self) -> "list[Order]": ...
    /// ```
    pub static IMPORT_CYCLE = Rule {
        code: "ARCH001",
        name: "import-cycle",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("pylint", "R0401"), Peer::related("import-linter", "acyclic")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Cycles],
        },
    };
}

/// How many member names a message lists before eliding the rest.
const LISTED: usize = 6;

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    for cycle in project.cycles() {
        let Some(first) = cycle.shortest.first() else {
            continue;
        };
        let graph = &project.graph;
        let mut members: Vec<String> = cycle
            .members
            .iter()
            .take(LISTED)
            .map(|&m| format!("`{}`", graph.nodes[m].name))
            .collect();
        if cycle.members.len() > LISTED {
            members.push(format!("and {} more", cycle.members.len() - LISTED));
        }
        let message = format!(
            "import cycle among {} modules ({}); shortest: {}; move what they share into a module of its own, or import inside the function that needs it",
            cycle.members.len(),
            members.join(", "),
            project.describe_chain(&cycle.shortest)
        );
        cx.report(
            project.path_of(first.from),
            first.line,
            first.column,
            message,
        );
    }
}
