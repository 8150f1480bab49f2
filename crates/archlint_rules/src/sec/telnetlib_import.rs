use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `telnetlib`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): Telnet sends everything, passwords included, in clear
    /// text.
    ///
    /// ## Example
    /// ```python
    /// import telnetlib
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import paramiko
    /// ```
    pub static TELNETLIB_IMPORT = Rule {
        code: "SEC401",
        name: "telnetlib-import",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B401"), Peer::same("ruff", "S401")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["telnetlib"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "is a clear-text protocol (and removed in Python 3.13); use SSH",
    );
}
