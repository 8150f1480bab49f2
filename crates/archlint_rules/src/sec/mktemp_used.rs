use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `tempfile.mktemp`, deprecated since Python 2.3.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): between choosing the name and opening the file,
    /// another
    /// process can create it (or a link with that name) and read or redirect what is written.
    ///
    /// ## Example
    /// ```python
    /// import tempfile
    ///
    /// path = tempfile.mktemp()
    /// with open(path, "w") as f:
    ///     f.write(data)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import tempfile
    ///
    /// with tempfile.NamedTemporaryFile("w", delete=False) as f:
    ///     f.write(data)
    /// ```
    pub static MKTEMP_USED = Rule {
        code: "SEC306",
        name: "mktemp-used",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B306"), Peer::same("ruff", "S306")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["tempfile.mktemp"];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "returns a name another process can create first; use `tempfile.mkstemp()` or `NamedTemporaryFile()`",
    );
}
