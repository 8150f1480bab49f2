use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `await asyncio.gather(..., return_exceptions=True)` used as a statement: the
    /// exceptions are returned in the result list, and the list is thrown away.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): with `return_exceptions=True` a failure is a value,
    /// not a raise; discarding the values discards every failure, silently.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def notify_all(users):
    ///     await asyncio.gather(*(notify(u) for u in users), return_exceptions=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    /// import logging
    ///
    /// async def notify_all(users):
    ///     results = await asyncio.gather(*(notify(u) for u in users), return_exceptions=True)
    ///     for user, result in zip(users, results):
    ///         if isinstance(result, Exception):
    ///             logging.warning("notifying %s failed: %s", user, result)
    /// ```
    pub static GATHER_EXCEPTIONS_DISCARDED = Rule {
        code: "ASY019",
        name: "gather-exceptions-discarded",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtExpr], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Expr(statement) = stmt else { return };
    let Expr::Await(awaited) = statement.value.as_ref() else {
        return;
    };
    let Expr::Call(call) = awaited.value.as_ref() else {
        return;
    };
    if cx.qualified_name(&call.func).as_deref() != Some("asyncio.gather") {
        return;
    }
    if call
        .arguments
        .find_keyword("return_exceptions")
        .is_some_and(|keyword| !literal::is_falsy_literal(&keyword.value))
    {
        cx.report(
            statement.range(),
            "`asyncio.gather(..., return_exceptions=True)` returns the exceptions, and this discards them; inspect the results for exceptions (or drop `return_exceptions`)",
        );
    }
}
