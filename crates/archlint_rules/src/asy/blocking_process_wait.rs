use super::async_context::report_blocking;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `os.wait`, `os.wait3`, `os.wait4`, `os.waitpid` and `os.waitid` inside `async
    /// def`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a coroutine that blocks stops the whole event loop:
    /// every other task, timer and connection waits until the call returns, so one slow call
    /// adds its latency to every request in flight.
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// async def reap(pid):
    ///     os.waitpid(pid, 0)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    /// import os
    ///
    /// async def reap(pid):
    ///     await asyncio.to_thread(os.waitpid, pid, 0)
    /// ```
    pub static BLOCKING_PROCESS_WAIT = Rule {
        code: "ASY004",
        name: "blocking-process-wait",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "ASYNC222")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["os.wait", "os.wait3", "os.wait4", "os.waitpid", "os.waitid"];

fn check(call: &CallSite, cx: &mut FileContext) {
    report_blocking(
        call,
        cx,
        [
            "wait with `await process.wait()` on an `asyncio` subprocess, or in a thread with `asyncio.to_thread`",
            "use `trio.to_thread.run_sync`",
            "use `anyio.to_thread.run_sync`",
        ],
    );
}
