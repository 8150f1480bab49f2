use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags the value of `nursery.start_soon(...)` or `task_group.start_soon(...)` (trio,
    /// anyio) being awaited or assigned: `start_soon` returns `None`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): awaiting `None` raises `TypeError`, and a variable
    /// meant to hold the task's result holds nothing. `start()` waits until the task reports
    /// it has started and returns what it passes to `task_status.started(...)`.
    ///
    /// ## Example
    /// ```python
    /// async def main(nursery):
    ///     server = await nursery.start_soon(serve)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// async def main(nursery):
    ///     server = await nursery.start(serve)
    /// ```
    pub static START_SOON_RESULT_USED = Rule {
        code: "ASY025",
        name: "start-soon-result-used",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Several(&[
            Check::Call { targets: &[".start_soon"], run: check_call },
            Check::Stmt { kinds: &[NodeKind::StmtAssign, NodeKind::StmtAnnAssign], run: check_assignment },
        ]),
    };
}

const MESSAGE: &str = "`start_soon` returns `None`; use `await nursery.start(...)` to wait for the task to start and get its value";

/// `await nursery.start_soon(...)`, `(x := nursery.start_soon(...))`.
fn check_call(call: &CallSite, cx: &mut FileContext) {
    if matches!(
        cx.expr_parents.last(),
        Some(Expr::Await(_) | Expr::Named(_))
    ) {
        cx.report(call.range(), MESSAGE);
    }
}

/// `x = nursery.start_soon(...)`.
fn check_assignment(stmt: &Stmt, cx: &mut FileContext) {
    let value = match stmt {
        Stmt::Assign(assign) => &*assign.value,
        Stmt::AnnAssign(ast::StmtAnnAssign {
            value: Some(value), ..
        }) => &**value,
        _ => return,
    };
    if let Expr::Call(call) = value
        && let Expr::Attribute(attribute) = call.func.as_ref()
        && attribute.attr.as_str() == "start_soon"
    {
        cx.report(call.range(), MESSAGE);
    }
}
