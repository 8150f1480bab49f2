use super::locks::under_lock;
use super::shared::sharing;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a read-modify-write (`x += 1`, `x = x + 1`, `x[k] -= n`) of shared state outside
    /// a lock, in code built for threads: a `global` or `nonlocal` variable or a class
    /// attribute (`cls.x`, `ClassName.x`) in a module that imports a threading API, and an
    /// instance attribute (`self.x`, `self.x[k]`) of a class that owns a lock (its other
    /// methods lock, this one forgets) or changed from a closure — a callback such as a
    /// weak-reference callback or a thread target runs on whichever thread calls it. The
    /// catalogue's "any `self.attr` in a threaded module" would flag every counter of every
    /// per-thread object; a class holding a lock says it is shared.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): `+=` is a load, an add and a store. Two threads can
    /// load the same value and both store their result, losing one update — possible under
    /// the GIL and routine on free-threaded Python (3.13t, 3.14t). The guide's
    /// `track_object_lifecycle` decrements its statistics from a weak-reference callback.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// requests_served = 0
    ///
    /// def handle(request):
    ///     global requests_served
    ///     requests_served += 1
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// requests_served = 0
    /// counter_lock = threading.Lock()
    ///
    /// def handle(request):
    ///     global requests_served
    ///     with counter_lock:
    ///         requests_served += 1
    /// ```
    pub static NONATOMIC_SHARED_RMW = Rule {
        code: "RUN002",
        name: "nonatomic-shared-rmw",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt {
            kinds: &[NodeKind::StmtAugAssign, NodeKind::StmtAssign],
            run: check,
        },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let target = match stmt {
        Stmt::AugAssign(assign) => &*assign.target,
        Stmt::Assign(assign) => match (assign.targets.as_slice(), assign.value.as_ref()) {
            ([target], Expr::BinOp(operation))
                if cx.text(operation.left.range()) == cx.text(target.range()) =>
            {
                target
            }
            _ => return,
        },
        _ => return,
    };
    if cx.enclosing_function().is_none() {
        return;
    }
    let Some(shared) = sharing(target, cx) else {
        return;
    };
    if under_lock(cx, stmt.range()) {
        return;
    }
    let written = cx.text(target.range());
    cx.report(
        stmt.range(),
        format!("`{written}` is read, changed and written back without a lock, and {}: two threads can both read the old value and one update is lost; hold a lock around it", shared.reason()),
    );
}
