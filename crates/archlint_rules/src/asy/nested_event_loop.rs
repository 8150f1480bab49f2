use super::async_context::coroutine;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags starting an event loop from inside a coroutine: `asyncio.run`,
    /// `loop.run_until_complete`, `asyncio.Runner().run`, `trio.run`, `anyio.run`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a loop is already running there, so the call raises
    /// `RuntimeError` (or, with workarounds such as `nest_asyncio`, blocks the outer loop
    /// until the inner one finishes).
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def handler(request):
    ///     return asyncio.run(fetch(request.url))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// async def handler(request):
    ///     return await fetch(request.url)
    /// ```
    pub static NESTED_EVENT_LOOP = Rule {
        code: "ASY016",
        name: "nested-event-loop",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call {
            targets: &["asyncio.run", "trio.run", "anyio.run", ".run_until_complete", ".run_forever"],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(function) = coroutine(cx) else {
        return;
    };
    let shown = match call.method {
        Some(method @ ("run_until_complete" | "run_forever"))
            if call.qualified.as_ref().is_none_or(|q| !q.imported) =>
        {
            format!("loop.{method}")
        }
        _ => call.name(),
    };
    cx.report(
        call.range(),
        format!("`{shown}` starts an event loop inside `async def {}`, where one is already running (RuntimeError); `await` the coroutine instead", function.name),
    );
}
