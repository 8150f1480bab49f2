use ruff_python_ast::visitor::{Visitor, walk_expr};

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags code that gives a class an `__eq__` from outside its class statement without
    /// also giving it a `__hash__`: `namespace["__eq__"] = …` in a metaclass or factory, a
    /// namespace dict with an `"__eq__"` key passed to `type(...)`, `setattr(cls, "__eq__",
    /// …)` and `cls.__eq__ = …` — when nothing in the same function (or module) mentions
    /// `__hash__`. Ruff's PLW1641 sees only `__eq__` defined in a class body; this is the
    /// metaprogramming half.
    ///
    /// ## Why it matters
    /// Guide §3 (metaclasses): a class created from a namespace holding `__eq__` but no
    /// `__hash__` gets `__hash__ = None` — its instances are unhashable, and `set`, dict
    /// keys, `WeakSet` and `WeakKeyDictionary` raise `TypeError`. Patching `__eq__` onto an
    /// existing class is the opposite trap: it keeps the identity hash, so equal objects hash
    /// differently and lookups miss. The guide's `_inject_common_methods` injects `__eq__`,
    /// and its `_add_instance_tracking` then puts instances in a `WeakSet`.
    ///
    /// ## Example
    /// ```python
    /// def inject_common_methods(namespace):
    ///     def auto_eq(self, other):
    ///         return self.__dict__ == other.__dict__
    ///
    ///     namespace["__eq__"] = auto_eq
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def inject_common_methods(namespace):
    ///     def auto_eq(self, other):
    ///         return self.__dict__ == other.__dict__
    ///
    ///     def auto_hash(self):
    ///         return hash(tuple(sorted(self.__dict__.items())))
    ///
    ///     namespace["__eq__"] = auto_eq
    ///     namespace["__hash__"] = auto_hash
    /// ```
    pub static INJECTED_EQ_WITHOUT_HASH = Rule {
        code: "META010",
        name: "injected-eq-without-hash",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "PLW1641")],
        check: Check::Several(&[
            Check::Stmt { kinds: &[NodeKind::StmtAssign], run: check_assignment },
            Check::Call { targets: &["setattr", "builtins.setattr"], run: check_setattr },
            Check::Expr { kinds: &[NodeKind::ExprDict], run: check_namespace_literal },
        ]),
    };
}

const UNHASHABLE: &str = "a class created from it gets `__hash__ = None`, so its instances cannot go in a `set`, a dict key, a `WeakSet` or a `WeakKeyDictionary`; add a `__hash__` consistent with the equality (or set `__hash__ = None` on purpose)";
const INCONSISTENT: &str = "the class keeps its old identity-based `__hash__`, so equal objects hash differently and set and dict lookups miss them; set a matching `__hash__` too";

fn check_assignment(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Assign(assign) = stmt else { return };
    for target in &assign.targets {
        let message = match target {
            Expr::Subscript(subscript) if literal::str_ref(&subscript.slice) == Some("__eq__") => {
                let namespace = cx.text(subscript.value.range());
                format!("`__eq__` is put in `{namespace}` without `__hash__`: {UNHASHABLE}")
            }
            // `self.__eq__ = …` changes nothing: `==` looks the method up on the type.
            Expr::Attribute(attribute)
                if attribute.attr.as_str() == "__eq__"
                    && !matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") =>
            {
                format!(
                    "`__eq__` is patched onto an existing class without `__hash__`: {INCONSISTENT}"
                )
            }
            _ => continue,
        };
        if !scope_mentions_hash(cx) {
            cx.report(target.range(), message);
        }
    }
}

fn check_setattr(call: &CallSite, cx: &mut FileContext) {
    if call.arg(1).and_then(literal::str_ref) == Some("__eq__") && !scope_mentions_hash(cx) {
        cx.report(
            call.range(),
            format!("`setattr(..., \"__eq__\", ...)` without `__hash__`: {INCONSISTENT}"),
        );
    }
}

/// A namespace display with `"__eq__"` but no `"__hash__"` handed to `type(...)`.
fn check_namespace_literal(expr: &Expr, cx: &mut FileContext) {
    let Expr::Dict(dict) = expr else { return };
    let keys: Vec<&str> = dict
        .items
        .iter()
        .filter_map(|item| item.key.as_ref().and_then(literal::str_ref))
        .collect();
    if !keys.contains(&"__eq__") || keys.contains(&"__hash__") {
        return;
    }
    let Some(Expr::Call(call)) = cx.expr_parents.last() else {
        return;
    };
    let is_namespace = call
        .arguments
        .args
        .get(2)
        .is_some_and(|arg| arg.range() == expr.range())
        && cx.resolves_to(&call.func, &["type", "builtins.type"]);
    if is_namespace {
        cx.report(
            expr.range(),
            format!("this class namespace has `__eq__` without `__hash__`: {UNHASHABLE}"),
        );
    }
}

/// Whether the enclosing function (or the module) mentions `__hash__` anywhere.
fn scope_mentions_hash(cx: &FileContext) -> bool {
    struct Finder(bool);
    impl Visitor<'_> for Finder {
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::StringLiteral(s) if s.value.to_str() == "__hash__" => self.0 = true,
                Expr::Attribute(a) if a.attr.as_str() == "__hash__" => self.0 = true,
                _ => walk_expr(self, expr),
            }
        }
        fn visit_stmt(&mut self, stmt: &Stmt) {
            if let Stmt::FunctionDef(def) = stmt
                && def.name.as_str() == "__hash__"
            {
                self.0 = true;
            }
            ruff_python_ast::visitor::walk_stmt(self, stmt);
        }
    }
    let body = cx
        .enclosing_function()
        .map_or(cx.module_body, |f| f.body.as_slice());
    let mut finder = Finder(false);
    finder.visit_body(body);
    finder.0
}
