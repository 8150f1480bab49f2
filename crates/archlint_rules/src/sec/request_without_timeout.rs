use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `requests` calls (`get`, `options`, `head`, `post`, `put`, `patch`, `delete`,
    /// `request`) without a `timeout=` or with `timeout=None`, and `httpx` calls and clients
    /// (`httpx.get`, …, `httpx.request`, `httpx.stream`, `httpx.Client`, `httpx.AsyncClient`)
    /// with `timeout=None` (httpx has a default timeout; `None` removes it).
    ///
    /// Unlike bandit, archlint also checks `requests.request`, and stays silent when the call
    /// passes `**kwargs`, which may hold the timeout.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture) and §10 (resilience): `requests` waits forever by
    /// default. One slow or malicious server then holds a worker until the process is
    /// restarted, and enough of them take the service down.
    ///
    /// ## Example
    /// ```python
    /// import requests
    ///
    /// response = requests.get("https://api.example.com/items")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import requests
    ///
    /// response = requests.get("https://api.example.com/items", timeout=10)
    /// ```
    pub static REQUEST_WITHOUT_TIMEOUT = Rule {
        code: "SEC113",
        name: "request-without-timeout",
        severity: Severity::Warning,
        confidence: Some(Low),
        bandit: bandit(Medium, Low),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B113"), Peer::same("ruff", "S113")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "requests.get",
    "requests.options",
    "requests.head",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.request",
    "requests.api.get",
    "requests.api.options",
    "requests.api.head",
    "requests.api.post",
    "requests.api.put",
    "requests.api.patch",
    "requests.api.delete",
    "requests.api.request",
    "httpx.get",
    "httpx.options",
    "httpx.head",
    "httpx.post",
    "httpx.put",
    "httpx.patch",
    "httpx.delete",
    "httpx.request",
    "httpx.stream",
    "httpx.Client",
    "httpx.AsyncClient",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    match call.keyword_value("timeout") {
        Some(timeout) if literal::is_none(timeout) => cx.report(
            call.range(),
            format!("`{name}` with `timeout=None` can wait forever; pass a timeout in seconds"),
        ),
        None if name.starts_with("requests.") && !call.has_unpacking() => cx.report(
            call.range(),
            format!("`{name}` without a timeout can wait forever; pass `timeout=` in seconds"),
        ),
        _ => {}
    }
}
