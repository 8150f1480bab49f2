use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `marshal.load` and `marshal.loads`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): `marshal` is an internal format for `.pyc` files: the
    /// documentation warns it is not secure against erroneous or malicious data.
    ///
    /// ## Example
    /// ```python
    /// import marshal
    ///
    /// def read(blob):
    ///     return marshal.loads(blob)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    ///
    /// def read(blob):
    ///     return json.loads(blob)
    /// ```
    pub static MARSHAL_LOAD = Rule {
        code: "SEC302",
        name: "marshal-load",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B302"), Peer::same("ruff", "S302")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["marshal.load", "marshal.loads"];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "is not safe for untrusted data (malformed input can crash the interpreter); use `json` for data exchange",
    );
}
