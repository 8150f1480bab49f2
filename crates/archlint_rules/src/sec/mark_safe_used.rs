use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags every call of Django's `mark_safe`, whatever its argument (SEC703 is the narrower
    /// check for non-literal arguments).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): a string marked safe is put into templates without
    /// escaping; if any part of it comes from a user, that user can inject script (XSS).
    ///
    /// ## Example
    /// ```python
    /// from django.utils.safestring import mark_safe
    ///
    /// def greeting(name):
    ///     return mark_safe("<b>" + name + "</b>")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from django.utils.html import format_html
    ///
    /// def greeting(name):
    ///     return format_html("<b>{}</b>", name)
    /// ```
    pub static MARK_SAFE_USED = Rule {
        code: "SEC308",
        name: "mark-safe-used",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B308"), Peer::same("ruff", "S308")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["django.utils.safestring.mark_safe"];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "turns off HTML escaping for its argument; build HTML with `format_html()` so the parts are escaped",
    );
}
