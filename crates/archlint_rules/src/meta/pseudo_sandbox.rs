use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `exec`/`eval` given a globals dict that tries to restrict what the code can do:
    /// `{"__builtins__": {}}`, `{"__builtins__": None}`, or a hand-picked dict of allowed
    /// builtins.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming) and §8 (security): removing `__builtins__` is not a
    /// sandbox. Any object reaches every class through `().__class__.__mro__[1]
    /// .__subclasses__()`, and from there `os.system`; the restriction gives false
    /// confidence to code that evaluates untrusted input.
    ///
    /// ## Example
    /// ```python
    /// def calculate(expression):
    ///     return eval(expression, {"__builtins__": {}}, {})
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ast
    ///
    /// def calculate(expression):
    ///     return ast.literal_eval(expression)
    /// ```
    pub static PSEUDO_SANDBOX = Rule {
        code: "META004",
        name: "pseudo-sandbox",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call { targets: super::EXEC_AND_EVAL, run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(globals) = call.argument(1, "globals") else {
        return;
    };
    let Expr::Dict(dict) = cx.follow(globals) else {
        return;
    };
    let restricts = dict.items.iter().any(|item| {
        item.key.as_ref().and_then(literal::str_ref) == Some("__builtins__")
            && matches!(
                &item.value,
                Expr::Dict(_) | Expr::NoneLiteral(_) | Expr::Call(_) | Expr::Name(_)
            )
    });
    if restricts {
        cx.report(
            call.range(),
            format!("`{}` with a restricted `__builtins__` is not a sandbox (objects reach `os` through `__subclasses__()`); parse with `ast.literal_eval` or a real expression parser", call.name()),
        );
    }
}
