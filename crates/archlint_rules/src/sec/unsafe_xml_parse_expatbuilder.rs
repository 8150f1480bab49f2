use super::blacklist;
use crate::prelude::*;

const ADVICE: &str = "parses XML that can expand entities without limit; use the `defusedxml` equivalent or call `defusedxml.defuse_stdlib()`";

rule! {
    /// ## What it does
    /// Flags parsing with `xml.dom.expatbuilder` (`parse`, `parseString`). Unlike bandit,
    /// archlint
    /// stays silent in a module that calls `defusedxml.defuse_stdlib()`, which makes these
    /// parsers
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
    /// from xml.dom import expatbuilder
    ///
    /// doc = expatbuilder.parseString(body)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from defusedxml import expatbuilder
    ///
    /// doc = expatbuilder.parseString(body)
    /// ```
    pub static UNSAFE_XML_PARSE_EXPATBUILDER = Rule {
        code: "SEC316",
        name: "unsafe-xml-parse-expatbuilder",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B316"), Peer::same("ruff", "S316")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "xml.dom.expatbuilder.parse",
    "xml.dom.expatbuilder.parseString",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    // `defusedxml.defuse_stdlib()` patches these parsers for the whole process.
    if !blacklist::defused(cx) {
        blacklist::report_call(call, cx, ADVICE);
    }
}
