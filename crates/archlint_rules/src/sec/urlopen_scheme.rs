use super::blacklist;
use crate::prelude::*;

const ADVICE: &str = "opens any URL scheme, `file:` included; check that the URL starts with `http://` or `https://` first";

rule! {
    /// ## What it does
    /// Flags `urllib.request.urlopen`/`urlretrieve`/`URLopener`/`FancyURLopener` (also through
    /// `six.moves`) on a URL that is not a literal `http://` or `https://` address. Unlike
    /// bandit,
    /// archlint stays silent for such literals: their scheme cannot change.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): these functions also open `file:` and other schemes,
    /// so a
    /// URL taken from outside can read local files (`file:///etc/passwd`).
    ///
    /// ## Example
    /// ```python
    /// import urllib.request
    ///
    /// def fetch(url):
    ///     return urllib.request.urlopen(url).read()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import requests
    ///
    /// def fetch(url):
    ///     return requests.get(url, timeout=10).content
    /// ```
    pub static URLOPEN_SCHEME = Rule {
        code: "SEC310",
        name: "urlopen-scheme",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B310"), Peer::same("ruff", "S310")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "urllib.request.urlopen",
    "urllib.request.urlretrieve",
    "urllib.request.URLopener",
    "urllib.request.FancyURLopener",
    "six.moves.urllib.request.urlopen",
    "six.moves.urllib.request.urlretrieve",
    "six.moves.urllib.request.URLopener",
    "six.moves.urllib.request.FancyURLopener",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    // A literal `http(s)://` URL cannot be switched to `file:` by anyone.
    let literal_web_url = call
        .argument(0, "url")
        .and_then(literal::str_ref)
        .is_some_and(|url| {
            let url = url.trim_start().to_ascii_lowercase();
            url.starts_with("http://") || url.starts_with("https://")
        });
    if !literal_web_url {
        blacklist::report_call(call, cx, ADVICE);
    }
}
