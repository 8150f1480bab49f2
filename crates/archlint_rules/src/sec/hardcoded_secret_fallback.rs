use super::secret_names::is_secret_name;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `os.getenv(...)` and `os.environ.get(...)` that read a secret (a variable whose
    /// name says password, secret, token, key...) with a non-empty string literal as the
    /// fallback.
    ///
    /// ## Why it matters
    /// Guide §8 (security, secrets management): secrets come from the environment or a secret
    /// store, never from the source. A literal fallback is a hardcoded secret that silently
    /// takes over whenever the variable is missing, in production as well as on a laptop.
    ///
    /// ## Example
    /// ```python
    /// import os
    /// SECRET_KEY = os.getenv("SECRET_KEY", "dev-secret-change-me")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// SECRET_KEY = os.environ["SECRET_KEY"]
    /// ```
    pub static HARDCODED_SECRET_FALLBACK = Rule {
        code: "SEC815",
        name: "hardcoded-secret-fallback",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "S105")],
        check: Check::Call { targets: &["os.getenv", "os.environ.get", "os.environ.setdefault"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(variable) = call.argument(0, "key").and_then(literal::str_ref) else {
        return;
    };
    if !is_secret_name(variable) {
        return;
    }
    let Some(fallback) = call.argument(1, "default") else {
        return;
    };
    let Some(text) = literal::str_ref(fallback) else {
        return;
    };
    if text.trim().is_empty() {
        return;
    }
    let name = call.name();
    cx.report(
        call.range(),
        format!("`{name}(\"{variable}\", ...)` falls back to a literal secret; read it with `os.environ[\"{variable}\"]` and fail when it is missing"),
    );
}
