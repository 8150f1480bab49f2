use crate::prelude::*;
use archlint_facts::names::ScopeKind;

rule! {
    /// ## What it does
    /// Flags `@functools.lru_cache` and `@functools.cache` on methods (functions defined in
    /// a class body, other than static and class methods: a class lives as long as its cache
    /// anyway).
    ///
    /// ## Why it matters
    /// Guide §2 (memory): the cache is stored on the function, which lives as long as the
    /// class; it holds a reference to every `self` it has seen, so instances are never
    /// collected, and with `maxsize=None` the cache grows without bound.
    ///
    /// ## Example
    /// ```python
    /// import functools
    ///
    /// class Report:
    ///     @functools.lru_cache(maxsize=None)
    ///     def totals(self):
    ///         return sum(self.rows)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    ///
    /// class Report:
    ///     @functools.cached_property
    ///     def totals(self):
    ///         return sum(self.rows)
    /// ```
    pub static CACHED_METHOD_LEAK = Rule {
        code: "RUN015",
        name: "cached-method-leak",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "B019"), Peer::same("pylint", "W1518")],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    if cx.scopes.current_kind() != ScopeKind::Class {
        return;
    }
    let names: Vec<String> = function
        .decorator_list
        .iter()
        .filter_map(|decorator| {
            let expression = match &decorator.expression {
                Expr::Call(call) => &*call.func,
                other => other,
            };
            cx.qualified_name(expression)
        })
        .collect();
    // `__new__` is implicitly static: its first argument is the class, not an instance.
    if function.name.as_str() == "__new__"
        || names
            .iter()
            .any(|name| name == "staticmethod" || name == "classmethod")
    {
        return;
    }
    for (decorator, name) in function.decorator_list.iter().zip(&names) {
        if matches!(name.as_str(), "functools.lru_cache" | "functools.cache") {
            cx.report(
                decorator.range(),
                format!("`@{name}` on method `{}` keeps every `self` alive in the cache; use `functools.cached_property`, or cache a module-level function", function.name),
            );
        }
    }
}
