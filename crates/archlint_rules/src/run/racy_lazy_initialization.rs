use ruff_python_ast::visitor::{Visitor, walk_stmt};

use super::locks::{is_lock, releases_lock, under_lock};
use super::shared::{get_call, sharing};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags lazy initialisation of shared state without a lock: `if X is None:` (or
    /// `if not X:`) then `X = …`, `if not hasattr(cls, "_instance"):` then
    /// `cls._instance = …`, and `if key not in instances:` (or `instances.get(key) is None`)
    /// then `instances[key] = Cls(…)` — where `X` is a `global`, a class attribute or an item
    /// of a module-level or closure mapping in a module that imports a threading API, or an
    /// attribute of an instance whose class touches it under a lock elsewhere (not while the
    /// object is being built). Double-checked locking that takes
    /// the lock but forgets to test again inside it is flagged too; the complete form (test,
    /// lock, test again, build) is not.
    ///
    /// ## Why it matters
    /// Guide §2 and §3: two threads can both see the value missing and both build it — two
    /// "singletons", two connections, one of them silently dropped. The guide's
    /// `_make_singleton` shows double-checked locking done right; its first test alone is
    /// the bug. CPython's "Thread Safety Guarantees" page names this shape, check-then-act,
    /// as never atomic on any build, even where the test and the store are each atomic.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// _client = None
    ///
    /// def get_client():
    ///     global _client
    ///     if _client is None:
    ///         _client = object()
    ///     return _client
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// _client = None
    /// _client_lock = threading.Lock()
    ///
    /// def get_client():
    ///     global _client
    ///     if _client is None:
    ///         with _client_lock:
    ///             if _client is None:
    ///                 _client = object()
    ///     return _client
    /// ```
    pub static RACY_LAZY_INITIALIZATION = Rule {
        code: "RUN004",
        name: "racy-lazy-initialization",
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
    let Some(missing) = Missing::of(&if_stmt.test, cx) else {
        return;
    };
    let Some(store) = find_store(&if_stmt.body, &missing, &if_stmt.test, cx) else {
        return;
    };
    if store.rechecked {
        return;
    }
    let Some(shared) = sharing(store.target, cx) else {
        return;
    };
    if under_lock(cx, stmt.range()) {
        return;
    }
    let target = cx.text(store.target.range());
    let message = if store.locked {
        format!(
            "double-checked locking without the second check: two threads can both pass this test and build `{target}` twice, one after the other under the lock; test again inside the `with` block"
        )
    } else {
        format!(
            "lazy initialisation of `{target}` without a lock, and {}: two threads can both find it missing and build it twice; build it under a lock and test again inside",
            shared.reason()
        )
    };
    cx.report(if_stmt.test.range(), message);
}

/// What a test says is missing.
enum Missing<'a> {
    /// `X is None`, `not X`: the value of `X`.
    Value(&'a str),
    /// `not hasattr(obj, "name")`: the attribute `obj.name`.
    Attribute(&'a str, &'a str),
    /// `key not in m`, `m.get(key) is None`: the item `m[key]`.
    Item(&'a str, &'a str),
}

impl<'a> Missing<'a> {
    fn of(test: &'a Expr, cx: &FileContext<'a>) -> Option<Self> {
        match test {
            Expr::Compare(compare) if compare.comparators.len() == 1 => {
                let right = &compare.comparators[0];
                match compare.ops[0] {
                    ast::CmpOp::Is if literal::is_none(right) => {
                        Self::get_call(&compare.left, cx).or_else(|| value(&compare.left, cx))
                    }
                    ast::CmpOp::NotIn => Some(Missing::Item(
                        cx.text(right.range()),
                        cx.text(compare.left.range()),
                    )),
                    _ => None,
                }
            }
            Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not => match unary.operand.as_ref() {
                Expr::Call(call) if matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "hasattr") =>
                {
                    let [object, name] = &call.arguments.args[..] else {
                        return None;
                    };
                    Some(Missing::Attribute(
                        cx.text(object.range()),
                        literal::str_ref(name)?,
                    ))
                }
                operand => value(operand, cx),
            },
            _ => None,
        }
    }

    fn get_call(expr: &'a Expr, cx: &FileContext<'a>) -> Option<Self> {
        let (mapping, key) = get_call(expr)?;
        Some(Missing::Item(
            cx.text(mapping.range()),
            cx.text(key.range()),
        ))
    }

    /// Whether assigning `target` fills what is missing (`m[key] = ` only with a new object:
    /// storing a plain value is RUN003's).
    fn filled_by(&self, target: &Expr, value: &Expr, cx: &FileContext) -> bool {
        match (self, target) {
            (Missing::Value(name), _) => is_built(value) && cx.text(target.range()) == *name,
            (Missing::Attribute(object, name), Expr::Attribute(attribute)) => {
                is_built(value)
                    && attribute.attr.as_str() == *name
                    && cx.text(attribute.value.range()) == *object
            }
            (Missing::Item(mapping, key), Expr::Subscript(subscript)) => {
                matches!(value, Expr::Call(_))
                    && cx.text(subscript.value.range()) == *mapping
                    && cx.text(subscript.slice.range()) == *key
            }
            _ => false,
        }
    }
}

/// Whether a value is built on the spot (a call, a display), rather than copied from a name
/// or a constant (`if self.name is None: self.name = name` sets, it does not initialise).
fn is_built(value: &Expr) -> bool {
    !matches!(value, Expr::Name(_) | Expr::Attribute(_)) && !literal::is_constant(value)
}

/// `X` in `X is None` / `not X`, for a name or an attribute.
fn value<'a>(expr: &'a Expr, cx: &FileContext<'a>) -> Option<Missing<'a>> {
    matches!(expr, Expr::Name(_) | Expr::Attribute(_))
        .then(|| Missing::Value(cx.text(expr.range())))
}

struct Store<'a> {
    target: &'a Expr,
    /// Inside a `with <lock>:` of the guarded block.
    locked: bool,
    /// The test is repeated inside that lock (complete double-checked locking).
    rechecked: bool,
}

/// The first assignment in `body` that fills what `missing` describes.
fn find_store<'a>(
    body: &'a [Stmt],
    missing: &Missing,
    test: &Expr,
    cx: &FileContext,
) -> Option<Store<'a>> {
    struct Finder<'m, 'c, 'a, 'b> {
        missing: &'m Missing<'m>,
        test: String,
        cx: &'c FileContext<'a>,
        locked: bool,
        rechecked: bool,
        found: Option<Store<'b>>,
    }
    impl<'b> Visitor<'b> for Finder<'_, '_, '_, 'b> {
        fn visit_stmt(&mut self, stmt: &'b Stmt) {
            if self.found.is_some() {
                return;
            }
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Assign(assign) => {
                    if let Some(target) = assign
                        .targets
                        .iter()
                        .find(|t| self.missing.filled_by(t, &assign.value, self.cx))
                    {
                        self.found = Some(Store {
                            target,
                            locked: self.locked,
                            rechecked: self.rechecked,
                        });
                    }
                }
                Stmt::With(with)
                    if with.items.iter().any(|i| is_lock(&i.context_expr, self.cx)) =>
                {
                    let outer = std::mem::replace(&mut self.locked, true);
                    walk_stmt(self, stmt);
                    self.locked = outer;
                }
                Stmt::Try(try_stmt)
                    if try_stmt.finalbody.iter().any(|s| releases_lock(s, self.cx)) =>
                {
                    let outer = std::mem::replace(&mut self.locked, true);
                    self.visit_body(&try_stmt.body);
                    self.locked = outer;
                }
                Stmt::If(inner)
                    if self.locked && squeeze(self.cx.text(inner.test.range())) == self.test =>
                {
                    let outer = std::mem::replace(&mut self.rechecked, true);
                    walk_stmt(self, stmt);
                    self.rechecked = outer;
                }
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder {
        missing,
        test: squeeze(cx.text(test.range())),
        cx,
        locked: false,
        rechecked: false,
        found: None,
    };
    finder.visit_body(body);
    finder.found
}

/// Source text without whitespace, to compare two spellings of one test.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
