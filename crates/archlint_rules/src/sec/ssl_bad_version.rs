use super::ssl_versions::bad_protocol;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags SSLv2, SSLv3, TLS 1.0 and TLS 1.1 chosen as the protocol: `ssl_version=` of
    /// `ssl.wrap_socket`, `method=` of pyOpenSSL's `SSL.Context`, the first argument of
    /// `ssl.SSLContext(...)` or `OpenSSL.SSL.Context(...)`, and any other call given such a
    /// `ssl_version=` or `method=` (a warning, as bandit rates it MEDIUM).
    ///
    /// Bandit reads only keyword arguments; archlint also reads the protocol passed first to
    /// `ssl.SSLContext` and `OpenSSL.SSL.Context`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): these protocol versions have practical attacks
    /// (POODLE, BEAST, DROWN); a connection made with them can be read or tampered with.
    ///
    /// ## Example
    /// ```python
    /// import ssl
    ///
    /// context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ssl
    ///
    /// context = ssl.create_default_context()
    /// context.minimum_version = ssl.TLSVersion.TLSv1_2
    /// ```
    pub static SSL_BAD_VERSION = Rule {
        code: "SEC502",
        name: "ssl-bad-version",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B502"), Peer::same("ruff", "S502")],
        check: Check::AnyCall { run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    let (argument, library_call) = match name.as_str() {
        "ssl.wrap_socket" => (
            call.keyword("ssl_version").map(|k| (&k.value, k.range())),
            true,
        ),
        "ssl.SSLContext" | "OpenSSL.SSL.Context" | "pyOpenSSL.SSL.Context" => (
            call.keyword("method")
                .or_else(|| call.keyword("protocol"))
                .map(|k| (&k.value, k.range()))
                .or_else(|| call.arg(0).map(|a| (a, a.range()))),
            true,
        ),
        _ => (
            call.keyword("method")
                .or_else(|| call.keyword("ssl_version"))
                .map(|k| (&k.value, k.range())),
            false,
        ),
    };
    let Some((value, range)) = argument else {
        return;
    };
    let Some(protocol) = bad_protocol(value) else {
        return;
    };
    let message = format!(
        "`{name}` with `{protocol}` uses a broken protocol version; require TLS 1.2 or later"
    );
    if library_call {
        cx.report(range, message);
    } else {
        cx.report_rated(range, message, Some(Severity::Warning), Some(Medium));
    }
}
