use super::locks::THREAD_LOCKS;
use crate::prelude::*;
use archlint_facts::blocks::next_statement;

rule! {
    /// ## What it does
    /// Flags `lock.acquire()` as a statement on a `threading` (or `multiprocessing`) lock or
    /// semaphore when the next statement is not a `try` whose `finally` releases it (nor is the
    /// acquire the first statement of such a `try`). The
    /// lock is recognised when created in the same function or module, or in the class's
    /// `__init__`.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): an exception between `acquire()` and `release()`
    /// leaves the lock held forever, and every other thread that needs it hangs. `with lock:`
    /// releases on every path.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// lock = threading.Lock()
    ///
    /// def transfer(accounts, amount):
    ///     lock.acquire()
    ///     accounts.move(amount)
    ///     lock.release()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// lock = threading.Lock()
    ///
    /// def transfer(accounts, amount):
    ///     with lock:
    ///         accounts.move(amount)
    /// ```
    pub static LOCK_ACQUIRE_WITHOUT_FINALLY = Rule {
        code: "RUN006",
        name: "lock-acquire-without-finally",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("pylint", "R1732")],
        check: Check::Stmt { kinds: &[NodeKind::StmtExpr], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Expr(statement) = stmt else { return };
    let Expr::Call(call) = statement.value.as_ref() else {
        return;
    };
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    if attribute.attr.as_str() != "acquire" {
        return;
    }
    let Some(made_by) = cx.constructed_by(&attribute.value) else {
        return;
    };
    if !THREAD_LOCKS.contains(&made_by.as_str()) {
        return;
    }
    let lock = cx.text(attribute.value.range()).to_string();
    let body = cx
        .enclosing_function()
        .map_or(cx.module_body, |f| f.body.as_slice());
    let released_in_finally = match next_statement(body, stmt.range()) {
        Some(Stmt::Try(try_stmt)) => try_stmt.finalbody.iter().any(|s| releases(s, &lock, cx)),
        _ => false,
    };
    // `try: lock.acquire() ... finally: lock.release()`: the acquire opens the guarded body.
    let acquired_in_guarded_try = matches!(cx.stmt_parents.last(), Some(Stmt::Try(try_stmt))
        if try_stmt.body.first().is_some_and(|first| first.range() == stmt.range())
            && try_stmt.finalbody.iter().any(|s| releases(s, &lock, cx)));
    if !released_in_finally && !acquired_in_guarded_try {
        cx.report(
            call.range(),
            format!("`{lock}.acquire()` without a `try`/`finally` that releases it stays held if anything raises; use `with {lock}:`"),
        );
    }
}

/// `<lock>.release()` as a statement.
fn releases(stmt: &Stmt, lock: &str, cx: &FileContext) -> bool {
    matches!(stmt, Stmt::Expr(statement)
        if matches!(statement.value.as_ref(), Expr::Call(call)
            if matches!(call.func.as_ref(), Expr::Attribute(a)
                if a.attr.as_str() == "release" && cx.text(a.value.range()) == lock)))
}
