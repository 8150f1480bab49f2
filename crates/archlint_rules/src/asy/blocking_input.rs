use super::async_context::report_blocking;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `input()`, `getpass.getpass()` and reads of `sys.stdin` inside `async def`: they
    /// wait for a person.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a coroutine that blocks stops the whole event loop:
    /// every other task, timer and connection waits until the call returns, so one slow call
    /// adds its latency to every request in flight. Waiting for a person can take forever.
    ///
    /// ## Example
    /// ```python
    /// async def confirm(question):
    ///     return input(question) == "y"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def confirm(question):
    ///     return await asyncio.to_thread(input, question) == "y"
    /// ```
    pub static BLOCKING_INPUT = Rule {
        code: "ASY007",
        name: "blocking-input",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "ASYNC250")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "input",
    "builtins.input",
    "getpass.getpass",
    "sys.stdin.read",
    "sys.stdin.readline",
    "sys.stdin.readlines",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    report_blocking(
        call,
        cx,
        [
            "read it in a thread (`await asyncio.to_thread(input, ...)`)",
            "use `await trio.to_thread.run_sync(input, ...)`",
            "use `await anyio.to_thread.run_sync(input, ...)`",
        ],
    );
}
