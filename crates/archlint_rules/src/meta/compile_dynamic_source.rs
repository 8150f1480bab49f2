use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `compile(source, ...)` whose source is a string built at run time (an f-string
    /// with placeholders, `.format`, `%`, `+` with a non-literal part), directly or through a
    /// local assigned in the same function. Compiling an `ast` tree built in-process, or a
    /// literal, is not flagged.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): `compile` is the first half of `exec`; generating source
    /// text puts code where no tool reads it, and string splicing is how injection gets in.
    /// When code must be generated, build an `ast` tree (checked structure, no quoting
    /// bugs) or, better, use a closure or a dispatch table.
    ///
    /// ## Example
    /// ```python
    /// def make_check(field, limit):
    ///     return compile(f"obj.{field} < {limit}", "<check>", "eval")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import operator
    ///
    /// def make_check(field, limit):
    ///     getter = operator.attrgetter(field)
    ///     return lambda obj: getter(obj) < limit
    /// ```
    pub static COMPILE_DYNAMIC_SOURCE = Rule {
        code: "META002",
        name: "compile-dynamic-source",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Call {
            targets: &["compile", "builtins.compile"],
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
    cx.report(
        call.range(),
        format!("`compile` of source built with {}; build an `ast` tree, or write the code as a closure or a dispatch table", how.describe()),
    );
}
