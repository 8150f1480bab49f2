use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

use super::locks::under_lock;
use super::shared::{get_call, sharing};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a test on a shared dict or set followed by an action that relies on the test
    /// still holding, outside a lock: `if k in m:` then `m[k]`, `del m[k]`, `m.pop(k)` or
    /// `m.remove(k)` (or `m[k] = …` in its `else`); `if k not in m:` or
    /// `if m.get(k) is None:` then `m[k] = …`. The mapping is shared when it is module-level
    /// or a class attribute in a module that imports a threading API, a closure variable
    /// there, or an attribute of an instance whose class owns a lock. Storing a newly built
    /// object (`m[k] = Cls()`) is a lazy initialisation, reported by RUN004 instead.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): another thread can remove the key between the
    /// test and the action (a `KeyError`), or store its own value there (one write is lost).
    /// The GIL made the window small; free-threaded Python (3.13t, 3.14t) makes it real. The
    /// guide's `memoize_with_ttl` checks and then fills its cache this way.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// _sessions = {}
    ///
    /// def end_session(key):
    ///     if key in _sessions:
    ///         del _sessions[key]
    ///
    /// def count(key):
    ///     if key not in _sessions:
    ///         _sessions[key] = 0
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// _sessions = {}
    ///
    /// def end_session(key):
    ///     _sessions.pop(key, None)
    ///
    /// def count(key):
    ///     _sessions.setdefault(key, 0)
    /// ```
    pub static CHECK_THEN_ACT_SHARED_MAPPING = Rule {
        code: "RUN003",
        name: "check-then-act-shared-mapping",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtIf], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::If(if_stmt) = stmt else { return };
    let Some(test) = KeyTest::of(&if_stmt.test, cx) else {
        return;
    };
    let else_body = if_stmt
        .elif_else_clauses
        .iter()
        .find(|clause| clause.test.is_none())
        .map_or(&[][..], |clause| clause.body.as_slice());
    let act = if test.present {
        Act::Remove
    } else {
        Act::Store
    };
    let found = find_act(&if_stmt.body, &test, act, cx).or_else(|| {
        test.present
            .then(|| find_act(else_body, &test, Act::Store, cx))
            .flatten()
    });
    let Some(act) = found else { return };
    let Some(shared) = sharing(test.mapping, cx) else {
        return;
    };
    if under_lock(cx, stmt.range()) {
        return;
    }
    let mapping = cx.text(test.mapping.range());
    let fix = match act {
        ActFound::Read => format!("read once with `{mapping}.get(key)`"),
        ActFound::Delete => format!("use `{mapping}.pop(key, None)`"),
        ActFound::Store => format!("use `{mapping}.setdefault(key, value)`"),
    };
    cx.report(
        if_stmt.test.range(),
        format!("checks `{mapping}` and then acts on the answer without a lock, and {}: another thread can change the key in between; {fix} or hold a lock", shared.reason()),
    );
}

/// A membership test on a mapping: `k in m`, `k not in m`, `m.get(k) is None`.
struct KeyTest<'a> {
    key: &'a str,
    mapping: &'a Expr,
    /// `true` when the branch runs if the key is there.
    present: bool,
}

impl<'a> KeyTest<'a> {
    fn of(test: &'a Expr, cx: &FileContext<'a>) -> Option<Self> {
        match test {
            Expr::Compare(compare) if compare.comparators.len() == 1 => {
                let op = compare.ops[0];
                let right = &compare.comparators[0];
                match op {
                    ast::CmpOp::In | ast::CmpOp::NotIn => Some(KeyTest {
                        key: cx.text(compare.left.range()),
                        mapping: right,
                        present: op == ast::CmpOp::In,
                    }),
                    ast::CmpOp::Is if literal::is_none(right) => Self::get_call(&compare.left, cx),
                    _ => None,
                }
            }
            Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not => {
                Self::get_call(&unary.operand, cx)
            }
            _ => None,
        }
    }

    /// `m.get(k)`, tested for absence.
    fn get_call(expr: &'a Expr, cx: &FileContext<'a>) -> Option<Self> {
        let (mapping, key) = get_call(expr)?;
        Some(KeyTest {
            key: cx.text(key.range()),
            mapping,
            present: false,
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Act {
    /// Reading or removing the key (after a test that it is there).
    Remove,
    /// Storing the key (after a test that it is missing).
    Store,
}

enum ActFound {
    Read,
    Delete,
    Store,
}

/// The first action on `mapping[key]` in `body` of the kind `act` looks for; a store of a
/// newly built object is RUN004's.
fn find_act(body: &[Stmt], test: &KeyTest, act: Act, cx: &FileContext) -> Option<ActFound> {
    struct Finder<'t, 'c, 'a> {
        test: &'t KeyTest<'a>,
        act: Act,
        cx: &'c FileContext<'a>,
        found: Option<ActFound>,
    }
    impl Finder<'_, '_, '_> {
        fn is_item(&self, expr: &Expr) -> bool {
            matches!(expr, Expr::Subscript(subscript)
                if self.same(&subscript.value) && self.cx.text(subscript.slice.range()) == self.test.key)
        }
        fn same(&self, expr: &Expr) -> bool {
            self.cx.text(expr.range()) == self.cx.text(self.test.mapping.range())
        }
    }
    impl<'b> Visitor<'b> for Finder<'_, '_, '_> {
        fn visit_stmt(&mut self, stmt: &'b Stmt) {
            if self.found.is_some() {
                return;
            }
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
                Stmt::Delete(delete)
                    if self.act == Act::Remove
                        && delete.targets.iter().any(|t| self.is_item(t)) =>
                {
                    self.found = Some(ActFound::Delete);
                    return;
                }
                Stmt::Assign(assign)
                    if self.act == Act::Store
                        && assign.targets.iter().any(|t| self.is_item(t))
                        && !matches!(assign.value.as_ref(), Expr::Call(_)) =>
                {
                    self.found = Some(ActFound::Store);
                    return;
                }
                _ => {}
            }
            walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'b Expr) {
            if self.found.is_some() || self.act != Act::Remove {
                return;
            }
            match expr {
                Expr::Lambda(_) => return,
                Expr::Subscript(subscript) if subscript.ctx.is_load() && self.is_item(expr) => {
                    self.found = Some(ActFound::Read);
                    return;
                }
                Expr::Call(call) => {
                    if let Expr::Attribute(method) = call.func.as_ref()
                        && matches!(method.attr.as_str(), "pop" | "remove")
                        && self.same(&method.value)
                        && call.arguments.len() == 1
                        && call
                            .arguments
                            .args
                            .first()
                            .is_some_and(|a| self.cx.text(a.range()) == self.test.key)
                    {
                        self.found = Some(ActFound::Delete);
                        return;
                    }
                }
                _ => {}
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        test,
        act,
        cx,
        found: None,
    };
    finder.visit_body(body);
    finder.found
}
