use super::async_context::report_blocking;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `time.sleep(...)` inside `async def` (not in nested functions or lambdas, which
    /// may run in a thread).
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a coroutine that blocks stops the whole event loop:
    /// every other task, timer and connection waits until the call returns, so one slow call
    /// adds its latency to every request in flight.
    ///
    /// ## Example
    /// ```python
    /// import time
    ///
    /// async def poll(client):
    ///     while not await client.ready():
    ///         time.sleep(1)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def poll(client):
    ///     while not await client.ready():
    ///         await asyncio.sleep(1)
    /// ```
    pub static BLOCKING_SLEEP = Rule {
        code: "ASY001",
        name: "blocking-sleep",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "ASYNC251")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["time.sleep"];

fn check(call: &CallSite, cx: &mut FileContext) {
    report_blocking(
        call,
        cx,
        [
            "use `await asyncio.sleep(...)`",
            "use `await trio.sleep(...)`",
            "use `await anyio.sleep(...)`",
        ],
    );
}
