use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags plain-text FTP connections made with `ftplib.FTP`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): FTP has no encryption: passwords and data can be read
    /// and
    /// altered on the way.
    ///
    /// ## Example
    /// ```python
    /// import ftplib
    ///
    /// ftp = ftplib.FTP("files.example.com")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ftplib
    ///
    /// ftp = ftplib.FTP_TLS("files.example.com")
    /// ```
    pub static FTP_CALL = Rule {
        code: "SEC321",
        name: "ftp-call",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B321"), Peer::same("ruff", "S321")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["ftplib.FTP"];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "sends credentials and files in clear text; use SFTP (e.g. `paramiko`) or `ftplib.FTP_TLS`",
    );
}
