use super::async_context::coroutine;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `asyncio.get_event_loop()` (and `asyncio.get_event_loop_policy().get_event_loop()`)
    /// called inside `async def`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): inside a coroutine the loop is known and
    /// `asyncio.get_running_loop()` says so; `get_event_loop` goes through the policy, is
    /// deprecated outside a running loop, and hides the intent.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def resolve(host):
    ///     loop = asyncio.get_event_loop()
    ///     return await loop.getaddrinfo(host, 443)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def resolve(host):
    ///     loop = asyncio.get_running_loop()
    ///     return await loop.getaddrinfo(host, 443)
    /// ```
    pub static GET_EVENT_LOOP_IN_COROUTINE = Rule {
        code: "ASY014",
        name: "get-event-loop-in-coroutine",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Call { targets: &["asyncio.get_event_loop", ".get_event_loop"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    // `.get_event_loop` only as `asyncio.get_event_loop_policy().get_event_loop()`.
    if !call.is("asyncio.get_event_loop") && !is_policy_call(call, cx) {
        return;
    }
    if coroutine(cx).is_some() {
        cx.report(
            call.range(),
            "`asyncio.get_event_loop()` in a coroutine: use `asyncio.get_running_loop()`",
        );
    }
}

fn is_policy_call(call: &CallSite, cx: &FileContext) -> bool {
    matches!(call.receiver(), Some(Expr::Call(inner))
        if cx.qualified_name(&inner.func).as_deref() == Some("asyncio.get_event_loop_policy"))
}
