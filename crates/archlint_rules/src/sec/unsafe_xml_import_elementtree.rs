use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `xml.etree.ElementTree` and `xml.etree.cElementTree`. Off by default
    /// (SEC313/SEC314 flag the parsing calls).
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
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import defusedxml.ElementTree as ET
    /// ```
    pub static UNSAFE_XML_IMPORT_ELEMENTTREE = Rule {
        code: "SEC405",
        name: "unsafe-xml-import-elementtree",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B405"), Peer::same("ruff", "S405")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["xml.etree.cElementTree", "xml.etree.ElementTree"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "parses XML unsafely; import `defusedxml.ElementTree` instead",
    );
}
