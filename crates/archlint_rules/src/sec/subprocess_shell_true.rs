use super::helpers::{SUBPROCESS_CALLS, has_truthy_shell, shell_or_call_range};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `subprocess` calls that run their command through a shell (`shell=True`). A
    /// command built at run time is an error; a literal command is reported at low severity
    /// (`info`), as bandit rates it.
    ///
    /// ## Why it matters
    /// Guide §8 (security, input validation): with a shell, any part of the command that
    /// comes from outside can append commands of its own (`; rm -rf ~`).
    ///
    /// ## Example
    /// ```python
    /// import subprocess
    /// subprocess.run(f"tar xf {archive}", shell=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import subprocess
    /// subprocess.run(["tar", "xf", archive])
    /// ```
    pub static SUBPROCESS_SHELL_TRUE = Rule {
        code: "SEC602",
        name: "subprocess-shell-true",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B602"), Peer::same("ruff", "S602")],
        check: Check::Call { targets: SUBPROCESS_CALLS, run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if !has_truthy_shell(call) {
        return;
    }
    let name = call.name();
    // On the `shell=` argument, where bandit reports it and the fix goes.
    let range = shell_or_call_range(call);
    // Bandit rates a literal command LOW: safe today, risky once someone formats it.
    if call.arg(0).is_some_and(literal::is_literal_string_expr) {
        cx.report_rated(
            range,
            format!("`{name}` with `shell=True` runs a literal command through a shell; pass the arguments as a list and drop `shell=True`"),
            Some(Severity::Info),
            Some(High),
        );
    } else {
        cx.report(
            range,
            format!("`{name}` with `shell=True` runs a command built at run time through a shell; pass the arguments as a list and drop `shell=True`"),
        );
    }
}
