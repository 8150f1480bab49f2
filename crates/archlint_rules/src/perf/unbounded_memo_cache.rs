use super::flow::{self, Binding, KeyAccess};
use crate::prelude::*;
use archlint_facts::names::{ScopeKind, names_bound_in};
use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::visitor::{self, Visitor};

rule! {
    /// ## What it does
    /// Flags memo caches that nothing bounds:
    /// - a dict (`{}` or `dict()`) held by a decorator's closure (an enclosing function that
    ///   returns or stores the memoising function) or by the module, that a function both
    ///   looks up and fills with the same key (`if key in cache: ...`, `cache[key] =
    ///   result`), storing something other than one of its parameters, when nothing ever
    ///   removes other entries: no `popitem()`, no `len(cache)` compared with a limit, no
    ///   `del cache[k]`/`cache.pop(k)` with another key or in another function. Dropping an
    ///   expired entry when its own key comes back does not bound the size, nor does a
    ///   `cache_clear` a decorator offers its callers; for a module's dict, a `clear()` or a
    ///   rebinding anywhere in the module does count (a purge function, a reset on a settings
    ///   change: the module manages it);
    /// - `@functools.cache` and `@functools.lru_cache(maxsize=None)` on a function (not a
    ///   method: RUN015 covers those) with a parameter annotated `str`, `bytes`, `object` or
    ///   `Any`, whose values have no natural bound.
    ///
    /// Not flagged: registries (`registry[name] = cls` stores a parameter; `if name in
    /// registry: raise ...` only tests membership) and the dicts of helper functions that
    /// live only while their enclosing call runs. A module cache keyed by a small domain
    /// (languages, classes, one version string) is reported all the same: the rule cannot
    /// see the domain.
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
    let stored = stores(&function.body);
    // Most functions store into no dict: the rest is only for those that do.
    if stored.is_empty() {
        return;
    }
    let uses = flow::key_uses(&function.body);
    let mut locals = names_bound_in(&function.body);
    let parameters: Vec<&str> = function
        .parameters
        .iter()
        .map(|p| p.name().as_str())
        .collect();
    locals.extend(parameters.iter().copied());
    for (container, key, value) in stored {
        if locals.contains(container) {
            continue;
        }
        // `registry[name] = cls`: a parameter kept, not a result computed for the key.
        if matches!(value, Expr::Name(n) if parameters.contains(&n.id.as_str())) {
            continue;
        }
        // A memo hands back what it stored; a registry only tests membership.
        let looked_up = uses.iter().any(|(c, k, access)| {
            *access == KeyAccess::Read
                && c == container
                && ComparableExpr::from(*k) == ComparableExpr::from(key)
        });
        if !looked_up {
            continue;
        }
        let Some(owner) = owner(cx, container, function) else {
            continue;
        };
        let keys: Vec<&Expr> = uses
            .iter()
            .filter(|(c, _, _)| c == container)
            .map(|(_, k, _)| *k)
            .collect();
        let memo = Memo {
            name: container,
            keys: &keys,
            function: function.range(),
            nested: nested_functions(&function.body),
            module: owner.module,
        };
        if bounded(owner.body, &memo, cx) || cx.already_reported(owner.created.range()) {
            continue;
        }
        cx.report(
            owner.created.range(),
            format!(
                "`{container}` memoises `{}` and nothing evicts from it: it keeps every distinct key for the life of the process; bound it (`functools.lru_cache(maxsize=...)`, or evict when `len({container})` passes a limit)",
                function.name
            ),
        );
    }
}

/// `name[key] = value` in `body` (nested functions excluded), for plain names.
fn stores(body: &[Stmt]) -> Vec<(&str, &Expr, &Expr)> {
    use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
    struct Finder<'a>(Vec<(&'a str, &'a Expr, &'a Expr)>);
    impl<'a> StatementVisitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        if let Expr::Subscript(subscript) = target
                            && let Expr::Name(name) = subscript.value.as_ref()
                        {
                            self.0
                                .push((name.id.as_str(), &subscript.slice, &assign.value));
                        }
                    }
                }
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_body(body);
    finder.0
}

/// Where a memo dict lives.
struct Owner<'a> {
    /// The body of the function that owns it (a decorator), or the module's.
    body: &'a [Stmt],
    /// The statement that creates it as `{}` or `dict()`.
    created: &'a Stmt,
    module: bool,
}

/// Where the dict `name` lives: a closure variable of an enclosing function that hands the
/// memoising function out (returns it or stores it: a decorator), or a module variable.
fn owner<'a>(
    cx: &FileContext<'a>,
    name: &str,
    function: &ast::StmtFunctionDef,
) -> Option<Owner<'a>> {
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
        if !bound {
            continue;
        }
        // A helper used only while the enclosing call runs: its dict dies with that call.
        if !hands_out(&outer.body, function.name.as_str()) {
            return None;
        }
        return created(&outer.body, function.start()).map(|stmt| Owner {
            body: &outer.body,
            created: stmt,
            module: false,
        });
    }
    let end = ruff_text_size::TextSize::from(u32::MAX);
    created(cx.module_body, end).map(|stmt| Owner {
        body: cx.module_body,
        created: stmt,
        module: true,
    })
}

/// Whether `body` returns the function `name` (or something built from it) or stores it in
/// an attribute or an item; calling it is not handing it out.
fn hands_out(body: &[Stmt], name: &str) -> bool {
    use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
    struct Finder<'n>(&'n str, bool);
    impl StatementVisitor<'_> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Return(ret) => {
                    self.1 |= ret.value.as_ref().is_some_and(|v| passes(v, self.0));
                }
                Stmt::Assign(assign) => {
                    self.1 |= passes(&assign.value, self.0)
                        && assign
                            .targets
                            .iter()
                            .any(|t| matches!(t, Expr::Attribute(_) | Expr::Subscript(_)));
                }
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder(name, false);
    finder.visit_body(body);
    finder.1
}

/// Whether `expr` uses the function `name` as a value (`wrapper`, `wraps(f)(wrapper)`), not
/// only calls it (`[wrapper(x) for x in xs]`).
fn passes(expr: &Expr, name: &str) -> bool {
    struct Finder<'n>(&'n str, bool);
    impl Visitor<'_> for Finder<'_> {
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::Name(n) if n.id.as_str() == self.0 => self.1 = true,
                Expr::Call(call) if matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == self.0) =>
                {
                    self.visit_arguments(&call.arguments);
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder(name, false);
    finder.visit_expr(expr);
    finder.1
}

/// The ranges of the functions and lambdas defined in `body`, at any depth.
fn nested_functions(body: &[Stmt]) -> Vec<TextRange> {
    struct Finder(Vec<TextRange>);
    impl Visitor<'_> for Finder {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            if let Stmt::FunctionDef(def) = stmt {
                self.0.push(def.range());
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &Expr) {
            if let Expr::Lambda(lambda) = expr {
                self.0.push(lambda.range());
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_body(body);
    finder.0
}

/// A memo dict as [`bounded`] looks for what evicts from it.
struct Memo<'a> {
    name: &'a str,
    /// The keys the memoising function uses on it.
    keys: &'a [&'a Expr],
    /// The memoising function's own code (its range, less its nested functions and lambdas,
    /// which run later: a weakref callback that deletes the entry evicts it): deleting its
    /// own key there is dropping a stale entry when it comes back, not eviction.
    function: TextRange,
    nested: Vec<TextRange>,
    /// A module's dict: a `clear()` or a rebinding anywhere in the module manages it (a
    /// purge function, a reset on settings change). A decorator's `cache_clear` offered to
    /// callers does not bound what each decorated function keeps.
    module: bool,
}

/// Whether anything in `body` (nested functions included) keeps the memo bounded:
/// `popitem()`, `len(name)` in a comparison, removing an entry by another key or outside the
/// memoising function, and for a module's dict a `clear()` or a rebinding.
fn bounded(body: &[Stmt], memo: &Memo, cx: &FileContext) -> bool {
    struct Finder<'m, 'c, 'a> {
        memo: &'m Memo<'m>,
        cx: &'c FileContext<'a>,
        assignments: usize,
        found: bool,
    }
    impl Finder<'_, '_, '_> {
        fn is_dict(&self, expr: &Expr) -> bool {
            matches!(expr, Expr::Name(n) if n.id.as_str() == self.memo.name)
        }
        fn evicts(&self, key: &Expr) -> bool {
            let at = key.range();
            !self.memo.function.contains_range(at)
                || self.memo.nested.iter().any(|r| r.contains_range(at))
                || !self
                    .memo
                    .keys
                    .iter()
                    .any(|k| ComparableExpr::from(*k) == ComparableExpr::from(key))
        }
        fn is_len(&self, expr: &Expr) -> bool {
            matches!(expr, Expr::Call(call) if self.cx.resolves_to(&call.func, &["len"])
                && call.arguments.args.first().is_some_and(|arg| self.is_dict(arg)))
        }
    }
    impl Visitor<'_> for Finder<'_, '_, '_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            if let Stmt::Delete(delete) = stmt {
                self.found |= delete.targets.iter().any(|target| {
                    matches!(target, Expr::Subscript(s) if self.is_dict(&s.value) && self.evicts(&s.slice))
                });
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::Name(name) if name.ctx.is_store() && name.id.as_str() == self.memo.name => {
                    self.assignments += 1;
                }
                Expr::Call(call) => {
                    if let Expr::Attribute(attribute) = call.func.as_ref()
                        && self.is_dict(&attribute.value)
                    {
                        match attribute.attr.as_str() {
                            "popitem" => self.found = true,
                            "clear" => self.found |= self.memo.module,
                            "pop" => {
                                self.found |= call
                                    .arguments
                                    .args
                                    .first()
                                    .is_some_and(|key| self.evicts(key));
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
        memo,
        cx,
        assignments: 0,
        found: false,
    };
    finder.visit_body(body);
    finder.found || (memo.module && finder.assignments > 1)
}
