use super::password_names::is_hardcoded_credential;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a function whose parameter named like a password (`password`, `token`,
    /// `secret_key`) defaults to a non-empty string literal. The finding is on the `def` line,
    /// where bandit puts it, and names every such parameter.
    ///
    /// Unlike bandit, archlint ignores empty defaults and also checks keyword-only and
    /// positional-only parameters and `async def`. Bandit rates these LOW; archlint makes them
    /// warnings.
    ///
    /// Nor does it flag what only looks like a password by its name: names about one
    /// (`password_field`, `token_type`, `password_prompt`) or that merely start with `pass`
    /// (`pass_arg`); a `token` with no word saying it is a credential (a lexer's `token`, an
    /// ORM's `identity_token`) unless the value looks generated (long, letters and digits);
    /// prompts, templates and one-character values (`"Password: "`, `"{password}"`, `"*"`).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, secrets management): a default password is a
    /// password every caller who forgets the argument shares, and it is committed with the
    /// code.
    ///
    /// ## Example
    /// ```python
    /// def connect(host, password="admin"):
    ///     ...
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def connect(host, password):
    ///     ...
    /// ```
    pub static HARDCODED_PASSWORD_DEFAULT = Rule {
        code: "SEC107",
        name: "hardcoded-password-default",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: bandit(Low, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B107"), Peer::same("ruff", "S107")],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    let parameters = &function.parameters;
    let names: Vec<String> = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .chain(&parameters.kwonlyargs)
        .filter(|p| {
            p.default
                .as_deref()
                .and_then(literal::str_ref)
                .is_some_and(|default| is_hardcoded_credential(&p.parameter.name, default))
        })
        .map(|p| format!("`{}`", p.parameter.name))
        .collect();
    if names.is_empty() {
        return;
    }
    cx.report(
        function.name.range(),
        format!(
            "`{}` gives {} a string literal default that looks like a hardcoded password; make the parameter required or read it from the environment",
            function.name,
            names.join(", ")
        ),
    );
}
