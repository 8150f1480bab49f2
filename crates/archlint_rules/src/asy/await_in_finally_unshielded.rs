use super::async_context::{catches_cancellation, coroutine, suspends};
use crate::prelude::*;
use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

rule! {
    /// ## What it does
    /// Flags, inside `async def`, an `await` (or `async with`/`async for`) in a `finally:`
    /// block or in an `except` clause that catches cancellation, unless it is shielded:
    /// `await asyncio.shield(...)`, or inside `with trio.CancelScope(shield=True)` /
    /// `anyio.CancelScope(shield=True)` / `move_on_after(..., shield=True)`. Only `try` blocks
    /// whose body suspends count: cancellation cannot arrive in one that does not.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): when the task is being cancelled, the first
    /// unshielded `await` in its clean-up is cancelled too (at once under trio and anyio, at
    /// the next cancel under asyncio), so the clean-up (closing a connection, releasing a
    /// lock, writing a final state) never runs to the end.
    ///
    /// ## Example
    /// ```python
    /// async def handle(connection):
    ///     try:
    ///         await serve(connection)
    ///     finally:
    ///         await connection.close()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def handle(connection):
    ///     try:
    ///         await serve(connection)
    ///     finally:
    ///         await asyncio.shield(connection.close())
    /// ```
    pub static AWAIT_IN_FINALLY_UNSHIELDED = Rule {
        code: "ASY022",
        name: "await-in-finally-unshielded",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "ASYNC102")],
        check: Check::Stmt { kinds: &[NodeKind::StmtTry], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Try(try_stmt) = stmt else { return };
    // Cancellation arrives where the `try` body suspends; without a suspension the clean-up
    // runs in the normal flow.
    if coroutine(cx).is_none() || !suspends(&try_stmt.body) {
        return;
    }
    let mut found = Vec::new();
    let mut finder = Unshielded {
        cx,
        found: &mut found,
    };
    finder.visit_body(&try_stmt.finalbody);
    for handler in &try_stmt.handlers {
        let ast::ExceptHandler::ExceptHandler(handler) = handler;
        let catches = match handler.type_.as_deref() {
            None => true,
            Some(types) => catches_cancellation(types, finder.cx).is_some(),
        };
        if catches {
            finder.visit_body(&handler.body);
        }
    }
    for range in found {
        cx.report(
            range,
            "`await` during clean-up is cancelled along with the task; shield it (`asyncio.shield(...)`, or a `CancelScope(shield=True)`)",
        );
    }
}

/// Collects the suspension points of a clean-up block that no shield protects.
struct Unshielded<'c, 'a, 'f> {
    cx: &'c FileContext<'a>,
    found: &'f mut Vec<TextRange>,
}

impl Unshielded<'_, '_, '_> {
    fn is_shield_scope(&self, item: &Expr) -> bool {
        let Expr::Call(call) = item else { return false };
        let shield = call
            .arguments
            .find_keyword("shield")
            .is_some_and(|keyword| literal::is_true(&keyword.value));
        shield
            && literal::terminal_name(&call.func).is_some_and(|name| {
                matches!(
                    name,
                    "CancelScope" | "move_on_after" | "move_on_at" | "fail_after" | "fail_at"
                )
            })
    }
}

impl<'b> Visitor<'b> for Unshielded<'_, '_, '_> {
    fn visit_stmt(&mut self, stmt: &'b Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::With(with)
                if with
                    .items
                    .iter()
                    .any(|item| self.is_shield_scope(&item.context_expr)) => {}
            Stmt::With(ast::StmtWith {
                is_async: true,
                range,
                ..
            })
            | Stmt::For(ast::StmtFor {
                is_async: true,
                range,
                ..
            }) => {
                self.found.push(*range);
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'b Expr) {
        match expr {
            Expr::Lambda(_) => {}
            Expr::Await(awaited) => {
                let shielded = matches!(awaited.value.as_ref(), Expr::Call(call)
                    if self.cx.qualified_name(&call.func).as_deref() == Some("asyncio.shield"));
                if !shielded {
                    self.found.push(expr.range());
                }
            }
            _ => walk_expr(self, expr),
        }
    }
}
