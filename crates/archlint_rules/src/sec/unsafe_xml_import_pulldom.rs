use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `xml.dom.pulldom`. Off by default (SEC319 flags the parsing calls).
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
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from defusedxml import pulldom
    /// ```
    pub static UNSAFE_XML_IMPORT_PULLDOM = Rule {
        code: "SEC409",
        name: "unsafe-xml-import-pulldom",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B409"), Peer::same("ruff", "S409")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["xml.dom.pulldom"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "parses XML unsafely; import `defusedxml.pulldom` instead",
    );
}
