use crate::prelude::*;

rule! {
    /// ## What it does
    /// Follows the project's call graph from every `async def`: a call to a synchronous
    /// project function that — directly or through more synchronous helpers, in any module —
    /// makes a blocking call (the APIs of ASY001–ASY010: `time.sleep`, `requests.get`,
    /// `subprocess.run`, `open`, `sqlite3.connect`, …) is reported at the call in the
    /// coroutine, with the whole chain, each step's file and line, and the blocking API.
    /// Calls resolve by qualified name through imports and `__init__` re-exports, and
    /// `self.method()` through the class and its project bases. Helpers passed to
    /// `asyncio.to_thread` or `run_in_executor` are not called on the loop, so they do not
    /// count.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): one blocking call stalls every task on the event
    /// loop. Per-file linters see `time.sleep` written inside an `async def`; they cannot see
    /// it three helpers away in another module, which is where it usually is.
    ///
    /// ## Example
    /// ```python
    /// import time
    ///
    /// def wait_for_slot():
    ///     time.sleep(1)
    ///
    /// def reserve():
    ///     wait_for_slot()
    ///
    /// async def handle():
    ///     reserve()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    /// import time
    ///
    /// def wait_for_slot():
    ///     time.sleep(1)
    ///
    /// def reserve():
    ///     wait_for_slot()
    ///
    /// async def handle():
    ///     await asyncio.to_thread(reserve)
    /// ```
    pub static BLOCKING_CALL_THROUGH_HELPER = Rule {
        code: "ASY030",
        name: "blocking-call-through-helper",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Project {
            run: check,
            reads: &[Analysis::CallGraph],
        },
    };
}

/// The callee as the call site writes it: `self.pause`, or the function's own name.
pub fn written_callee(call: &archlint_facts::CallFact, qualname: &str) -> String {
    let name = qualname.rsplit('.').next().unwrap_or(qualname);
    if call.on_self {
        format!("self.{name}")
    } else {
        name.to_string()
    }
}

/// Steps shown before the chain is elided.
const SHOWN_STEPS: usize = 6;

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    let graph = project.calls();
    for (caller, function) in graph.functions.iter().enumerate() {
        if !function.is_async {
            continue;
        }
        let facts = &project.modules[function.module];
        for (call_index, callee) in graph.calls(caller) {
            let Some(step) = callee else { continue };
            if graph.functions[step].is_async || graph.blocking[step].is_none() {
                continue;
            }
            let first = &graph.functions[step];
            let route = project.route(&graph.blocking, step, SHOWN_STEPS - 1);
            let mut chain = vec![format!("`{}`", first.qualname)];
            chain.extend(route.through);
            let api = format!("`{}` ({}, {})", route.api, route.api_at, route.code);
            let call = &facts.calls[call_index];
            let written = written_callee(call, &first.qualname);
            let message = format!(
                "`{}` runs on the event loop but calls `{}`, which blocks it: {} → {api}; run the helper in a thread (`await asyncio.to_thread({written}, ...)`) or make the chain async",
                function.qualname,
                first.qualname,
                chain.join(" → "),
            );
            cx.report(&facts.path, call.line, call.column, message);
        }
    }
}
