use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `asyncio.create_task(x)`, `loop.create_task(x)` and `TaskGroup.create_task(x)`
    /// where `x` is a call that returns a future, not a coroutine: `loop.run_in_executor(...)`,
    /// `asyncio.gather(...)`, `asyncio.ensure_future(...)`, `asyncio.wrap_future(...)`,
    /// `asyncio.shield(...)`, or another `create_task(...)`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): `create_task` accepts only coroutines and raises
    /// `TypeError` for a future, on a code path often exercised only in production.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def start(loop, work):
    ///     return asyncio.create_task(loop.run_in_executor(None, work))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def start(work):
    ///     return asyncio.create_task(asyncio.to_thread(work))
    /// ```
    pub static CREATE_TASK_ON_NON_COROUTINE = Rule {
        code: "ASY013",
        name: "create-task-on-non-coroutine",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call { targets: &["asyncio.create_task", ".create_task"], run: check },
    };
}

const FUTURE_FACTORIES: &[&str] = &[
    "asyncio.gather",
    "asyncio.ensure_future",
    "asyncio.wrap_future",
    "asyncio.shield",
    "asyncio.create_task",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(Expr::Call(argument)) = call.arg(0) else {
        return;
    };
    let future = match cx.qualified_name(&argument.func) {
        Some(name) if FUTURE_FACTORIES.contains(&name.as_str()) => name,
        _ => match argument.func.as_ref() {
            Expr::Attribute(attribute)
                if matches!(attribute.attr.as_str(), "run_in_executor" | "create_task") =>
            {
                format!("loop.{}", attribute.attr)
            }
            _ => return,
        },
    };
    cx.report(
        call.range(),
        format!("`create_task` needs a coroutine, and `{future}(...)` returns a future (TypeError); await or keep the future itself, or pass a coroutine (`asyncio.to_thread(...)`)"),
    );
}
