use ruff_python_ast::visitor::{Visitor, walk_expr};

use super::locks::under_lock;
use super::shared::sharing;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a read-modify-write of shared state outside a lock, in code built for threads:
    /// `x += 1`, `x = x + 1`, `x[k] -= n`, and get-then-set of an entry
    /// (`counts[k] = counts.get(k, 0) + 1`, `lst[i] = lst[i] + 1`). The state is shared when
    /// it is a `global` or `nonlocal` variable or a class attribute (`cls.x`, `ClassName.x`)
    /// in a module that imports a threading API, or an instance attribute (`self.x`,
    /// `self.x[k]`) that the class touches under a lock elsewhere (its other methods lock,
    /// this one forgets; not in its constructor or the helpers only it calls) or
    /// changed from a closure — a callback such as a weak-reference callback or a thread
    /// target runs on whichever thread calls it. A single write (`counts[k] = v`,
    /// `counts.setdefault(k, 0)`) is not flagged.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): `+=` is a load, an add and a store. CPython's
    /// "Thread Safety Guarantees" page makes each single read and write of a built-in
    /// container atomic, and names `d[key] = d[key] + 1` and `lst[i] = lst[i] + 1` as not
    /// atomic: two threads can load the same value and both store their result, losing one
    /// update — possible under the GIL and routine on free-threaded Python (3.13t, 3.14t).
    /// Plain attributes of a user-defined object have no per-object lock at all. The guide's
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
            ([target @ Expr::Subscript(item)], value) if reads_item(value, item, cx) => target,
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
    let lost = match step_by_one(stmt) {
        Some(ast::Operator::Add) => {
            "two threads can both read 3 and both write 4, and one increment is lost"
        }
        Some(_) => "two threads can both read 3 and both write 2, and one decrement is lost",
        None => {
            "two threads can both read the same value and both write their result, and one update is lost"
        }
    };
    cx.report(
        stmt.range(),
        format!("`{written}` is read, changed and written back without a lock, and {}: {lost}, even though each single read and write is atomic; hold one lock around the read and the write", shared.reason()),
    );
}

/// `+ 1` or `- 1` as the change (`x += 1`, `x = x - 1`, `d[k] = d.get(k, 0) + 1`): the
/// operator.
fn step_by_one(stmt: &Stmt) -> Option<ast::Operator> {
    let (op, step) = match stmt {
        Stmt::AugAssign(assign) => (assign.op, &*assign.value),
        Stmt::Assign(assign) => match assign.value.as_ref() {
            Expr::BinOp(operation) => (operation.op, &*operation.right),
            _ => return None,
        },
        _ => return None,
    };
    let one = matches!(step, Expr::NumberLiteral(number)
        if matches!(&number.value, ast::Number::Int(int) if int.as_u8() == Some(1)));
    (one && matches!(op, ast::Operator::Add | ast::Operator::Sub)).then_some(op)
}

/// Whether `value` reads the item `item` stores: `d[k]` or `d.get(k, …)` (get-then-set).
fn reads_item(value: &Expr, item: &ast::ExprSubscript, cx: &FileContext) -> bool {
    struct Reads<'c, 'a> {
        cx: &'c FileContext<'a>,
        container: &'c str,
        key: &'c str,
        found: bool,
    }
    impl Visitor<'_> for Reads<'_, '_> {
        fn visit_expr(&mut self, expr: &Expr) {
            let cx = self.cx;
            self.found |= match expr {
                Expr::Subscript(read) => {
                    cx.text(read.value.range()) == self.container
                        && cx.text(read.slice.range()) == self.key
                }
                Expr::Call(call) => matches!(call.func.as_ref(), Expr::Attribute(method)
                    if method.attr.as_str() == "get"
                        && cx.text(method.value.range()) == self.container
                        && call.arguments.args.first().is_some_and(|k| cx.text(k.range()) == self.key)),
                _ => false,
            };
            if !self.found {
                walk_expr(self, expr);
            }
        }
    }
    let mut reads = Reads {
        cx,
        container: cx.text(item.value.range()),
        key: cx.text(item.slice.range()),
        found: false,
    };
    reads.visit_expr(value);
    reads.found
}
