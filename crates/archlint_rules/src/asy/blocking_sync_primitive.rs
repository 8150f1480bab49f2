use super::async_context::{coroutine, suspends};
use crate::prelude::*;
use crate::run::locks::THREAD_LOCKS;

rule! {
    /// ## What it does
    /// Flags, inside `async def`, waiting on a thread primitive: `.acquire()` or `with` on a
    /// `threading` `Lock`/`RLock`/`Semaphore`/`BoundedSemaphore`/`Condition`,
    /// `.wait()` on a `threading.Event`/`Condition`/`Barrier`, and `.get()`/`.put()`/`.join()`
    /// on a `queue.Queue`. The object is recognised when it was created in the same function
    /// or module (`lock = threading.Lock()`) or in the class's `__init__`
    /// (`self.lock = threading.Lock()`). A `with` block that also `await`s is an error: the
    /// thread lock is held across a suspension, and any other coroutine that wants it
    /// deadlocks the loop.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): thread primitives block the thread, and the event
    /// loop is that thread; while one coroutine waits, nothing else runs, including the
    /// coroutine that would release it.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// lock = threading.Lock()
    ///
    /// async def update(cache, key, fetch):
    ///     with lock:
    ///         cache[key] = await fetch(key)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// lock = asyncio.Lock()
    ///
    /// async def update(cache, key, fetch):
    ///     async with lock:
    ///         cache[key] = await fetch(key)
    /// ```
    pub static BLOCKING_SYNC_PRIMITIVE = Rule {
        code: "ASY010",
        name: "blocking-sync-primitive",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Several(&[
            Check::Call { targets: &[".acquire", ".wait", ".get", ".put", ".join"], run: check_call },
            Check::Stmt { kinds: &[NodeKind::StmtWith], run: check_with },
        ]),
    };
}

const WAITABLE: &[&str] = &[
    "threading.Event",
    "threading.Condition",
    "threading.Barrier",
];
const QUEUES: &[&str] = &[
    "queue.Queue",
    "queue.LifoQueue",
    "queue.PriorityQueue",
    "queue.SimpleQueue",
];

fn check_call(call: &CallSite, cx: &mut FileContext) {
    let (Some(method), Some(receiver)) = (call.method, call.receiver()) else {
        return;
    };
    if coroutine(cx).is_none() {
        return;
    }
    let Some(made_by) = cx.constructed_by(receiver) else {
        return;
    };
    let blocking = match method {
        "acquire" => THREAD_LOCKS.contains(&made_by.as_str()),
        "wait" => WAITABLE.contains(&made_by.as_str()),
        "get" | "put" | "join" => QUEUES.contains(&made_by.as_str()),
        _ => false,
    };
    // `acquire(blocking=False)` and `get_nowait`-style calls do not wait.
    let non_blocking = call
        .keyword_value("blocking")
        .or_else(|| call.keyword_value("block"))
        .is_some_and(literal::is_false);
    if blocking && !non_blocking {
        cx.report(
            call.range(),
            format!("`.{method}()` on a `{made_by}` blocks the event loop; use the `asyncio` equivalent (`asyncio.Lock`, `asyncio.Event`, `asyncio.Queue`)"),
        );
    }
}

fn check_with(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::With(with) = stmt else { return };
    if with.is_async || coroutine(cx).is_none() {
        return;
    }
    for item in &with.items {
        let Some(made_by) = cx.constructed_by(&item.context_expr) else {
            continue;
        };
        if !THREAD_LOCKS.contains(&made_by.as_str()) {
            continue;
        }
        if suspends(&with.body) {
            cx.report_rated(
                item.range(),
                format!("a `{made_by}` held across `await` deadlocks the event loop when another coroutine wants it; use `asyncio.Lock` with `async with`"),
                Some(Severity::Error),
                None,
            );
        } else {
            cx.report(
                item.range(),
                format!("taking a `{made_by}` blocks the event loop while another thread holds it; use `asyncio.Lock` with `async with`"),
            );
        }
    }
}
