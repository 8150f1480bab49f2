use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `ftplib`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): FTP sends credentials and files in clear text.
    ///
    /// ## Example
    /// ```python
    /// import ftplib
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import paramiko
    /// ```
    pub static FTPLIB_IMPORT = Rule {
        code: "SEC402",
        name: "ftplib-import",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B402"), Peer::same("ruff", "S402")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["ftplib"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "is a clear-text protocol; use SFTP or `ftplib.FTP_TLS` with care",
    );
}
