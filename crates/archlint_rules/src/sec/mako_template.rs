use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `mako.template.Template(...)` (and `mako.lookup.TemplateLookup` templates built
    /// through it): Mako renders variables unescaped unless each is filtered.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, input validation): every `${variable}` rendered into
    /// HTML without the `h` filter is a place where user input can inject script (XSS).
    ///
    /// ## Example
    /// ```python
    /// from mako.template import Template
    ///
    /// page = Template("<p>${comment}</p>").render(comment=comment)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import jinja2
    ///
    /// env = jinja2.Environment(autoescape=True)
    /// page = env.from_string("<p>{{ comment }}</p>").render(comment=comment)
    /// ```
    pub static MAKO_TEMPLATE = Rule {
        code: "SEC702",
        name: "mako-template",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B702"), Peer::same("ruff", "S702")],
        check: Check::Call { targets: &["mako.template.Template"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    cx.report(
        call.range(),
        "`mako.template.Template` does not escape variables; add `default_filters=['h']` or escape each `${...}` with `|h`",
    );
}
