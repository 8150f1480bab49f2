use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `xml.dom.expatbuilder`. Off by default (SEC316 flags the parsing
    /// calls).
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
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from defusedxml import expatbuilder
    /// ```
    pub static UNSAFE_XML_IMPORT_EXPATBUILDER = Rule {
        code: "SEC407",
        name: "unsafe-xml-import-expatbuilder",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B407"), Peer::same("ruff", "S407")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["xml.dom.expatbuilder"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "parses XML unsafely; import `defusedxml.expatbuilder` instead",
    );
}
