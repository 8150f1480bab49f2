use super::password_names::is_hardcoded_credential;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a non-empty string literal assigned to, or compared with, a name, attribute,
    /// subscript key or dict key that looks like a password (`password`, `passwd`, `pwd`,
    /// `token`, `secret`, `passphrase`, whole or as a `_`-separated part: `DB_PASSWORD`,
    /// `csrf_token`).
    ///
    /// Unlike bandit, archlint ignores the empty string and `None` (`PASSWORD = ""` and
    /// flask's `"SECRET_KEY": None` default are placeholders, not secrets) and also checks
    /// annotated assignments (`PASSWORD: str = "hunter2"`). Bandit
    /// rates these LOW; archlint makes them warnings, as a secret in the source is in every
    /// clone and every log of the repository.
    ///
    /// Nor does it flag what only looks like a password by its name: names about one
    /// (`password_field`, `token_type`, `password_prompt`) or that merely start with `pass`
    /// (`pass_arg`); a `token` with no word saying it is a credential (a lexer's `token`, an
    /// ORM's `identity_token`) unless the value looks generated (long, letters and digits);
    /// prompts, templates and one-character values (`"Password: "`, `"{password}"`, `"*"`).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, secrets management): secrets belong in the
    /// environment or a secret store; one committed to the repository is readable by everyone
    /// with access to it, forever, and cannot be rotated without a code change.
    ///
    /// ## Example
    /// ```python
    /// DATABASE_PASSWORD = "hunter2"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    ///
    /// DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
    /// ```
    pub static HARDCODED_PASSWORD_STRING = Rule {
        code: "SEC105",
        name: "hardcoded-password-string",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: bandit(Low, Medium),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B105"), Peer::same("ruff", "S105")],
        check: Check::Several(&[
            Check::Stmt { kinds: &[NodeKind::StmtAssign, NodeKind::StmtAnnAssign], run: check_assignment },
            Check::Expr { kinds: &[NodeKind::ExprDict, NodeKind::ExprCompare], run: check_expr },
        ]),
    };
}

/// `PASSWORD = "..."`, `self.password = "..."`, `config["password"] = "..."`.
fn check_assignment(stmt: &Stmt, cx: &mut FileContext) {
    let (targets, value) = match stmt {
        Stmt::Assign(assign) => (assign.targets.as_slice(), &*assign.value),
        Stmt::AnnAssign(ast::StmtAnnAssign {
            target,
            value: Some(value),
            ..
        }) => (std::slice::from_ref(&**target), &**value),
        _ => return,
    };
    let Some(value_text) = literal::str_ref(value) else {
        return;
    };
    for target in targets {
        if let Some(name) = target_name(target)
            && is_hardcoded_credential(name, value_text)
        {
            return report(value.range(), name, cx);
        }
        // Bandit reports a subscript key on the key's line.
        if let Expr::Subscript(subscript) = target
            && let Some(name) = literal::str_ref(&subscript.slice)
            && is_hardcoded_credential(name, value_text)
        {
            return report(subscript.slice.range(), name, cx);
        }
    }
}

/// `{"password": "..."}`, `password == "..."`.
fn check_expr(expr: &Expr, cx: &mut FileContext) {
    match expr {
        Expr::Dict(dict) => {
            for item in &dict.items {
                let Some(key) = &item.key else { continue };
                if let Some(name) = literal::str_ref(key)
                    && literal::str_ref(&item.value)
                        .is_some_and(|value| is_hardcoded_credential(name, value))
                {
                    report(key.range(), name, cx);
                }
            }
        }
        Expr::Compare(compare) => {
            let Some(name) = target_name(&compare.left) else {
                return;
            };
            for comparator in &compare.comparators {
                if literal::str_ref(comparator)
                    .is_some_and(|value| is_hardcoded_credential(name, value))
                {
                    report(comparator.range(), name, cx);
                }
            }
        }
        _ => {}
    }
}

/// The name a value is stored under: `password`, `self.password`.
fn target_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

fn report(range: TextRange, name: &str, cx: &mut FileContext) {
    cx.report(
        range,
        format!("string literal stored as `{name}` looks like a hardcoded password; read it from the environment or a secret store"),
    );
}
