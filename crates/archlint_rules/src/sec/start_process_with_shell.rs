use super::helpers::SHELL_CALLS;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags functions that always run their command through a shell: `os.system`,
    /// `os.popen`, `subprocess.getoutput`/`getstatusoutput`, and the Python 2 `popen2` and
    /// `commands` modules. A command built at run time is an error; a literal one is reported
    /// at low severity (`info`), as bandit rates it.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): any part of the command that comes from outside can
    /// append commands of its own (`; rm -rf ~`).
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// os.system(f"convert {upload} out.png")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import subprocess
    ///
    /// subprocess.run(["/usr/bin/convert", upload, "out.png"], check=True)
    /// ```
    pub static START_PROCESS_WITH_SHELL = Rule {
        code: "SEC605",
        name: "start-process-with-shell",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B605"), Peer::same("ruff", "S605")],
        check: Check::Call { targets: SHELL_CALLS, run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(command) = call.args().first() else {
        return;
    };
    let name = call.name();
    if literal::str_ref(command).is_some() {
        cx.report_rated(
            call.range(),
            format!("`{name}` runs a literal command through a shell; use `subprocess.run` with a list of arguments"),
            Some(Severity::Info),
            Some(High),
        );
    } else {
        cx.report(
            call.range(),
            format!("`{name}` runs a command built at run time through a shell; use `subprocess.run` with a list of arguments"),
        );
    }
}
