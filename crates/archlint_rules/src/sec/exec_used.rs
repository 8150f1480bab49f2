use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags calls of the builtin `exec` (also written `builtins.exec`), not of a local
    /// function or method of that name.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): `exec` runs whatever code its text holds with the
    /// program's rights; if any part of that text comes from outside, so does the code.
    ///
    /// ## Example
    /// ```python
    /// def apply(rule_source, record):
    ///     exec(rule_source, {"record": record})
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// RULES = {"uppercase": str.upper, "strip": str.strip}
    ///
    /// def apply(rule_name, record):
    ///     return RULES[rule_name](record)
    /// ```
    pub static EXEC_USED = Rule {
        code: "SEC102",
        name: "exec-used",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B102"), Peer::same("ruff", "S102")],
        check: Check::Call { targets: &["exec", "builtins.exec"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    cx.report(
        call.range(),
        "`exec` runs any code it is given; replace it with explicit functions, a lookup table or `ast.literal_eval`",
    );
}
