use super::helpers::{SUBPROCESS_CALLS, has_truthy_shell, shell_or_call_range};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `subprocess` calls that start a process without a shell. Off by default: an
    /// audit aid listing every place that starts a process, so a reviewer can check that no
    /// argument comes from an untrusted source.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): without a shell there is no shell injection, but an
    /// attacker who controls the program name or its options (`--upload-pack=...`) can still
    /// run what they like.
    ///
    /// ## Example
    /// ```python
    /// import subprocess
    ///
    /// subprocess.run(["git", "clone", url])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import shutil
    ///
    /// shutil.copytree(source, target)
    /// ```
    pub static SUBPROCESS_WITHOUT_SHELL = Rule {
        code: "SEC603",
        name: "subprocess-without-shell",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B603"), Peer::same("ruff", "S603")],
        check: Check::Call { targets: SUBPROCESS_CALLS, run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if has_truthy_shell(call) {
        return;
    }
    cx.report(
        shell_or_call_range(call),
        format!(
            "`{}` starts a process; check that no argument comes from untrusted input",
            call.name()
        ),
    );
}
