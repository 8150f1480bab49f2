use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `xml.sax`. Off by default (SEC317 flags the parsing calls).
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
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import defusedxml.sax
    /// ```
    pub static UNSAFE_XML_IMPORT_SAX = Rule {
        code: "SEC406",
        name: "unsafe-xml-import-sax",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B406"), Peer::same("ruff", "S406")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["xml.sax"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "parses XML unsafely; import `defusedxml.sax` instead",
    );
}
