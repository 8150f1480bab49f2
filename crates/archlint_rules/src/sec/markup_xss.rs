use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `markupsafe.Markup(x)` (and `flask.Markup`, plus the names listed in
    /// `[tool.archlint.security] markup-extend-names`) when `x` is not a literal, unless `x` is
    /// a call of one of `markup-allowed-calls` (e.g. a sanitiser such as `bleach.clean`).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, input validation): `Markup` marks a string as safe
    /// HTML; the template engine then inserts it unescaped. User input in it is XSS.
    ///
    /// ## Example
    /// ```python
    /// from markupsafe import Markup
    ///
    /// def comment_html(comment):
    ///     return Markup(f"<p>{comment}</p>")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from markupsafe import Markup
    ///
    /// def comment_html(comment):
    ///     return Markup("<p>{}</p>").format(comment)
    /// ```
    pub static MARKUP_XSS = Rule {
        code: "SEC704",
        name: "markup-xss",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B704"), Peer::same("ruff", "S704")],
        check: Check::AnyCall { run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(name) = call.qualified.as_ref().map(|q| q.name.as_str()) else {
        return;
    };
    let is_markup = matches!(name, "markupsafe.Markup" | "flask.Markup")
        || cx.options.markup_names.iter().any(|n| n == name);
    if !is_markup {
        return;
    }
    let Some(value) = call.args().first() else {
        return;
    };
    if literal::is_constant(value) {
        return;
    }
    if let Expr::Call(inner) = value
        && let Some(callee) = cx.qualified_name(&inner.func)
        && cx.options.markup_allowed_calls.contains(&callee)
    {
        return;
    }
    cx.report(
        call.range(),
        format!("`{name}` on a value built at run time marks it as safe HTML; escape it, e.g. `Markup(\"<p>{{}}</p>\").format(value)`"),
    );
}
