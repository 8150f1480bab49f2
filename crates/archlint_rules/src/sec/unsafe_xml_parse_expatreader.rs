use super::blacklist;
use crate::prelude::*;

const ADVICE: &str = "parses XML that can expand entities without limit; use the `defusedxml` equivalent or call `defusedxml.defuse_stdlib()`";

rule! {
    /// ## What it does
    /// Flags parsing with `xml.sax.expatreader` (`create_parser`). Unlike bandit, archlint
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
    /// from xml.sax import expatreader
    ///
    /// parser = expatreader.create_parser()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from defusedxml import expatreader
    ///
    /// parser = expatreader.create_parser()
    /// ```
    pub static UNSAFE_XML_PARSE_EXPATREADER = Rule {
        code: "SEC315",
        name: "unsafe-xml-parse-expatreader",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B315"), Peer::same("ruff", "S315")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["xml.sax.expatreader.create_parser"];

fn check(call: &CallSite, cx: &mut FileContext) {
    // `defusedxml.defuse_stdlib()` patches these parsers for the whole process.
    if !blacklist::defused(cx) {
        blacklist::report_call(call, cx, ADVICE);
    }
}
