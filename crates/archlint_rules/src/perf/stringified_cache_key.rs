use super::flow::{self, KeyAccess};
use crate::prelude::*;
use ruff_python_ast::comparable::ComparableExpr;

rule! {
    /// ## What it does
    /// Flags a memoising wrapper (a function taking `*args` or `**kwargs`) that keys its
    /// cache on a string made of its arguments: `str(args)`, `repr(kwargs)`,
    /// `str(sorted(kwargs.items()))`, an f-string or `%`/`.format` of them, used (directly or
    /// through a local name) as the key both to look the cache up (`key in cache`,
    /// `cache[key]`, `cache.get(key)`) and to store into it.
    ///
    /// Not flagged: string keys built from named parameters (a cache shared with other
    /// processes, such as memcached or Redis, needs strings), and keys used only one way.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering, `memoize_with_ttl`): `str(args)` makes different
    /// calls collide (`f(1)` and `f("1")` both give `"(1,)"`; objects whose `repr` shows only
    /// the class share one entry), costs a formatting pass over every argument on each call,
    /// and breaks on arguments whose `repr` changes. A tuple key `(args,
    /// frozenset(kwargs.items()))` hashes the values themselves, and `functools.lru_cache`
    /// builds it for you.
    ///
    /// ## Example
    /// ```python
    /// import functools
    ///
    /// def memoize(func):
    ///     cache = {}
    ///
    ///     @functools.wraps(func)
    ///     def wrapper(*args, **kwargs):
    ///         key = str(args) + str(sorted(kwargs.items()))
    ///         if key not in cache:
    ///             cache[key] = func(*args, **kwargs)
    ///         return cache[key]
    ///
    ///     return wrapper
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    ///
    /// def memoize(func):
    ///     cache = {}
    ///
    ///     @functools.wraps(func)
    ///     def wrapper(*args, **kwargs):
    ///         key = (args, frozenset(kwargs.items()))
    ///         if key not in cache:
    ///             cache[key] = func(*args, **kwargs)
    ///         return cache[key]
    ///
    ///     return wrapper
    /// ```
    pub static STRINGIFIED_CACHE_KEY = Rule {
        code: "PERF011",
        name: "stringified-cache-key",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    let variadic: Vec<&str> = [&function.parameters.vararg, &function.parameters.kwarg]
        .into_iter()
        .flatten()
        .map(|p| p.name.as_str())
        .collect();
    if variadic.is_empty() {
        return;
    }
    let uses = flow::key_uses(&function.body);
    let stores = uses
        .iter()
        .filter(|(_, _, access)| *access == KeyAccess::Store);
    for (container, key, _) in stores {
        let read = uses.iter().any(|(c, k, access)| {
            *access != KeyAccess::Store
                && c == container
                && ComparableExpr::from(*k) == ComparableExpr::from(*key)
        });
        if !read {
            continue;
        }
        let Some(stringified) = stringified_arguments(&function.body, key, &variadic, cx) else {
            continue;
        };
        if cx.already_reported(stringified.range()) {
            continue;
        }
        cx.report(
            stringified.range(),
            format!(
                "the cache key `{}` is a string made of the arguments: different arguments can collide (`1` and `\"1\"`) and every call formats them all; use a tuple key `(args, frozenset(kwargs.items()))` or `functools.lru_cache`",
                cx.text(stringified.range())
            ),
        );
    }
}

/// The key expression that turns `*args`/`**kwargs` into a string: `key` itself, or the
/// value of the local name `key` is assigned from.
fn stringified_arguments<'a>(
    body: &'a [Stmt],
    key: &'a Expr,
    variadic: &[&str],
    cx: &FileContext,
) -> Option<&'a Expr> {
    let value = match key {
        Expr::Name(name) => assigned_value(body, name.id.as_str())?,
        other => other,
    };
    let mentions_arguments = |e: &Expr| variadic.iter().any(|n| flow::mentions(e, n));
    let stringified = ruff_python_ast::helpers::any_over_expr(value, |expr| match expr {
        Expr::Call(call) => {
            let stringifier = cx.resolves_to(&call.func, &["str", "repr"])
                || matches!(call.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "format");
            stringifier && call.arguments.args.iter().any(mentions_arguments)
        }
        Expr::FString(_) => mentions_arguments(expr),
        Expr::BinOp(binop) if binop.op == ast::Operator::Mod => {
            binop.left.is_string_literal_expr() && mentions_arguments(&binop.right)
        }
        _ => false,
    });
    stringified.then_some(value)
}

/// The value of the single assignment `name = value` in `body` (nested blocks included,
/// nested functions not).
fn assigned_value<'a>(body: &'a [Stmt], name: &str) -> Option<&'a Expr> {
    match flow::last_binding_before(body, name, ruff_text_size::TextSize::from(u32::MAX)) {
        Some((flow::Binding::Value { value, .. }, _)) => Some(value),
        _ => None,
    }
}
