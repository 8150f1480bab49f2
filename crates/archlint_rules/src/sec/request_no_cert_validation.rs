use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `requests` and `httpx` calls and clients given `verify=False`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): without certificate checks, anyone on the network
    /// path can pose as the server, read the traffic (credentials included) and change the
    /// responses.
    ///
    /// ## Example
    /// ```python
    /// import requests
    ///
    /// response = requests.get(url, verify=False, timeout=10)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import requests
    ///
    /// response = requests.get(url, verify="/etc/ssl/internal-ca.pem", timeout=10)
    /// ```
    pub static REQUEST_NO_CERT_VALIDATION = Rule {
        code: "SEC501",
        name: "request-no-cert-validation",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B501"), Peer::same("ruff", "S501")],
        check: Check::AnyCall { run: check },
    };
}

const REQUESTS: &[&str] = &[
    "get", "options", "head", "post", "put", "patch", "delete", "request",
];
const HTTPX: &[&str] = &[
    "get",
    "options",
    "head",
    "post",
    "put",
    "patch",
    "delete",
    "request",
    "stream",
    "Client",
    "AsyncClient",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(verify) = call.keyword("verify") else {
        return;
    };
    if !literal::is_false(&verify.value) {
        return;
    }
    let name = call.name();
    let (library, function) = match name.split_once('.') {
        Some((library, rest)) => (library, rest.rsplit('.').next().unwrap_or(rest)),
        None => return,
    };
    let known = match library {
        "requests" => REQUESTS.contains(&function),
        "httpx" => HTTPX.contains(&function),
        _ => false,
    };
    if known {
        cx.report(
            verify.range(),
            format!("`{name}` with `verify=False` accepts any certificate; keep verification on (pass a CA bundle path for private CAs)"),
        );
    }
}
