use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `exec`/`eval` (and `code.InteractiveInterpreter.runsource`) whose source is a
    /// string built at run time: an f-string with placeholders, `.format`, `%`, `+` with a
    /// non-literal part, `string.Template.substitute`, directly or through a local assigned
    /// in the same function. The security chapter flags every `exec`/`eval` (SEC102, SEC307);
    /// this design rule names what generated code hides.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): generated source is invisible to type checkers, linters,
    /// debuggers and readers, and errors surface at run time with line numbers in a string.
    /// Closures, `functools.partial`, dispatch tables and `getattr` do the same jobs in
    /// plain code.
    ///
    /// ## Example
    /// ```python
    /// def make_getter(field):
    ///     namespace = {}
    ///     exec(f"def get(obj):\n    return obj.{field}", namespace)
    ///     return namespace["get"]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import operator
    ///
    /// def make_getter(field):
    ///     return operator.attrgetter(field)
    /// ```
    pub static EXEC_GENERATED_CODE = Rule {
        code: "META001",
        name: "exec-generated-code",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "S102"), Peer::related("ruff", "S307")],
        check: Check::Call {
            targets: &["exec", "eval", "builtins.exec", "builtins.eval", ".runsource"],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(source) = call.argument(0, "source") else {
        return;
    };
    let Some(how) = cx.dynamic_string(source) else {
        return;
    };
    let name = call.name();
    let shown = name.trim_start_matches("builtins.");
    cx.report(
        call.range(),
        format!("`{shown}` runs source built with {}; generated code hides from every tool, so write the code directly (a closure, `functools.partial`, `operator.attrgetter`, a dispatch table)", how.describe()),
    );
}
