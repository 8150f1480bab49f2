use crate::prelude::*;
use archlint_analysis::metrics::{mi_rank, module_maintainability};

rule! {
    /// ## What it does
    /// Reports a module whose maintainability index, computed as radon computes it (Halstead
    /// volume, total cyclomatic complexity, logical lines, and comment and docstring lines;
    /// `archlint metrics` lists every file's), is at or below `maintainability-info`
    /// (default 19, radon rank B) as advice, and at or below `maintainability-warning`
    /// (default 9, rank C) as a warning. Both are set in `[tool.archlint.performance]`.
    ///
    /// ## Why it matters
    /// Guide §6 (profiling and optimization techniques): optimisation needs code that can
    /// be measured, changed and measured again. A module at rank C is large, branchy and
    /// dense at once; split it along its responsibilities before tuning it.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    ///
    /// [tool.archlint.performance]
    /// # Advice under 60 for this example (the default is radon's 19).
    /// maintainability-info = 60
    ///
    /// # file: shop/pricing.py
    /// def price(order, customer, season):
    ///     total = 0
    ///     for line in order.lines:
    ///         if line.kind == "book" and customer.member or season == "sale":
    ///             total += line.amount * 0.9 if line.amount > 20 else line.amount
    ///         elif line.kind == "food" and not customer.business:
    ///             total += line.amount * 1.055
    ///         elif line.kind == "wine":
    ///             total += line.amount * 1.2 + (2 if line.bottles > 6 else 0)
    ///         else:
    ///             total += line.amount * 1.2
    ///     if customer.country != "FR" and total > 100 or customer.vip:
    ///         total -= total * 0.05
    ///     while total > customer.limit and customer.credit > 0:
    ///         total -= min(customer.credit, 10)
    ///         customer.credit -= 10
    ///     return round(total, 2) if total > 0 else 0
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    ///
    /// [tool.archlint.performance]
    /// # Advice under 60 for this example (the default is radon's 19).
    /// maintainability-info = 60
    ///
    /// # file: shop/pricing.py
    /// RATES = {"book": 1.0, "food": 1.055}
    ///
    ///
    /// def price(order):
    ///     """The order's total, with each line's tax."""
    ///     return sum(line.amount * RATES.get(line.kind, 1.2) for line in order.lines)
    /// ```
    pub static LOW_MAINTAINABILITY_INDEX = Rule {
        code: "PERF002",
        name: "low-maintainability-index",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("radon", "mi")],
        check: Check::Source { run: check },
    };
}

fn check(cx: &mut FileContext) {
    let thresholds = cx.options.performance;
    let index = module_maintainability(cx.source, cx.module_body);
    let (severity, limit) = if index <= thresholds.maintainability_warning {
        (Severity::Warning, thresholds.maintainability_warning)
    } else if index <= thresholds.maintainability_info {
        (Severity::Info, thresholds.maintainability_info)
    } else {
        return;
    };
    let message = format!(
        "maintainability index {index:.1} (rank {}) is at or below {limit}: the module is too large and branchy to change safely; split it by responsibility and simplify its most complex functions (`archlint metrics` lists them)",
        mi_rank(index)
    );
    cx.report_rated(TextRange::default(), message, Some(severity), None);
}
