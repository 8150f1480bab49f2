use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `logging.config.listen(...)` without a `verify=` function.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): the listener accepts logging configurations over a
    /// socket and applies them with `eval`-like power (handlers, filters and formatters name
    /// arbitrary classes); anyone who can reach the port can run code unless each
    /// configuration is verified, e.g. by a signature.
    ///
    /// ## Example
    /// ```python
    /// import logging.config
    ///
    /// thread = logging.config.listen(9999)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import logging.config
    ///
    /// thread = logging.config.listen(9999, verify=check_signature)
    /// ```
    pub static LOGGING_CONFIG_LISTEN = Rule {
        code: "SEC612",
        name: "logging-config-listen",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B612"), Peer::same("ruff", "S612")],
        check: Check::Call { targets: &["logging.config.listen"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if call.keyword("verify").is_none() && call.args().len() < 2 {
        cx.report(
            call.range(),
            "`logging.config.listen` without `verify=` applies any configuration sent to its port; pass a function that checks a signature",
        );
    }
}
