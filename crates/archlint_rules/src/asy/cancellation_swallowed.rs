use super::async_context::{catches_cancellation, coroutine, suspends};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags, inside `async def`, an `except` clause that catches cancellation
    /// (`asyncio.CancelledError`, `trio.Cancelled`, `BaseException`, or a bare `except:`) and
    /// neither re-raises (`raise` anywhere in the clause) nor calls `.uncancel()`. Only `try`
    /// blocks that suspend (`await`, `async for`, `async with`) count, since cancellation
    /// arrives only there; `try: await task` alone is the idiom for waiting on a task this
    /// code cancelled, and is not flagged.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): cancellation is how timeouts, `TaskGroup` failures
    /// and shutdown stop a task. A coroutine that swallows it keeps running: timeouts do not
    /// fire, groups hang, and the process does not exit.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def worker(queue):
    ///     while True:
    ///         try:
    ///             await handle(await queue.get())
    ///         except asyncio.CancelledError:
    ///             pass
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def worker(queue):
    ///     while True:
    ///         try:
    ///             await handle(await queue.get())
    ///         except asyncio.CancelledError:
    ///             await queue.put_back()
    ///             raise
    /// ```
    pub static CANCELLATION_SWALLOWED = Rule {
        code: "ASY021",
        name: "cancellation-swallowed",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "ASYNC103"), Peer::related("pylint", "W0706")],
        check: Check::Stmt { kinds: &[NodeKind::StmtTry], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Try(try_stmt) = stmt else { return };
    let Some(function) = coroutine(cx) else {
        return;
    };
    let function = function.name.to_string();
    // Cancellation reaches a coroutine only where it suspends; and `await task` alone is the
    // idiom for waiting on a task this code has cancelled, whose CancelledError it expects.
    if !suspends(&try_stmt.body) || awaits_a_task_only(&try_stmt.body) {
        return;
    }
    for handler in &try_stmt.handlers {
        let ast::ExceptHandler::ExceptHandler(handler) = handler;
        let caught = match handler.type_.as_deref() {
            None => Some("everything".to_string()),
            Some(types) => catches_cancellation(types, cx),
        };
        let Some(caught) = caught else { continue };
        if handler.body.iter().any(reraises_or_uncancels) {
            continue;
        }
        cx.report(
            handler.range(),
            format!("`except` catching {caught} in `async def {function}` swallows cancellation; re-raise it (`raise`) after cleaning up"),
        );
    }
}

/// `await task` (a name, attribute or subscript) as the whole body.
fn awaits_a_task_only(body: &[Stmt]) -> bool {
    match body {
        [Stmt::Expr(statement)] => matches!(
            statement.value.as_ref(),
            Expr::Await(awaited)
                if matches!(awaited.value.as_ref(), Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_))
        ),
        _ => false,
    }
}

/// Whether a statement (or one nested in it, not in a nested function) re-raises or calls
/// `.uncancel()`.
fn reraises_or_uncancels(stmt: &Stmt) -> bool {
    use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
    struct Finder(bool);
    impl StatementVisitor<'_> for Finder {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::Raise(_) => self.0 = true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Expr(expr) if is_uncancel(&expr.value) => self.0 = true,
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_stmt(stmt);
    finder.0
}

fn is_uncancel(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    matches!(call.func.as_ref(), Expr::Attribute(attribute) if attribute.attr.as_str() == "uncancel")
}
