use super::async_context::coroutine;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags, inside `async def`, a `while` loop whose whole body is a sleep
    /// (`await asyncio.sleep(...)`, `trio.sleep`, `anyio.sleep`): polling a condition.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): polling wakes the task for nothing until the
    /// condition holds, and reacts up to one sleep late. An `asyncio.Event` (or `Condition`)
    /// wakes it exactly when the state changes.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def wait_ready(service):
    ///     while not service.ready:
    ///         await asyncio.sleep(0.1)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// async def wait_ready(service):
    ///     await service.ready_event.wait()
    /// ```
    pub static ASYNC_BUSY_WAIT = Rule {
        code: "ASY017",
        name: "async-busy-wait",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "ASYNC110")],
        check: Check::Stmt { kinds: &[NodeKind::StmtWhile], run: check },
    };
}

const SLEEPS: &[&str] = &["asyncio.sleep", "trio.sleep", "anyio.sleep"];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::While(while_stmt) = stmt else {
        return;
    };
    if coroutine(cx).is_none() {
        return;
    }
    let only_sleeps = match while_stmt.body.as_slice() {
        [Stmt::Expr(statement)] => match statement.value.as_ref() {
            Expr::Await(awaited) => matches!(awaited.value.as_ref(), Expr::Call(call)
                if cx.qualified_name(&call.func).is_some_and(|name| SLEEPS.contains(&name.as_str()))),
            _ => false,
        },
        _ => false,
    };
    if only_sleeps {
        cx.report(
            while_stmt.test.range(),
            "a loop that only sleeps polls its condition; wait on an `asyncio.Event` (or `Condition`) set when it changes",
        );
    }
}
