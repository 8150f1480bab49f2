use super::helpers::SUBPROCESS_CALLS;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags calls other than the `subprocess` functions (SEC602 covers those) that pass
    /// `shell=True`: wrappers such as `invoke.run(cmd, shell=True)` or a project's
    /// own helpers that hand the command to a shell.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): a command handed to a shell runs whatever is
    /// appended to it; a wrapper does not make that safer.
    ///
    /// ## Example
    /// ```python
    /// def deploy(branch):
    ///     run_command(f"git checkout {branch}", shell=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def deploy(branch):
    ///     run_command(["git", "checkout", branch])
    /// ```
    pub static CALL_WITH_SHELL_TRUE = Rule {
        code: "SEC604",
        name: "call-with-shell-true",
        severity: Severity::Warning,
        confidence: Some(Low),
        bandit: bandit(Medium, Low),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B604"), Peer::same("ruff", "S604")],
        check: Check::AnyCall { run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    if SUBPROCESS_CALLS.contains(&name.as_str()) {
        return;
    }
    // Only `shell=True` itself, as bandit's B604 checks: any other function's `shell=` may be
    // anything (`shell=dict(type="str")` declares a module option named `shell`).
    let Some(shell) = call
        .keyword("shell")
        .filter(|shell| matches!(&shell.value, Expr::BooleanLiteral(b) if b.value))
    else {
        return;
    };
    let shown = literal::dotted(&call.call.func).unwrap_or(name);
    cx.report(
        shell.range(),
        format!(
            "`{shown}` is given `shell=True`; pass the command as a list and drop `shell=True`"
        ),
    );
}
