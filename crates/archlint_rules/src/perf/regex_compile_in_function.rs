use super::flow;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `re.compile(<literal>)` inside a function body (the pattern a string or bytes
    /// literal, or a name assigned one; the flags, if any, constants such as `re.I`), and,
    /// as a warning, inside a loop anywhere. The compiled pattern belongs in a module-level
    /// constant.
    ///
    /// Not flagged: patterns built at run time; results stored for later (`global` or
    /// `nonlocal` names, attributes: a pattern compiled lazily, once); functions cached with
    /// `functools.cache`/`lru_cache`. Nor is `re.match(<literal>, s)` in a loop: `re` keeps
    /// the last 512 patterns compiled, and no loop written out in one function cycles
    /// through more literal patterns than that.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering: measure, then hoist repeated work out of hot
    /// paths): each `re.compile` call hashes the pattern and flags to look it up in `re`'s
    /// cache, and compiles it again whenever other patterns pushed it out. A module-level
    /// constant compiles once, documents the pattern by name, and fails at import rather than
    /// deep in a request when the pattern is invalid.
    ///
    /// ## Example
    /// ```python
    /// import re
    ///
    /// def is_slug(text):
    ///     return re.compile(r"^[-a-z0-9_]+$").match(text) is not None
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import re
    ///
    /// SLUG = re.compile(r"^[-a-z0-9_]+$")
    ///
    /// def is_slug(text):
    ///     return SLUG.match(text) is not None
    /// ```
    pub static REGEX_COMPILE_IN_FUNCTION = Rule {
        code: "PERF006",
        name: "regex-compile-in-function",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Call { targets: &["re.compile"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(pattern) = call.argument(0, "pattern") else {
        return;
    };
    let pattern = cx.follow(pattern);
    let literal = literal::is_literal_string_expr(pattern) || pattern.is_bytes_literal_expr();
    if !literal
        || !call
            .argument(1, "flags")
            .is_none_or(|f| constant_flags(f, cx))
    {
        return;
    }
    if call.has_unpacking() || stored_for_later(call, cx) {
        return;
    }
    if flow::enclosing_loop(cx, call.range()).is_some() || flow::in_comprehension(cx, call.range())
    {
        cx.report_rated(
            call.range(),
            "`re.compile(...)` of a literal pattern runs on every iteration; compile it once, in a module-level constant",
            Some(Severity::Warning),
            None,
        );
        return;
    }
    let Some(function) = cx.enclosing_function() else {
        return;
    };
    let cached = function.decorator_list.iter().any(|decorator| {
        let callee = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        cx.resolves_to(callee, &["functools.cache", "functools.lru_cache"])
    });
    if cached {
        return;
    }
    cx.report(
        call.range(),
        format!(
            "`re.compile(...)` of a literal pattern runs on every call of `{}`; compile it once, in a module-level constant",
            function.name
        ),
    );
}

/// Flags written as constants: `re.I`, `re.I | re.M`, an integer.
fn constant_flags(expr: &Expr, cx: &FileContext) -> bool {
    match expr {
        Expr::BinOp(binop) => constant_flags(&binop.left, cx) && constant_flags(&binop.right, cx),
        Expr::NumberLiteral(_) => true,
        other => cx
            .qualified_name(other)
            .is_some_and(|name| name.starts_with("re.")),
    }
}

/// Whether the compiled pattern is kept beyond the call: assigned to a `global` or
/// `nonlocal` name, to an attribute or an item (a pattern compiled lazily, once).
fn stored_for_later(call: &CallSite, cx: &FileContext) -> bool {
    if !cx.expr_parents.is_empty() {
        return false;
    }
    let targets: &[Expr] = match cx.stmt_parents.last() {
        Some(Stmt::Assign(assign)) if assign.value.range() == call.range() => &assign.targets,
        Some(Stmt::AnnAssign(assign))
            if assign
                .value
                .as_ref()
                .is_some_and(|v| v.range() == call.range()) =>
        {
            std::slice::from_ref(&*assign.target)
        }
        _ => return false,
    };
    targets.iter().any(|target| match target {
        Expr::Name(name) => cx.scopes.declared_global(name.id.as_str()),
        Expr::Attribute(_) | Expr::Subscript(_) => true,
        _ => false,
    })
}
