use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `xml.dom.minidom`. Off by default (SEC318 flags the parsing calls).
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
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from defusedxml import minidom
    /// ```
    pub static UNSAFE_XML_IMPORT_MINIDOM = Rule {
        code: "SEC408",
        name: "unsafe-xml-import-minidom",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B408"), Peer::same("ruff", "S408")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["xml.dom.minidom"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "parses XML unsafely; import `defusedxml.minidom` instead",
    );
}
