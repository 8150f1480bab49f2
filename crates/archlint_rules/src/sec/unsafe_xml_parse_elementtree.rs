use super::blacklist;
use crate::prelude::*;

const ADVICE: &str = "parses XML that can expand entities without limit; use the `defusedxml` equivalent or call `defusedxml.defuse_stdlib()`";

rule! {
    /// ## What it does
    /// Flags parsing with `xml.etree.ElementTree` (`parse`, `iterparse`, `fromstring`,
    /// `XMLParser`). Unlike bandit, archlint stays silent in a module that calls
    /// `defusedxml.defuse_stdlib()`, which makes these parsers safe.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): the standard library XML parsers expand entities, so a
    /// small hostile document can exhaust memory (billion laughs) or, with some parsers, read
    /// local
    /// files.
    ///
    /// ## Example
    /// ```python
    /// import xml.etree.ElementTree as ET
    ///
    /// tree = ET.fromstring(body)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import defusedxml.ElementTree as ET
    ///
    /// tree = ET.fromstring(body)
    /// ```
    pub static UNSAFE_XML_PARSE_ELEMENTTREE = Rule {
        code: "SEC314",
        name: "unsafe-xml-parse-elementtree",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B314"), Peer::same("ruff", "S314")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "xml.etree.ElementTree.parse",
    "xml.etree.ElementTree.iterparse",
    "xml.etree.ElementTree.fromstring",
    "xml.etree.ElementTree.XMLParser",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    // `defusedxml.defuse_stdlib()` patches these parsers for the whole process.
    if !blacklist::defused(cx) {
        blacklist::report_call(call, cx, ADVICE);
    }
}
