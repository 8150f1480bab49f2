use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `jinja2.Environment(...)` created without `autoescape=`, or with
    /// `autoescape=False` (high confidence), or with a value that is neither `True` nor a
    /// `select_autoescape(...)` call (medium confidence).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, input validation): Jinja2 does not escape by
    /// default. Every variable rendered into HTML is then a place where user input can
    /// inject script (XSS).
    ///
    /// ## Example
    /// ```python
    /// import jinja2
    ///
    /// env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import jinja2
    ///
    /// env = jinja2.Environment(
    ///     loader=jinja2.FileSystemLoader("templates"),
    ///     autoescape=jinja2.select_autoescape(),
    /// )
    /// ```
    pub static JINJA2_AUTOESCAPE_FALSE = Rule {
        code: "SEC701",
        name: "jinja2-autoescape-false",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B701"), Peer::same("ruff", "S701")],
        check: Check::Call { targets: &["jinja2.Environment", "jinja2.environment.Environment"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(autoescape) = call.keyword_value("autoescape") else {
        if !call.has_unpacking() {
            cx.report(
                call.range(),
                "`jinja2.Environment` escapes nothing by default; pass `autoescape=select_autoescape()`",
            );
        }
        return;
    };
    if literal::is_false(autoescape) {
        cx.report(
            call.range(),
            "`jinja2.Environment` with `autoescape=False` renders user input as HTML; pass `autoescape=select_autoescape()`",
        );
        return;
    }
    let is_select_autoescape = match autoescape {
        Expr::Call(inner) => literal::terminal_name(&inner.func) == Some("select_autoescape"),
        _ => false,
    };
    if !literal::is_true(autoescape) && !is_select_autoescape {
        cx.report_rated(
            call.range(),
            "`jinja2.Environment` with an `autoescape` value that may be false; pass `autoescape=select_autoescape()`",
            None,
            Some(Medium),
        );
    }
}
