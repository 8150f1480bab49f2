use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `asyncio.get_event_loop()` at module level, where no loop can be running: a
    /// `DeprecationWarning` in Python 3.12 and 3.13, and a `RuntimeError` from 3.14 when no
    /// loop was set.
    ///
    /// Calls in synchronous functions are not flagged: whether a loop runs there depends on
    /// who calls them, which a single file does not show.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async) and §1 (versions): code that gets a loop at import
    /// time breaks on Python 3.14 and binds the module to whatever loop existed then.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// loop = asyncio.get_event_loop()
    /// loop.run_until_complete(main())
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// asyncio.run(main())
    /// ```
    pub static GET_EVENT_LOOP_WITHOUT_LOOP = Rule {
        code: "ASY015",
        name: "get-event-loop-without-loop",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call { targets: &["asyncio.get_event_loop"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let at_module_level =
        cx.functions.is_empty() && !cx.expr_parents.iter().any(|expr| expr.is_lambda_expr());
    if at_module_level {
        cx.report(
            call.range(),
            "`asyncio.get_event_loop()` at import time has no running loop (an error from Python 3.14); use `asyncio.run(main())`, or `asyncio.new_event_loop()` and `set_event_loop`",
        );
    }
}
