use super::blacklist;
use crate::prelude::*;

const ADVICE: &str = "parses XML that can expand entities without limit; use the `defusedxml` equivalent or call `defusedxml.defuse_stdlib()`";

rule! {
    /// ## What it does
    /// Flags parsing with `xml.dom.pulldom` (`parse`, `parseString`). Unlike bandit, archlint
    /// stays
    /// silent in a module that calls `defusedxml.defuse_stdlib()`, which makes these parsers
    /// safe.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): the standard library XML parsers expand entities, so a
    /// small hostile document can exhaust memory (billion laughs) or, with some parsers, read
    /// local
    /// files.
    ///
    /// ## Example
    /// ```python
    /// from xml.dom import pulldom
    ///
    /// events = pulldom.parseString(body)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from defusedxml import pulldom
    ///
    /// events = pulldom.parseString(body)
    /// ```
    pub static UNSAFE_XML_PARSE_PULLDOM = Rule {
        code: "SEC319",
        name: "unsafe-xml-parse-pulldom",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B319"), Peer::same("ruff", "S319")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["xml.dom.pulldom.parse", "xml.dom.pulldom.parseString"];

fn check(call: &CallSite, cx: &mut FileContext) {
    // `defusedxml.defuse_stdlib()` patches these parsers for the whole process.
    if !blacklist::defused(cx) {
        blacklist::report_call(call, cx, ADVICE);
    }
}
