use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `ssl._create_unverified_context()`. Bandit rates it MEDIUM; archlint makes it an
    /// error, as it switches TLS verification off altogether.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): without verification any machine on the path can pose
    /// as
    /// the server (man in the middle).
    ///
    /// ## Example
    /// ```python
    /// import ssl
    ///
    /// context = ssl._create_unverified_context()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ssl
    ///
    /// context = ssl.create_default_context()
    /// ```
    pub static UNVERIFIED_SSL_CONTEXT = Rule {
        code: "SEC323",
        name: "unverified-ssl-context",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B323"), Peer::same("ruff", "S323")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["ssl._create_unverified_context"];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "turns off certificate and host name checks; use `ssl.create_default_context()`",
    );
}
