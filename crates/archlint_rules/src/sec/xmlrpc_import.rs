use super::blacklist;
use crate::prelude::*;

const ADVICE: &str =
    "parses XML unsafely; call `defusedxml.xmlrpc.monkey_patch()` or use `defusedxml.xmlrpc`";

rule! {
    /// ## What it does
    /// Flags imports of `xmlrpc` (client or server; `xmlrpclib` in Python 2). Bandit rates it
    /// HIGH; archlint makes it a warning, as XML-RPC has legitimate uses, and stays silent in
    /// a file that calls `defusedxml.xmlrpc.monkey_patch()`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): XML-RPC parses XML from the other side with the
    /// standard
    /// library parser, open to entity-expansion attacks.
    ///
    /// ## Example
    /// ```python
    /// import xmlrpc.client
    ///
    /// proxy = xmlrpc.client.ServerProxy(url)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import xmlrpc.client
    ///
    /// from defusedxml.xmlrpc import monkey_patch
    ///
    /// monkey_patch()
    /// proxy = xmlrpc.client.ServerProxy(url)
    /// ```
    pub static XMLRPC_IMPORT = Rule {
        code: "SEC411",
        name: "xmlrpc-import",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B411"), Peer::same("ruff", "S411")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["xmlrpc", "xmlrpclib"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    // `defusedxml.xmlrpc.monkey_patch()` makes the module safe; it is called after the
    // import, so look for it in the whole file.
    if !(cx.source.contains("monkey_patch") && cx.source.contains("defusedxml")) {
        blacklist::report_import(import, cx, TARGETS, ADVICE);
    }
}
