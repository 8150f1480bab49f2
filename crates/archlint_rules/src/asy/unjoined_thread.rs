use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `threading.Thread(...)` objects that nobody can join: started in the same
    /// expression that creates them (`threading.Thread(target=work).start()`) without saying
    /// `daemon=`. Also flags `Thread(target=work())`, which calls `work` now, in the current
    /// thread, and hands its result to the thread as the target.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a thread with no handle cannot be joined, so its
    /// errors go unnoticed and shutdown waits on it (or, as a daemon, kills it mid-write)
    /// without the program deciding which.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// def start(worker):
    ///     threading.Thread(target=worker.run).start()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// def start(worker):
    ///     thread = threading.Thread(target=worker.run, daemon=False)
    ///     thread.start()
    ///     return thread
    /// ```
    pub static UNJOINED_THREAD = Rule {
        code: "ASY028",
        name: "unjoined-thread",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("pylint", "W1506")],
        check: Check::Several(&[
            Check::Call { targets: &["threading.Thread", "threading.Timer"], run: check_target },
            Check::Stmt { kinds: &[NodeKind::StmtExpr], run: check_started },
        ]),
    };
}

/// `Thread(target=work())`.
fn check_target(call: &CallSite, cx: &mut FileContext) {
    if let Some(target @ Expr::Call(_)) = call.keyword_value("target")
        && !returns_callable(target, cx)
    {
        cx.report(
            target.range(),
            "`target=` is given the result of a call, so it runs now in this thread; pass the function itself (`target=work`, `args=(...)`)",
        );
    }
}

/// Calls known to return a callable: `functools.partial(...)`, `getattr(...)`.
fn returns_callable(expr: &Expr, cx: &FileContext) -> bool {
    let Expr::Call(call) = expr else { return false };
    cx.qualified_name(&call.func).is_some_and(|name| {
        matches!(
            name.as_str(),
            "functools.partial" | "getattr" | "operator.methodcaller"
        )
    })
}

/// `threading.Thread(...).start()` as a statement, without `daemon=`.
fn check_started(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Expr(statement) = stmt else { return };
    let Expr::Call(start) = statement.value.as_ref() else {
        return;
    };
    let Expr::Attribute(attribute) = start.func.as_ref() else {
        return;
    };
    if attribute.attr.as_str() != "start" {
        return;
    }
    let Expr::Call(thread) = attribute.value.as_ref() else {
        return;
    };
    if cx.qualified_name(&thread.func).as_deref() != Some("threading.Thread") {
        return;
    }
    if thread.arguments.find_keyword("daemon").is_some() {
        return;
    }
    cx.report(
        start.range(),
        "a thread started without keeping a handle cannot be joined; keep it and `join()` it, or say `daemon=True` if it may be killed at exit",
    );
}
