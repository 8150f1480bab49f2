use crate::prelude::*;
use archlint_analysis::metrics::{cognitive, cyclomatic};

rule! {
    /// ## What it does
    /// Reports a function or method whose cyclomatic complexity, counted as radon counts it
    /// (`archlint metrics` lists every score), is over `max-complexity` (default 10, radon
    /// rank C and worse) as a warning, and over `max-complexity-error` (default 20, rank D
    /// and worse) as an error. Both are set in `[tool.archlint.performance]`. Nested
    /// functions are scored on their own, as radon scores them. The message also gives the
    /// cognitive complexity, which says how hard the function is to read.
    ///
    /// The count is radon's, not mccabe's (ruff's C901), and the two differ in two ways:
    /// radon counts boolean operators (`a and b or c` is two), comprehension clauses,
    /// conditional expressions, `assert` and a loop's or `try`'s `else`, which mccabe does
    /// not; and mccabe adds the decisions of nested functions to the function around them,
    /// where radon scores each function on its own. With both thresholds at 10, on django and
    /// CPython's `Lib/` every function C901 reports alone has nested functions, and every
    /// function PERF001 reports alone has one of those constructs.
    ///
    /// ## Why it matters
    /// Guide §6 (profiling and optimization techniques): the functions that profiles show
    /// as hot are usually the ones nobody dares to change. Every decision point is a path
    /// to test; past twenty, a function has more paths than anyone tests, and an
    /// optimisation there is a gamble.
    ///
    /// ## Example
    /// ```python
    /// def shipping(order):
    ///     if order.country == "FR":
    ///         if order.weight < 1:
    ///             return 5
    ///         elif order.weight < 5:
    ///             return 9
    ///         return 15
    ///     elif order.country == "DE":
    ///         if order.weight < 1:
    ///             return 6
    ///         elif order.weight < 5:
    ///             return 10
    ///         return 16
    ///     elif order.express and order.weight < 5 or order.oversized:
    ///         return 40
    ///     return 30 if order.weight < 10 else 50
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// RATES = {"FR": (5, 9, 15), "DE": (6, 10, 16)}
    ///
    ///
    /// def shipping(order):
    ///     if order.country in RATES:
    ///         return domestic_rate(RATES[order.country], order.weight)
    ///     return international_rate(order)
    /// ```
    pub static CYCLOMATIC_COMPLEXITY = Rule {
        code: "PERF001",
        name: "cyclomatic-complexity",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[
            Peer::same("radon", "cc"),
            Peer::related("ruff", "C901"),
            Peer::related("pylint", "R1260"),
        ],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(def) = stmt else { return };
    let thresholds = cx.options.performance;
    let complexity = cyclomatic::function_complexity(def);
    if complexity <= thresholds.max_complexity {
        return;
    }
    let (severity, limit) = if complexity > thresholds.max_complexity_error {
        (Severity::Error, thresholds.max_complexity_error)
    } else {
        (Severity::Warning, thresholds.max_complexity)
    };
    let message = format!(
        "`{}` has cyclomatic complexity {complexity} (rank {}, over {limit}; cognitive complexity {}); split it into smaller functions or replace branches with a table",
        def.name,
        cyclomatic::rank(complexity),
        cognitive::cognitive_complexity(def),
    );
    cx.report_rated(def.name.range(), message, Some(severity), None);
}
