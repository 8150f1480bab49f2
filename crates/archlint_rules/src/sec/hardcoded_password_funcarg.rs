use super::password_names::is_hardcoded_credential;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a keyword argument named like a password (`password=`, `api_token=`,
    /// `client_secret=`) given a non-empty string literal.
    ///
    /// Unlike bandit, archlint ignores the empty string and reports every such argument of a
    /// call, not only the first. Bandit rates these LOW; archlint makes them warnings.
    ///
    /// Nor does it flag what only looks like a password by its name: names about one
    /// (`password_field`, `token_type`, `password_prompt`) or that merely start with `pass`
    /// (`pass_arg`); a `token` with no word saying it is a credential (a lexer's `token`, an
    /// ORM's `identity_token`) unless the value looks generated (long, letters and digits);
    /// prompts, templates and one-character values (`"Password: "`, `"{password}"`, `"*"`).
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
        default_enabled: false,
        peers: &[Peer::same("bandit", "B106"), Peer::same("ruff", "S106")],
        check: Check::AnyCall { run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    for keyword in call.keywords() {
        let Some(name) = &keyword.arg else { continue };
        if literal::str_ref(&keyword.value)
            .is_some_and(|value| is_hardcoded_credential(name, value))
        {
            cx.report(
                keyword.value.range(),
                format!("string literal passed as `{name}=` looks like a hardcoded password; read it from the environment or a secret store"),
            );
        }
    }
}
