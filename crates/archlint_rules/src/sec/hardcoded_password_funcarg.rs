use super::password_names::is_password_name;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a keyword argument named like a password (`password=`, `api_token=`,
    /// `client_secret=`) given a non-empty string literal.
    ///
    /// Unlike bandit, archlint ignores the empty string and reports every such argument of a
    /// call, not only the first. Bandit rates these LOW; archlint makes them warnings.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, secrets management): a secret written into a call is
    /// committed with the code, readable by everyone with the repository, and cannot be
    /// rotated without a release.
    ///
    /// ## Example
    /// ```python
    /// import psycopg
    ///
    /// connection = psycopg.connect(user="app", password="hunter2")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    ///
    /// import psycopg
    ///
    /// connection = psycopg.connect(user="app", password=os.environ["DB_PASSWORD"])
    /// ```
    pub static HARDCODED_PASSWORD_FUNCARG = Rule {
        code: "SEC106",
        name: "hardcoded-password-funcarg",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: bandit(Low, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B106"), Peer::same("ruff", "S106")],
        check: Check::AnyCall { run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    for keyword in call.keywords() {
        let Some(name) = &keyword.arg else { continue };
        if is_password_name(name)
            && literal::str_ref(&keyword.value).is_some_and(|value| !value.is_empty())
        {
            cx.report(
                keyword.value.range(),
                format!("string literal passed as `{name}=` looks like a hardcoded password; read it from the environment or a secret store"),
            );
        }
    }
}
