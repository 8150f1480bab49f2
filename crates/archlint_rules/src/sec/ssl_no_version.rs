use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `ssl.wrap_socket(...)` without `ssl_version=`. The function is deprecated since
    /// Python 3.7 and removed in 3.12.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): with no version given, the protocol is negotiated
    /// from a default that older Pythons set to allow broken versions, and `wrap_socket`
    /// checks neither certificates nor host names.
    ///
    /// ## Example
    /// ```python
    /// import ssl
    ///
    /// secure = ssl.wrap_socket(sock)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ssl
    ///
    /// context = ssl.create_default_context()
    /// secure = context.wrap_socket(sock, server_hostname=host)
    /// ```
    pub static SSL_NO_VERSION = Rule {
        code: "SEC504",
        name: "ssl-no-version",
        severity: Severity::Info,
        confidence: Some(Medium),
        bandit: bandit(Low, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B504"), Peer::same("ruff", "S504")],
        check: Check::Call { targets: &["ssl.wrap_socket"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if call.keyword("ssl_version").is_none() && !call.has_unpacking() {
        cx.report(
            call.range(),
            "`ssl.wrap_socket` without `ssl_version` (removed in Python 3.12) neither verifies the server nor pins a safe protocol; use `ssl.create_default_context().wrap_socket(...)`",
        );
    }
}
