use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a weak reference tested and then dereferenced again: `if key in cache:` followed
    /// by `cache[key]` on a `weakref.WeakValueDictionary`, and `if ref() is not None:` (or
    /// `if ref():`) followed by another `ref()` call on a `weakref.ref`.
    ///
    /// ## Why it matters
    /// Guide §2 (weak references): nothing keeps the referent alive between the test and the
    /// second access. The collector (or another thread dropping the last reference) can run
    /// in between, and the second access raises `KeyError` or returns `None`. The guide's
    /// `CacheWithWeakRefs.get_or_create` does exactly this. It is the check-then-act shape
    /// CPython's "Thread Safety Guarantees" page calls never atomic, made worse: here the
    /// collector, not only another thread, can act in between.
    ///
    /// ## Example
    /// ```python
    /// import weakref
    ///
    /// cache = weakref.WeakValueDictionary()
    ///
    /// def get_or_create(key, factory):
    ///     if key in cache:
    ///         return cache[key]
    ///     obj = factory()
    ///     cache[key] = obj
    ///     return obj
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import weakref
    ///
    /// cache = weakref.WeakValueDictionary()
    ///
    /// def get_or_create(key, factory):
    ///     obj = cache.get(key)
    ///     if obj is None:
    ///         obj = factory()
    ///         cache[key] = obj
    ///     return obj
    /// ```
    pub static WEAK_CONTAINER_CHECK_THEN_GET = Rule {
        code: "RUN013",
        name: "weak-container-check-then-get",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtIf], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::If(if_stmt) = stmt else { return };
    match if_stmt.test.as_ref() {
        Expr::Compare(compare)
            if compare.ops.as_ref() == [ast::CmpOp::In]
                && made_by(&compare.comparators[0], cx, "weakref.WeakValueDictionary") =>
        {
            let mapping = cx.text(compare.comparators[0].range());
            let key = cx.text(compare.left.range());
            let second = first_access(&if_stmt.body, &|expr| {
                matches!(expr, Expr::Subscript(s) if s.ctx.is_load()
                    && cx.text(s.value.range()) == mapping
                    && cx.text(s.slice.range()) == key)
            });
            if let Some(second) = second {
                cx.report(
                    second,
                    format!("`{mapping}` holds its values weakly: the value tested with `in` can be collected before `{mapping}[{key}]` reads it (`KeyError`); read once with `{mapping}.get({key})` and test the result"),
                );
            }
        }
        test => {
            let Some(reference) = dereference_tested(test, cx) else {
                return;
            };
            let text = cx.text(reference.range());
            let second = first_access(&if_stmt.body, &|expr| {
                matches!(expr, Expr::Call(call) if call.arguments.is_empty()
                    && cx.text(call.func.range()) == text)
            });
            if let Some(second) = second {
                cx.report(
                    second,
                    format!("`{text}()` is called again after the test: the referent can be collected in between and this call returns `None`; bind it once (`obj = {text}()`) and test `obj`"),
                );
            }
        }
    }
}

/// `r` in `r() is not None`, `r() is None` or a bare `r()`, when `r` is a `weakref.ref`.
fn dereference_tested<'a>(test: &'a Expr, cx: &FileContext) -> Option<&'a Expr> {
    let call = match test {
        Expr::Compare(compare)
            if compare.comparators.len() == 1 && literal::is_none(&compare.comparators[0]) =>
        {
            &*compare.left
        }
        other => other,
    };
    let Expr::Call(call) = call else { return None };
    (call.arguments.is_empty() && made_by(&call.func, cx, "weakref.ref")).then_some(&*call.func)
}

fn made_by(expr: &Expr, cx: &FileContext, qualified: &str) -> bool {
    cx.constructed_by(expr)
        .is_some_and(|made_by| made_by == qualified)
}

/// The first expression in `body` that `matches`, outside nested functions and lambdas.
fn first_access(body: &[Stmt], matches: &dyn Fn(&Expr) -> bool) -> Option<TextRange> {
    struct Finder<'m> {
        matches: &'m dyn Fn(&Expr) -> bool,
        found: Option<TextRange>,
    }
    impl Visitor<'_> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            if self.found.is_none() && !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &Expr) {
            if self.found.is_some() || matches!(expr, Expr::Lambda(_)) {
                return;
            }
            if (self.matches)(expr) {
                self.found = Some(expr.range());
                return;
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        matches,
        found: None,
    };
    finder.visit_body(body);
    finder.found
}
