use super::blacklist;
use crate::prelude::*;

const ADVICE: &str = "parses XML that can expand entities without limit; use the `defusedxml` equivalent or call `defusedxml.defuse_stdlib()`";

rule! {
    /// ## What it does
    /// Flags parsing with `xml.dom.minidom` (`parse`, `parseString`). Unlike bandit, archlint
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
    /// from xml.dom import minidom
    ///
    /// doc = minidom.parseString(body)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from defusedxml import minidom
    ///
    /// doc = minidom.parseString(body)
    /// ```
    pub static UNSAFE_XML_PARSE_MINIDOM = Rule {
        code: "SEC318",
        name: "unsafe-xml-parse-minidom",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B318"), Peer::same("ruff", "S318")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["xml.dom.minidom.parse", "xml.dom.minidom.parseString"];

fn check(call: &CallSite, cx: &mut FileContext) {
    // `defusedxml.defuse_stdlib()` patches these parsers for the whole process.
    if !blacklist::defused(cx) {
        blacklist::report_call(call, cx, ADVICE);
    }
}
