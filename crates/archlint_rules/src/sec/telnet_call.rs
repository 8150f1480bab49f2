use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags connections made with `telnetlib.Telnet` (the module is removed in Python 3.13).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): Telnet has no encryption: anyone on the path reads the
    /// session and its credentials.
    ///
    /// ## Example
    /// ```python
    /// import telnetlib
    ///
    /// session = telnetlib.Telnet("router.local")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import paramiko
    ///
    /// client = paramiko.SSHClient()
    /// ```
    pub static TELNET_CALL = Rule {
        code: "SEC312",
        name: "telnet-call",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B312"), Peer::same("ruff", "S312")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["telnetlib.Telnet"];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "sends everything, passwords included, in clear text; use SSH (e.g. `paramiko` or `asyncssh`)",
    );
}
