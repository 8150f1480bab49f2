use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags writes through `locals()` inside a function: `locals()[name] = value`,
    /// `del locals()[name]`, `locals().update(...)`, `locals().setdefault(...)`,
    /// `locals().pop(...)`.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions) and §3 (metaprogramming): writing to `locals()`
    /// in a function never changed its variables reliably, and since Python 3.13 (PEP 667)
    /// `locals()` returns an independent snapshot, so the write does nothing at all.
    ///
    /// ## Example
    /// ```python
    /// def configure(options):
    ///     for key, value in options.items():
    ///         locals()[key] = value
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def configure(options):
    ///     settings = dict(options)
    ///     return settings
    /// ```
    pub static LOCALS_WRITE_SEMANTICS = Rule {
        code: "VER017",
        name: "locals-write-semantics",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Expr { kinds: &[NodeKind::ExprSubscript], run: check_subscript },
            Check::Call { targets: &[".update", ".setdefault", ".pop", ".clear", ".popitem"], run: check_call },
        ]),
    };
}

const MESSAGE: &str = "writing through `locals()` in a function does not change its variables (a snapshot since Python 3.13); use a dict of your own";

fn is_locals_call(expr: &Expr, cx: &FileContext) -> bool {
    matches!(expr, Expr::Call(call) if call.arguments.is_empty()
        && cx.qualified_name(&call.func).as_deref() == Some("locals"))
}

fn check_subscript(expr: &Expr, cx: &mut FileContext) {
    let Expr::Subscript(subscript) = expr else {
        return;
    };
    if cx.enclosing_function().is_some()
        && !subscript.ctx.is_load()
        && is_locals_call(&subscript.value, cx)
    {
        cx.report(subscript.range(), MESSAGE);
    }
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    if cx.enclosing_function().is_some() && call.receiver().is_some_and(|r| is_locals_call(r, cx)) {
        cx.report(call.range(), MESSAGE);
    }
}
