use super::blacklist;
use crate::prelude::*;

const ADVICE: &str = "parses XML that can expand entities without limit; use the `defusedxml` equivalent or call `defusedxml.defuse_stdlib()`";

rule! {
    /// ## What it does
    /// Flags parsing with `xml.sax` (`parse`, `parseString`, `make_parser`). Unlike bandit,
    /// archlint stays silent in a module that calls `defusedxml.defuse_stdlib()`, which makes
    /// these
    /// parsers safe.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): the standard library XML parsers expand entities, so a
    /// small hostile document can exhaust memory (billion laughs) or, with some parsers, read
    /// local
    /// files.
    ///
    /// ## Example
    /// ```python
    /// import xml.sax
    ///
    /// xml.sax.parseString(body, handler)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import defusedxml.sax
    ///
    /// defusedxml.sax.parseString(body, handler)
    /// ```
    pub static UNSAFE_XML_PARSE_SAX = Rule {
        code: "SEC317",
        name: "unsafe-xml-parse-sax",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B317"), Peer::same("ruff", "S317")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "xml.sax.parse",
    "xml.sax.parseString",
    "xml.sax.make_parser",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    // `defusedxml.defuse_stdlib()` patches these parsers for the whole process.
    if !blacklist::defused(cx) {
        blacklist::report_call(call, cx, ADVICE);
    }
}
