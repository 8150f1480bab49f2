use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags calls of the builtin `eval` (not a local function or method of that name), also
    /// written `builtins.eval`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): `eval` of text that comes from outside runs whatever
    /// code
    /// that text holds, with the program's rights.
    ///
    /// ## Example
    /// ```python
    /// def parse(text):
    ///     return eval(text)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ast
    ///
    /// def parse(text):
    ///     return ast.literal_eval(text)
    /// ```
    pub static EVAL_USED = Rule {
        code: "SEC307",
        name: "eval-used",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B307"), Peer::same("ruff", "S307")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["eval", "builtins.eval"];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "runs any expression it is given; parse literals with `ast.literal_eval` or data with `json.loads`",
    );
}
