use super::locks::{ASYNC_LOCKS, THREAD_LOCKS};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `with threading.Lock():` (or `RLock`, `Semaphore`, `BoundedSemaphore`,
    /// `Condition`, and the `asyncio`/`multiprocessing` ones) where the lock is created in
    /// the `with` statement itself.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): each execution creates a new lock that no other
    /// thread can see, so the block is not protected at all; the code only looks
    /// synchronised.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// def add(counter):
    ///     with threading.Lock():
    ///         counter.value += 1
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// lock = threading.Lock()
    ///
    /// def add(counter):
    ///     with lock:
    ///         counter.value += 1
    /// ```
    pub static USELESS_WITH_LOCK = Rule {
        code: "RUN007",
        name: "useless-with-lock",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "PLW2101"), Peer::same("pylint", "W2101")],
        check: Check::Stmt { kinds: &[NodeKind::StmtWith], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::With(with) = stmt else { return };
    for item in &with.items {
        let Expr::Call(call) = &item.context_expr else {
            continue;
        };
        let Some(name) = cx.qualified_name(&call.func) else {
            continue;
        };
        if THREAD_LOCKS.contains(&name.as_str()) || ASYNC_LOCKS.contains(&name.as_str()) {
            cx.report(
                item.context_expr.range(),
                format!("`with {name}()` locks a new lock no other thread can see; create the lock once and share it"),
            );
        }
    }
}
