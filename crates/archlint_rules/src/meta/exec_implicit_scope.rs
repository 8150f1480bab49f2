use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `exec` and `eval` called without an explicit globals mapping, or given the
    /// caller's own namespace: `globals()`, `locals()`, `vars()` (without argument).
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): without its own namespace, executed code reads and
    /// rebinds the caller's module globals, so a string can silently replace any function
    /// of the module; inside a function its assignments are lost (PEP 667 made `locals()`
    /// a snapshot in 3.13). Pass a fresh dict and read results back from it.
    ///
    /// ## Example
    /// ```python
    /// def load_settings(text):
    ///     exec(text)
    ///     return DEBUG
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def load_settings(text):
    ///     namespace = {}
    ///     exec(text, {"__builtins__": {}}, namespace)
    ///     return namespace["DEBUG"]
    /// ```
    pub static EXEC_IMPLICIT_SCOPE = Rule {
        code: "META003",
        name: "exec-implicit-scope",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Call {
            targets: super::EXEC_AND_EVAL,
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if call.has_unpacking() {
        return;
    }
    let name = call.name();
    let shown = name.trim_start_matches("builtins.");
    let namespaces = [call.argument(1, "globals"), call.argument(2, "locals")];
    let Some(globals) = namespaces[0] else {
        cx.report(
            call.range(),
            format!("`{shown}` without a globals mapping runs in the caller's namespace; pass a fresh dict (`{shown}(code, namespace)`) and read results from it"),
        );
        return;
    };
    for namespace in [Some(globals), namespaces[1]].into_iter().flatten() {
        if let Expr::Call(inner) = namespace
            && inner.arguments.is_empty()
            && cx.resolves_to(&inner.func, &["globals", "locals", "vars"])
        {
            let own = cx.text(namespace.range());
            cx.report(
                namespace.range(),
                format!("`{shown}` given `{own}` writes into the caller's namespace; pass a fresh dict and read results from it"),
            );
        }
    }
}
