use super::async_context::coroutine;
use crate::prelude::*;
use ruff_python_ast::visitor::{Visitor, walk_expr};

rule! {
    /// ## What it does
    /// Flags, inside `async def`, a `for` loop that only awaits one call per item and
    /// collects the results: `results.append(await fetch(item))`, or `value = await
    /// fetch(item)` followed by `results.append(value)`, where the awaited call uses the loop
    /// variable and nothing carried from one iteration to the next. Advice (`info`): the
    /// calls could run concurrently.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): awaiting independent calls one after another adds
    /// up their latencies; `asyncio.gather` (bounded by a semaphore) or a `TaskGroup` overlaps
    /// them. Loops that must stay sequential (rate limits, ordering) can keep a suppression
    /// comment saying so.
    ///
    /// ## Example
    /// ```python
    /// async def fetch_all(client, urls):
    ///     pages = []
    ///     for url in urls:
    ///         pages.append(await client.get(url))
    ///     return pages
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def fetch_all(client, urls):
    ///     limit = asyncio.Semaphore(10)
    ///
    ///     async def fetch(url):
    ///         async with limit:
    ///             return await client.get(url)
    ///
    ///     return await asyncio.gather(*(fetch(url) for url in urls))
    /// ```
    pub static SEQUENTIAL_AWAIT_IN_LOOP = Rule {
        code: "ASY027",
        name: "sequential-await-in-loop",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "PERF401")],
        check: Check::Stmt { kinds: &[NodeKind::StmtFor], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::For(for_stmt) = stmt else { return };
    if for_stmt.is_async || coroutine(cx).is_none() {
        return;
    }
    let Expr::Name(variable) = for_stmt.target.as_ref() else {
        return;
    };
    let variable = variable.id.as_str();
    let awaited = match for_stmt.body.as_slice() {
        // `results.append(await f(item))`
        [Stmt::Expr(append)] => appended(&append.value).and_then(awaited_call),
        // `value = await f(item)` then `results.append(value)`
        [Stmt::Assign(assign), Stmt::Expr(append)] => {
            let [Expr::Name(value)] = assign.targets.as_slice() else {
                return;
            };
            let collected = appended(&append.value)
                .is_some_and(|arg| matches!(arg, Expr::Name(n) if n.id == value.id));
            // `cursor = await f(item, after=cursor)` carries a value between iterations.
            if !collected || awaited_call(&assign.value).is_some_and(|c| mentions(c, &value.id)) {
                return;
            }
            awaited_call(&assign.value)
        }
        _ => None,
    };
    let Some(call) = awaited else { return };
    if !mentions(call, variable) {
        return;
    }
    cx.report(
        for_stmt.target.range(),
        "each iteration waits for the previous one's `await`; run the calls concurrently with `asyncio.gather` (bounded by a semaphore) or a `TaskGroup`",
    );
}

/// The argument of `<list>.append(arg)`.
fn appended(expr: &Expr) -> Option<&Expr> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return None;
    };
    if attribute.attr.as_str() != "append" || call.arguments.args.len() != 1 {
        return None;
    }
    call.arguments.args.first()
}

/// The call in `await call(...)`.
fn awaited_call(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Await(awaited) if awaited.value.is_call_expr() => Some(&awaited.value),
        _ => None,
    }
}

fn mentions(expr: &Expr, name: &str) -> bool {
    struct Finder<'n>(&'n str, bool);
    impl Visitor<'_> for Finder<'_> {
        fn visit_expr(&mut self, expr: &Expr) {
            if matches!(expr, Expr::Name(n) if n.id.as_str() == self.0) {
                self.1 = true;
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder(name, false);
    finder.visit_expr(expr);
    finder.1
}
