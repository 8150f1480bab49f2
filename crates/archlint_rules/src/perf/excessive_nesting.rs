use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a function whose blocks (`if`, `for`, `while`, `try`, `with`, `match`) nest more
    /// than five deep (`max-nesting` in `[tool.archlint.performance]`), once for each outermost block that goes past the limit, at the first
    /// statement that does. `elif`/`else`, `except`/`finally` and `case` clauses are the same
    /// level as their statement; nested functions and classes are counted on their own.
    ///
    /// pylint's R1702 and ruff's PLR1702 (preview) count the same blocks with the same limit
    /// and report the outermost block; ruff does not count `match`, which is a block like any
    /// other here.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering: profiling before optimizing): the code a profile
    /// points at has to be read and changed, and six levels of nesting hide which branch does
    /// the work. Guard clauses (`continue`, early `return`) and helper functions flatten it,
    /// and give the profiler a named function to attribute the time to.
    ///
    /// ## Example
    /// ```python
    /// def total(orders):
    ///     result = 0
    ///     for order in orders:
    ///         if order.paid:
    ///             for line in order.lines:
    ///                 if line.quantity:
    ///                     try:
    ///                         if line.product.active:
    ///                             result += line.price
    ///                     except LookupError:
    ///                         pass
    ///     return result
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def line_total(line):
    ///     try:
    ///         return line.price if line.product.active else 0
    ///     except LookupError:
    ///         return 0
    ///
    /// def total(orders):
    ///     return sum(
    ///         line_total(line)
    ///         for order in orders
    ///         if order.paid
    ///         for line in order.lines
    ///         if line.quantity
    ///     )
    /// ```
    pub static EXCESSIVE_NESTING = Rule {
        code: "PERF003",
        name: "excessive-nesting",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("pylint", "R1702"), Peer::related("ruff", "PLR1702")],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    let limit = cx.options.performance.max_nesting as usize;
    for root in &function.body {
        let mut deepest = 0;
        let mut first = None;
        measure(root, 1, limit, &mut deepest, &mut first);
        if let Some(too_deep) = first {
            let (keyword, header) = header(too_deep);
            cx.report(
                header,
                format!(
                    "`{keyword}` is nested {} blocks deep in `{}` (limit {limit}, deepest {deepest}); move the inner blocks into a function or return early",
                    limit + 1,
                    function.name
                ),
            );
        }
    }
}

/// Walks `stmt` at block depth `depth` (if it is a block), recording the deepest level and the
/// first statement past the limit.
fn measure<'a>(
    stmt: &'a Stmt,
    depth: usize,
    limit: usize,
    deepest: &mut usize,
    first: &mut Option<&'a Stmt>,
) {
    if !is_block(stmt) {
        return;
    }
    *deepest = (*deepest).max(depth);
    if depth > limit && first.is_none() {
        *first = Some(stmt);
    }
    for block in archlint_facts::blocks::child_blocks(stmt) {
        for inner in block {
            measure(inner, depth + 1, limit, deepest, first);
        }
    }
}

fn is_block(stmt: &Stmt) -> bool {
    matches!(
        stmt,
        Stmt::If(_) | Stmt::For(_) | Stmt::While(_) | Stmt::Try(_) | Stmt::With(_) | Stmt::Match(_)
    )
}

/// The keyword of a block statement and the range of its header line.
fn header(stmt: &Stmt) -> (&'static str, TextRange) {
    let (keyword, end) = match stmt {
        Stmt::If(s) => ("if", s.test.end()),
        Stmt::For(s) => (if s.is_async { "async for" } else { "for" }, s.iter.end()),
        Stmt::While(s) => ("while", s.test.end()),
        Stmt::With(s) => (
            if s.is_async { "async with" } else { "with" },
            s.items.last().map_or(s.start(), |item| item.end()),
        ),
        Stmt::Match(s) => ("match", s.subject.end()),
        _ => ("try", stmt.start() + ruff_text_size::TextSize::from(3)),
    };
    (keyword, TextRange::new(stmt.start(), end))
}
