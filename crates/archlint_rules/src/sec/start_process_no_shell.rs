use super::helpers::NO_SHELL_CALLS;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags functions that replace or start a process directly: `os.exec*`, `os.spawn*`
    /// and `os.startfile`. Off by default: an audit aid listing every place that starts a
    /// process.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): without a shell there is no shell injection, but an
    /// attacker who controls the program or its arguments still runs what they like.
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// os.execvp(tool, [tool, path])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import subprocess
    ///
    /// subprocess.run(["/usr/bin/file", path], check=True)
    /// ```
    pub static START_PROCESS_NO_SHELL = Rule {
        code: "SEC606",
        name: "start-process-no-shell",
        severity: Severity::Info,
        confidence: Some(Medium),
        bandit: bandit(Low, Medium),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B606"), Peer::same("ruff", "S606")],
        check: Check::Call { targets: NO_SHELL_CALLS, run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    cx.report(
        call.range(),
        format!("`{}` starts a process; check that neither the program nor its arguments come from untrusted input", call.name()),
    );
}
