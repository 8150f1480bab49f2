use crate::prelude::*;
use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

rule! {
    /// ## What it does
    /// Flags `yield` inside a `with`/`async with` block of an async generator that is not an
    /// `@asynccontextmanager`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): an async generator can be abandoned at a `yield`
    /// (the consumer breaks out of its loop) and is then closed later, by the garbage
    /// collector, outside any task. The context it holds (a connection, a lock, a cancel
    /// scope) stays open until then, and its exit code runs where errors cannot propagate.
    ///
    /// ## Example
    /// ```python
    /// async def rows(pool, query):
    ///     async with pool.acquire() as connection:
    ///         async for row in connection.cursor(query):
    ///             yield row
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// async def rows(pool, query):
    ///     async with pool.acquire() as connection:
    ///         return [row async for row in connection.cursor(query)]
    /// ```
    pub static YIELD_IN_ASYNC_CONTEXT_MANAGER = Rule {
        code: "ASY023",
        name: "yield-in-async-context-manager",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "ASYNC119")],
        check: Check::Stmt { kinds: &[NodeKind::StmtWith], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::With(with) = stmt else { return };
    let Some(function) = cx.enclosing_function() else {
        return;
    };
    if !function.is_async {
        return;
    }
    let is_context_manager = function.decorator_list.iter().any(|decorator| {
        literal::terminal_name(&decorator.expression)
            .is_some_and(|name| name == "asynccontextmanager" || name == "contextmanager")
    });
    if is_context_manager {
        return;
    }
    // Only the outermost `with` reports, so nested blocks do not report the same yield.
    let mut finder = Yields { found: Vec::new() };
    finder.visit_body(&with.body);
    for range in finder.found {
        cx.report(
            range,
            "`yield` inside a `with` block of an async generator can leave the context open until garbage collection; collect the values, or make it an `@asynccontextmanager`",
        );
    }
}

struct Yields {
    found: Vec<TextRange>,
}

impl Visitor<'_> for Yields {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        match stmt {
            // Nested functions have their own generators; nested `with` blocks report their
            // own yields.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::With(_) => {}
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Lambda(_) => {}
            Expr::Yield(_) | Expr::YieldFrom(_) => self.found.push(expr.range()),
            _ => walk_expr(self, expr),
        }
    }
}
