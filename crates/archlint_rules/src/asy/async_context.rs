//! Where code runs on the event loop: lexically inside an `async def` body, not in a nested
//! `def`, `lambda` or class body (those run when called or created, possibly in a thread:
//! `loop.run_in_executor(None, lambda: time.sleep(1))` is fine).

use crate::prelude::*;

/// The coroutine the walk is in, if the code at this point runs on the event loop.
pub fn coroutine<'a>(cx: &FileContext<'a>) -> Option<&'a ast::StmtFunctionDef> {
    let function = cx.functions.last().copied()?;
    if !function.is_async {
        return None;
    }
    // A class body nested in the coroutine runs at class creation, not in the coroutine.
    if cx
        .classes
        .last()
        .is_some_and(|class| class.start() > function.start())
    {
        return None;
    }
    if cx.expr_parents.iter().any(|expr| expr.is_lambda_expr()) {
        return None;
    }
    Some(function)
}

/// The async library the module uses, for naming replacements: `trio`, `anyio` or
/// `asyncio` (the default).
pub fn backend(cx: &FileContext) -> Backend {
    if cx.imports_module("trio") {
        Backend::Trio
    } else if cx.imports_module("anyio") {
        Backend::Anyio
    } else {
        Backend::Asyncio
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Asyncio,
    Trio,
    Anyio,
}

/// Reports a blocking call made on the event loop: "`time.sleep` blocks the event loop in
/// `async def fetch`; <fix>". `fix` gives the replacement for each backend.
pub fn report_blocking(call: &CallSite, cx: &mut FileContext, fix: [&str; 3]) {
    let Some(function) = coroutine(cx) else {
        return;
    };
    let fix = match backend(cx) {
        Backend::Asyncio => fix[0],
        Backend::Trio => fix[1],
        Backend::Anyio => fix[2],
    };
    let name = call.name();
    let shown = name.trim_start_matches("builtins.");
    cx.report(
        call.range(),
        format!(
            "`{shown}` blocks the event loop inside `async def {}`; {fix}",
            function.name
        ),
    );
}

/// Exceptions that carry cancellation, or catch it.
const CANCELLATION: &[&str] = &[
    "asyncio.CancelledError",
    "asyncio.exceptions.CancelledError",
    "concurrent.futures.CancelledError",
    "trio.Cancelled",
    "BaseException",
    "builtins.BaseException",
];

/// The cancellation type a handler's type expression names, shown in backticks.
pub fn catches_cancellation(types: &Expr, cx: &FileContext) -> Option<String> {
    let candidates: Vec<&Expr> = match types {
        Expr::Tuple(tuple) => tuple.elts.iter().collect(),
        other => vec![other],
    };
    candidates.into_iter().find_map(|expr| {
        let name = cx.qualified_name(expr)?;
        CANCELLATION
            .contains(&name.as_str())
            .then(|| format!("`{name}`"))
    })
}

/// Whether the statements `await` (or `async for`/`async with`), outside nested functions.
pub fn suspends(body: &[Stmt]) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    struct Finder(bool);
    impl Visitor<'_> for Finder {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(ast::StmtFor { is_async: true, .. })
                | Stmt::With(ast::StmtWith { is_async: true, .. }) => self.0 = true,
                _ => walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::Await(_) => self.0 = true,
                Expr::Lambda(_) => {}
                _ => walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_body(body);
    finder.0
}
