use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `anyio` names removed in AnyIO 4 (deprecated in 3): the factory functions
    /// `create_lock`, `create_event`, `create_semaphore`, `create_condition` and
    /// `create_capacity_limiter`, `open_cancel_scope`, `run_sync_in_worker_thread` and
    /// `current_default_worker_thread_limiter`; and names that never existed
    /// (`anyio.create_tcp_connection`, `anyio.contextmanager`).
    ///
    /// The installed AnyIO version is not read; the list is AnyIO 4's removals.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): these raise `AttributeError` at run time on AnyIO 4,
    /// often on a path (shutdown, error handling) that tests do not reach.
    ///
    /// ## Example
    /// ```python
    /// import anyio
    ///
    /// async def main():
    ///     lock = anyio.create_lock()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import anyio
    ///
    /// async def main():
    ///     lock = anyio.Lock()
    /// ```
    pub static REMOVED_ANYIO_API = Rule {
        code: "ASY026",
        name: "removed-anyio-api",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Expr { kinds: &[NodeKind::ExprAttribute, NodeKind::ExprName], run: check },
    };
}

/// Removed or never-existing names, with what to use.
const REMOVED: &[(&str, &str)] = &[
    ("create_lock", "anyio.Lock()"),
    ("create_event", "anyio.Event()"),
    ("create_semaphore", "anyio.Semaphore(n)"),
    ("create_condition", "anyio.Condition()"),
    ("create_capacity_limiter", "anyio.CapacityLimiter(n)"),
    ("open_cancel_scope", "anyio.CancelScope()"),
    ("run_sync_in_worker_thread", "anyio.to_thread.run_sync(...)"),
    (
        "current_default_worker_thread_limiter",
        "anyio.to_thread.current_default_thread_limiter()",
    ),
    ("create_tcp_connection", "anyio.connect_tcp(...)"),
    ("contextmanager", "contextlib.asynccontextmanager"),
];

fn check(expr: &Expr, cx: &mut FileContext) {
    // `anyio.create_lock` read, or a name imported `from anyio import create_lock`.
    let Some(name) = cx.read_name(expr) else {
        return;
    };
    let Some(member) = name.strip_prefix("anyio.") else {
        return;
    };
    if let Some((_, replacement)) = REMOVED.iter().find(|(removed, _)| *removed == member) {
        cx.report(
            expr.range(),
            format!("`anyio.{member}` does not exist in AnyIO 4; use `{replacement}`"),
        );
    }
}
