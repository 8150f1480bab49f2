use super::flow::{self, Binding};
use crate::prelude::*;
use archlint_facts::names::{ScopeKind, names_bound_in};
use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::visitor::{self, Visitor};

rule! {
    /// ## What it does
    /// Flags memo caches that nothing bounds:
    /// - a dict (`{}` or `dict()`) held by a decorator's closure or by the module, that a
    ///   function both looks up and fills with the same key (`if key in cache: ...`,
    ///   `cache[key] = result`), when nothing anywhere in the decorator (or the module) ever
    ///   removes other entries: no `popitem()`, no `len(cache)` compared with a limit, no
    ///   `del cache[k]`/`cache.pop(k)` with a key other than the one being looked up. A
    ///   `clear()` offered to callers, or an expired entry dropped when its own key comes
    ///   back, does not bound the size between calls;
    /// - `@functools.cache` and `@functools.lru_cache(maxsize=None)` on a function (not a
    ///   method: RUN015 covers those) with a parameter annotated `str`, `bytes`, `object` or
    ///   `Any`, whose values have no natural bound.
    ///
    /// pylint's W1518 flags `lru_cache(maxsize=None)` on methods only.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering, `memoize_with_ttl`): a cache that only grows keeps
    /// every result it ever computed, for the life of the process; in a server that is a
    /// memory leak whose size is set by the variety of the input (every distinct URL, user
    /// name, query). A size limit with an eviction policy (`functools.lru_cache(maxsize=...)`,
    /// or evicting when `len(cache)` passes a bound) keeps the benefit and the memory flat.
    ///
    /// ## Example
    /// ```python
    /// import functools
    ///
    /// def memoize(func):
    ///     cache = {}
    ///
    ///     @functools.wraps(func)
    ///     def wrapper(*args):
    ///         if args in cache:
    ///             return cache[args]
    ///         cache[args] = result = func(*args)
    ///         return result
    ///
    ///     return wrapper
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    ///
    /// def memoize(func):
    ///     return functools.lru_cache(maxsize=1024)(func)
    /// ```
    pub static UNBOUNDED_MEMO_CACHE = Rule {
        code: "PERF012",
        name: "unbounded-memo-cache",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("pylint", "W1518")],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    check_decorators(function, cx);
    check_memo_dicts(function, cx);
}

/// `@functools.cache` / `@functools.lru_cache(maxsize=None)` on a function taking strings or
/// arbitrary objects.
fn check_decorators(function: &ast::StmtFunctionDef, cx: &mut FileContext) {
    if cx.scopes.current_kind() == ScopeKind::Class {
        return;
    }
    for decorator in &function.decorator_list {
        let unbounded = match &decorator.expression {
            Expr::Call(call) if cx.resolves_to(&call.func, &["functools.lru_cache"]) => call
                .arguments
                .find_argument_value("maxsize", 0)
                .is_some_and(literal::is_none),
            other => cx.resolves_to(other, &["functools.cache"]),
        };
        if !unbounded {
            continue;
        }
        let open_ended = function.parameters.iter().find(|parameter| {
            parameter.annotation().is_some_and(|annotation| {
                cx.qualified_name(annotation).is_some_and(|name| {
                    matches!(name.as_str(), "str" | "bytes" | "object" | "typing.Any")
                })
            })
        });
        if let Some(parameter) = open_ended {
            cx.report(
                decorator.range(),
                format!(
                    "`@{}` keeps a result for every distinct `{}` for the life of the process; give it a `maxsize`",
                    cx.text(decorator.expression.range()),
                    cx.text(parameter.range()),
                ),
            );
        }
    }
}

/// Dicts of a decorator's closure or of the module that `function` uses as a memo.
fn check_memo_dicts(function: &ast::StmtFunctionDef, cx: &mut FileContext) {
    let uses = flow::key_uses(&function.body);
    let mut locals = names_bound_in(&function.body);
    locals.extend(function.parameters.iter().map(|p| p.name().as_str()));
    for (container, key, write) in &uses {
        if !write || container.contains('.') || locals.contains(container.as_str()) {
            continue;
        }
        let looked_up = uses.iter().any(|(c, k, write)| {
            !write && c == container && ComparableExpr::from(*k) == ComparableExpr::from(*key)
        });
        if !looked_up {
            continue;
        }
        let Some((owner, created)) = owner(cx, container, function) else {
            continue;
        };
        let keys: Vec<&Expr> = uses
            .iter()
            .filter(|(c, _, _)| c == container)
            .map(|(_, k, _)| *k)
            .collect();
        if bounded(owner, container, &keys, cx) || cx.already_reported(created.range()) {
            continue;
        }
        cx.report(
            created.range(),
            format!(
                "`{container}` memoises `{}` and nothing evicts from it: it keeps every distinct key for the life of the process; bound it (`functools.lru_cache(maxsize=...)`, or evict when `len({container})` passes a limit)",
                function.name
            ),
        );
    }
}

/// The body that owns the dict `name` (the enclosing function's, for a closure variable; the
/// module's) and the statement that creates it as `{}` or `dict()`.
fn owner<'a>(
    cx: &FileContext<'a>,
    name: &str,
    function: &ast::StmtFunctionDef,
) -> Option<(&'a [Stmt], &'a Stmt)> {
    let is_empty_dict = |value: &Expr| match value {
        Expr::Dict(dict) => dict.is_empty(),
        Expr::Call(call) => call.arguments.is_empty() && cx.resolves_to(&call.func, &["dict"]),
        _ => false,
    };
    let created = |body: &'a [Stmt], before| match flow::last_binding_before(body, name, before) {
        Some((Binding::Value { value, .. }, stmt)) if is_empty_dict(value) => Some(stmt),
        _ => None,
    };
    // The innermost enclosing function that binds the name owns it.
    for outer in cx.functions.iter().rev() {
        let bound = names_bound_in(&outer.body).contains(name)
            || outer.parameters.iter().any(|p| p.name().as_str() == name);
        if bound {
            return created(&outer.body, function.start()).map(|stmt| (&outer.body[..], stmt));
        }
    }
    let end = ruff_text_size::TextSize::from(u32::MAX);
    created(cx.module_body, end).map(|stmt| (cx.module_body, stmt))
}

/// Whether anything in `body` (nested functions included) keeps the dict `name` bounded:
/// `popitem()`, `len(name)` in a comparison, or removing an entry by a key other than the
/// memo's own.
fn bounded(body: &[Stmt], name: &str, memo_keys: &[&Expr], cx: &FileContext) -> bool {
    struct Finder<'n, 'k, 'c, 'a> {
        name: &'n str,
        memo_keys: &'k [&'k Expr],
        cx: &'c FileContext<'a>,
        found: bool,
    }
    impl Finder<'_, '_, '_, '_> {
        fn is_dict(&self, expr: &Expr) -> bool {
            matches!(expr, Expr::Name(n) if n.id.as_str() == self.name)
        }
        fn other_key(&self, key: &Expr) -> bool {
            !self
                .memo_keys
                .iter()
                .any(|k| ComparableExpr::from(*k) == ComparableExpr::from(key))
        }
        fn is_len(&self, expr: &Expr) -> bool {
            matches!(expr, Expr::Call(call) if self.cx.resolves_to(&call.func, &["len"])
                && call.arguments.args.first().is_some_and(|arg| self.is_dict(arg)))
        }
    }
    impl Visitor<'_> for Finder<'_, '_, '_, '_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            if let Stmt::Delete(delete) = stmt {
                self.found |= delete.targets.iter().any(|target| {
                    matches!(target, Expr::Subscript(s) if self.is_dict(&s.value) && self.other_key(&s.slice))
                });
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::Call(call) => {
                    if let Expr::Attribute(attribute) = call.func.as_ref()
                        && self.is_dict(&attribute.value)
                    {
                        match attribute.attr.as_str() {
                            "popitem" => self.found = true,
                            "pop" => {
                                self.found |= call
                                    .arguments
                                    .args
                                    .first()
                                    .is_some_and(|key| self.other_key(key));
                            }
                            _ => {}
                        }
                    }
                }
                Expr::Compare(compare) => {
                    self.found |= self.is_len(&compare.left)
                        || compare.comparators.iter().any(|c| self.is_len(c));
                }
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        name,
        memo_keys,
        cx,
        found: false,
    };
    finder.visit_body(body);
    finder.found
}
