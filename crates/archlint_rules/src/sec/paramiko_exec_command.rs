use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `.exec_command(...)` calls in modules that import `paramiko`: the command runs in
    /// the remote user's shell.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): a remote command built from untrusted input is shell
    /// injection on the remote machine.
    ///
    /// ## Example
    /// ```python
    /// import paramiko
    ///
    /// client = paramiko.SSHClient()
    /// client.exec_command(f"tail -n 100 {log_file}")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import paramiko
    ///
    /// client = paramiko.SSHClient()
    /// with client.open_sftp().open(log_file) as remote:
    ///     tail = remote.readlines()[-100:]
    /// ```
    pub static PARAMIKO_EXEC_COMMAND = Rule {
        code: "SEC601",
        name: "paramiko-exec-command",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: bandit(Medium, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B601"), Peer::same("ruff", "S601")],
        check: Check::Call { targets: &[".exec_command"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if !cx.imports_module("paramiko") {
        return;
    }
    cx.report(
        call.range(),
        "`exec_command` runs its command in the remote shell; quote every value with `shlex.quote`",
    );
}
