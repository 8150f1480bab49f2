use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of the CGI handlers of `wsgiref` and `twisted`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): under CGI a request's `Proxy:` header becomes the
    /// `HTTP_PROXY` variable, so an attacker can route the application's outgoing requests
    /// through
    /// a proxy of their own (httpoxy).
    ///
    /// ## Example
    /// ```python
    /// from wsgiref.handlers import CGIHandler
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from wsgiref.simple_server import make_server
    /// ```
    pub static HTTPOXY_CGI_IMPORT = Rule {
        code: "SEC412",
        name: "httpoxy-cgi-import",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B412"), Peer::same("ruff", "S412")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "wsgiref.handlers.CGIHandler",
    "twisted.web.twcgi.CGIScript",
    "twisted.web.twcgi.CGIDirectory",
];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "is open to httpoxy (a `Proxy:` header sets `HTTP_PROXY`); do not run web code as CGI",
    );
}
