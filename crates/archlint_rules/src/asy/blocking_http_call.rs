use super::async_context::report_blocking;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags synchronous HTTP calls inside `async def`: `requests.*`, the module-level `httpx`
    /// functions, `urllib.request.urlopen`/`urlretrieve`, `urllib3.request` and `http.client`
    /// connections.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a coroutine that blocks stops the whole event loop:
    /// every other task, timer and connection waits until the call returns, so one slow call
    /// adds its latency to every request in flight.
    ///
    /// ## Example
    /// ```python
    /// import requests
    ///
    /// async def fetch_user(user_id):
    ///     return requests.get(f"https://api.example.com/users/{user_id}", timeout=10).json()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import httpx
    ///
    /// async def fetch_user(client: httpx.AsyncClient, user_id):
    ///     response = await client.get(f"https://api.example.com/users/{user_id}")
    ///     return response.json()
    /// ```
    pub static BLOCKING_HTTP_CALL = Rule {
        code: "ASY002",
        name: "blocking-http-call",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "ASYNC210")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.head",
    "requests.options",
    "requests.request",
    "httpx.get",
    "httpx.post",
    "httpx.put",
    "httpx.patch",
    "httpx.delete",
    "httpx.head",
    "httpx.options",
    "httpx.request",
    "httpx.stream",
    "urllib.request.urlopen",
    "urllib.request.urlretrieve",
    "urllib3.request",
    "http.client.HTTPConnection",
    "http.client.HTTPSConnection",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    report_blocking(
        call,
        cx,
        [
            "use an async client (`httpx.AsyncClient`, `aiohttp`)",
            "use `httpx.AsyncClient`",
            "use `httpx.AsyncClient`",
        ],
    );
}
