use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `set_missing_host_key_policy(...)` given paramiko's `AutoAddPolicy` or
    /// `WarningPolicy` (in a module that imports `paramiko`).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): accepting unknown host keys means accepting any
    /// server that answers, so a machine in the middle can capture the credentials and the
    /// session.
    ///
    /// ## Example
    /// ```python
    /// import paramiko
    ///
    /// client = paramiko.SSHClient()
    /// client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import paramiko
    ///
    /// client = paramiko.SSHClient()
    /// client.load_system_host_keys()
    /// client.set_missing_host_key_policy(paramiko.RejectPolicy())
    /// ```
    pub static SSH_NO_HOST_KEY_CHECK = Rule {
        code: "SEC507",
        name: "ssh-no-host-key-check",
        severity: Severity::Error,
        confidence: Some(Medium),
        bandit: bandit(High, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B507"), Peer::same("ruff", "S507")],
        check: Check::Call { targets: &[".set_missing_host_key_policy"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if !cx.imports_module("paramiko") {
        return;
    }
    let Some(policy) = call.args().first() else {
        return;
    };
    let policy = match policy {
        Expr::Call(inner) => literal::terminal_name(&inner.func),
        other => literal::terminal_name(other),
    };
    if let Some(policy @ ("AutoAddPolicy" | "WarningPolicy")) = policy {
        cx.report(
            call.range(),
            format!("`{policy}` accepts any host key, so any server can pose as this one; load known hosts and use `RejectPolicy`"),
        );
    }
}
