use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

use super::locks::under_lock;
use super::shared::{CONSTRUCTORS, Sharing, get_call, module_container, sharing};
use super::thread_safety::Container;
use crate::prelude::*;
use archlint_facts::blocks::yields;

rule! {
    /// ## What it does
    /// Flags a test on a shared container followed by an action that relies on the test still
    /// holding, outside a lock:
    /// - membership: `if k in m:` then `m[k]`, `del m[k]`, `m.pop(k)` or `m.remove(k)` (or
    ///   `m[k] = …` in its `else`); `if k not in m:` or `if m.get(k) is None:` then
    ///   `m[k] = …`;
    /// - emptiness: `if q:`, `while q:` or `if len(q) > 0:` then `q.pop()`, `q.popleft()`,
    ///   `q.popitem()`, `q[0]` or `q[-1]`.
    ///
    /// The container is shared when it is module-level or a class attribute in a module that
    /// imports a threading API, a closure variable there (of a closure that outlives the call
    /// that made it), or an attribute of an instance whose class touches it under a lock
    /// elsewhere; not while the object is being built. Storing a newly built object (`m[k] = Cls()`) is a lazy
    /// initialisation, reported by RUN004 instead.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): CPython's "Thread Safety Guarantees" page makes the
    /// test (`key in d`, `len(d)`) and the action (`del d[key]`, `lst.pop()`) each atomic, and
    /// names the pair as not: "check-then-act (TOCTOU)", `if key in d: del d[key]` and
    /// `if lst: item = lst.pop()`. Another thread can remove the key or the last item between
    /// the test and the action (a `KeyError` or `IndexError`), or store its own value there
    /// (one write is lost). The GIL made the window small; free-threaded Python (3.13t,
    /// 3.14t) makes it real. A read after a membership test is reported only when some code
    /// of the module removes keys from that mapping (or replaces it): a cache that only grows
    /// answers the same after the test.
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
    pub static CHECK_THEN_ACT_SHARED_CONTAINER = Rule {
        code: "RUN003",
        name: "check-then-act-shared-container",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtIf, NodeKind::StmtWhile], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    match stmt {
        Stmt::If(if_stmt) => {
            check_emptiness(&if_stmt.test, &if_stmt.body, cx);
            check_key_test(if_stmt, cx);
        }
        Stmt::While(while_stmt) => check_emptiness(&while_stmt.test, &while_stmt.body, cx),
        _ => {}
    }
}

/// `if q:` or `while q:` (or `len(q)`, `len(q) > 0`) and then a take from `q` that needs it
/// not empty: `q.pop()`, `q.popleft()`, `q.popitem()`, `q[0]`, `q[-1]`.
fn check_emptiness(test: &Expr, body: &[Stmt], cx: &mut FileContext) {
    let Some(container) = tested_for_items(test) else {
        return;
    };
    let Some(take) = find_take(body, cx.text(container.range()), cx) else {
        return;
    };
    // `[0]` reads anything indexable (a tuple, a string): only a built-in list, deque or
    // bytearray of the module is known to be one a thread can empty. `pop()` says so itself.
    let module_container = module_container(container, cx);
    if take.starts_with('[')
        && !matches!(
            module_container,
            Some(Container::List | Container::Deque | Container::Bytearray)
        )
    {
        return;
    }
    let Some(shared) = sharing(container, cx) else {
        return;
    };
    // A generator's state belongs to the one consumer iterating it: sharing a generator
    // between threads is unsafe anyway (the free-threading HOWTO, § Iterators).
    if shared == Sharing::ClosureCell
        && cx
            .enclosing_function()
            .is_some_and(|function| yields(&function.body))
    {
        return;
    }
    if under_lock(cx, test.range()) {
        return;
    }
    let written = cx.text(container.range());
    // An empty dict's `popitem()` and an empty set's `pop()` raise `KeyError`.
    let is_set = module_container == Some(Container::Set);
    let error = if take == ".popitem()" || (is_set && take == ".pop()") {
        "KeyError"
    } else {
        "IndexError"
    };
    cx.report(
        test.range(),
        format!("checks that `{written}` is not empty and then takes `{written}{take}` without a lock, and {}: another thread can take the last item in between, and `{written}{take}` raises `{error}`; take it in `try`/`except {error}`, use a `queue.Queue`, or hold a lock", shared.reason()),
    );
}

/// The container a test checks for items: `q`, `len(q)`, `len(q) > 0`, `len(q) != 0`.
fn tested_for_items(test: &Expr) -> Option<&Expr> {
    match test {
        Expr::Name(_) | Expr::Attribute(_) => Some(test),
        Expr::Call(_) => len_argument(test),
        Expr::Compare(compare)
            if compare.comparators.len() == 1
                && matches!(compare.ops[0], ast::CmpOp::Gt | ast::CmpOp::NotEq)
                && matches!(&compare.comparators[0], Expr::NumberLiteral(number)
                    if matches!(&number.value, ast::Number::Int(int) if int.as_u8() == Some(0))) =>
        {
            len_argument(&compare.left)
        }
        _ => None,
    }
    .filter(|container| matches!(container, Expr::Name(_) | Expr::Attribute(_)))
}

/// `x` in `len(x)`.
fn len_argument(expr: &Expr) -> Option<&Expr> {
    let Expr::Call(call) = expr else { return None };
    let [argument] = &call.arguments.args[..] else {
        return None;
    };
    let is_len = matches!(call.func.as_ref(), Expr::Name(name) if name.id.as_str() == "len");
    (is_len && call.arguments.keywords.is_empty()).then_some(argument)
}

/// The first take from `container` in `body` that fails on an empty container, as written
/// after the container (`.pop()`, `[0]`).
fn find_take(body: &[Stmt], container: &str, cx: &FileContext) -> Option<&'static str> {
    struct Finder<'c, 'a> {
        container: &'c str,
        cx: &'c FileContext<'a>,
        found: Option<&'static str>,
    }
    impl<'b> Visitor<'b> for Finder<'_, '_> {
        fn visit_stmt(&mut self, stmt: &'b Stmt) {
            if self.found.is_none() && !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'b Expr) {
            if self.found.is_some() || matches!(expr, Expr::Lambda(_)) {
                return;
            }
            self.found = match expr {
                Expr::Call(call) if call.arguments.is_empty() => match call.func.as_ref() {
                    Expr::Attribute(method)
                        if self.cx.text(method.value.range()) == self.container =>
                    {
                        match method.attr.as_str() {
                            "pop" => Some(".pop()"),
                            "popleft" => Some(".popleft()"),
                            "popitem" => Some(".popitem()"),
                            _ => None,
                        }
                    }
                    _ => None,
                },
                Expr::Subscript(item)
                    if item.ctx.is_load() && self.cx.text(item.value.range()) == self.container =>
                {
                    match self.cx.text(item.slice.range()) {
                        "0" => Some("[0]"),
                        "-1" => Some("[-1]"),
                        _ => None,
                    }
                }
                _ => None,
            };
            if self.found.is_none() {
                walk_expr(self, expr);
            }
        }
    }
    let mut finder = Finder {
        container,
        cx,
        found: None,
    };
    finder.visit_body(body);
    finder.found
}

fn check_key_test(if_stmt: &ast::StmtIf, cx: &mut FileContext) {
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
    // Reading a key found present fails only if some code removes keys (or replaces the
    // mapping); a cache that only grows answers the same after the test.
    if matches!(act, ActFound::Read) && !removes_keys(cx.text(test.mapping.range()), cx) {
        return;
    }
    let Some(shared) = sharing(test.mapping, cx) else {
        return;
    };
    if under_lock(cx, if_stmt.range()) {
        return;
    }
    let mapping = cx.text(test.mapping.range());
    let is_set = module_container(test.mapping, cx) == Some(Container::Set);
    let fix = match act {
        ActFound::Read => format!("read once with `{mapping}.get(key)`"),
        ActFound::Delete if is_set => format!("use `{mapping}.discard(item)`"),
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

/// Whether any function of the module removes keys from the mapping written `mapping`
/// (`del m[k]`, `m.pop(…)`, `m.popitem()`, `m.clear()`, `m.remove(…)`, `m.discard(…)`) or
/// binds a new mapping to it: `self.m = …` outside a constructor, `m = …` under `global m`.
fn removes_keys(mapping: &str, cx: &FileContext) -> bool {
    struct Finder<'c, 'a> {
        mapping: &'c str,
        cx: &'c FileContext<'a>,
        function: Option<&'a ast::StmtFunctionDef>,
        found: bool,
    }
    impl Finder<'_, '_> {
        fn rebinds(&self, target: &Expr) -> bool {
            let Some(function) = self.function else {
                return false;
            };
            if self.cx.text(target.range()) != self.mapping {
                return false;
            }
            match target {
                Expr::Attribute(_) => !CONSTRUCTORS.contains(&function.name.as_str()),
                Expr::Name(name) => function.body.iter().any(|stmt| {
                    matches!(stmt, Stmt::Global(global)
                        if global.names.iter().any(|n| n.as_str() == name.id.as_str()))
                }),
                _ => false,
            }
        }
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.found {
                return;
            }
            match stmt {
                Stmt::FunctionDef(function) => {
                    let outer = self.function.replace(function);
                    walk_stmt(self, stmt);
                    self.function = outer;
                    return;
                }
                Stmt::Delete(delete) => {
                    self.found |= delete.targets.iter().any(|target| {
                        matches!(target, Expr::Subscript(item)
                            if self.cx.text(item.value.range()) == self.mapping)
                    });
                }
                Stmt::Assign(assign) => {
                    self.found |= assign.targets.iter().any(|target| self.rebinds(target));
                }
                _ => {}
            }
            walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Attribute(method) = call.func.as_ref()
                && matches!(
                    method.attr.as_str(),
                    "pop" | "popitem" | "clear" | "remove" | "discard"
                )
                && self.cx.text(method.value.range()) == self.mapping
            {
                self.found = true;
            }
            if !self.found {
                walk_expr(self, expr);
            }
        }
    }
    let mut finder = Finder {
        mapping,
        cx,
        function: None,
        found: false,
    };
    finder.visit_body(cx.module_body);
    finder.found
}
