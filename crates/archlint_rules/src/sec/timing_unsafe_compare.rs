use super::secret_names::{is_digest_name, is_password_name, is_plain_token_name};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `==` and `!=` between a secret value and something else: an operand whose name
    /// ends in a digest/token word (`signature`, `expected_sig`, `checksum`, `csrf_token`,
    /// `api_key`, `password`, `hmac`, `digest`...), or the result of
    /// `hmac.new(...).digest()`/`hexdigest()`, `hashlib.*(...).hexdigest()` (in code that
    /// signs,
    /// see below) or
    /// `secrets.token_*()`. Comparisons with a literal (`token == ""`, `sig is None`) and
    /// comparisons inside `__eq__` are not flagged: they test presence or identity, not a
    /// secret.
    ///
    /// To keep the noise down, archlint also skips: two password-named operands (a
    /// "confirm password" check compares two things the user typed); an operand that is a
    /// class constant (`self.reset_url_token` assigned a literal in the class); `nonce`
    /// names (nonces are not secret); and names that only say `sig`/`hash`/`digest`/`mac`/
    /// `checksum`, or a bare `token`, in files that import nothing that signs (`hmac`,
    /// `secrets`, `jwt`, `itsdangerous`, `cryptography`, `django.core.signing`...): there
    /// they are file checksums, fingerprints of settings or parser tokens. A file hash checked
    /// against a published one (`hashlib` alone) is not a secret either.
    ///
    /// ## Why it matters
    /// Guide §8 (security, API keys and signed tokens): `==` stops at the first differing
    /// byte, so the time it takes leaks how much of a guess is right, and a signature can be
    /// recovered byte by byte. `hmac.compare_digest` takes the same time whatever matches.
    ///
    /// ## Example
    /// ```python
    /// import hashlib, hmac
    /// def verify(key, body, signature):
    ///     expected = hmac.new(key, body, hashlib.sha256).hexdigest()
    ///     return signature == expected
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib, hmac
    /// def verify(key, body, signature):
    ///     expected = hmac.new(key, body, hashlib.sha256).hexdigest()
    ///     return hmac.compare_digest(signature, expected)
    /// ```
    pub static TIMING_UNSAFE_COMPARE = Rule {
        code: "SEC801",
        name: "timing-unsafe-compare",
        severity: Severity::Error,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Expr { kinds: &[NodeKind::ExprCompare], run: check },
    };
}

fn check(expr: &Expr, cx: &mut FileContext) {
    let Expr::Compare(compare) = expr else { return };
    if cx
        .enclosing_function()
        .is_some_and(|f| matches!(f.name.as_str(), "__eq__" | "__ne__" | "__hash__"))
    {
        return;
    }
    let mut left = &*compare.left;
    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
        if matches!(op, ast::CmpOp::Eq | ast::CmpOp::NotEq)
            && !is_presence_test(left)
            && !is_presence_test(right)
            && !is_class_constant(left, cx)
            && !is_class_constant(right, cx)
            && !is_password_confirmation(left, right)
            && let Some(secret) = secret_operand(left, cx).or_else(|| secret_operand(right, cx))
        {
            let op = if matches!(op, ast::CmpOp::Eq) {
                "=="
            } else {
                "!="
            };
            cx.report(
                expr.range(),
                format!("`{op}` on {secret} takes longer the more of it matches; compare with `hmac.compare_digest(a, b)`"),
            );
            return;
        }
        left = right;
    }
}

/// Operands that make the comparison a test of presence, length or kind, not of a secret.
fn is_presence_test(expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => literal::terminal_name(&call.func)
            .is_some_and(|name| matches!(name, "len" | "type" | "bool" | "isinstance" | "count")),
        Expr::Attribute(attribute) => {
            // Enum members and module constants: `token.type == tokenize.NAME`.
            attribute
                .attr
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
        }
        _ => literal::is_constant(expr),
    }
}

/// How to name `expr` in a message when it holds a secret value.
fn secret_operand(expr: &Expr, cx: &FileContext) -> Option<String> {
    match expr {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {
            let name = literal::terminal_name(expr)?;
            if !is_digest_name(name) || name.to_ascii_lowercase().ends_with("nonce") {
                return None;
            }
            if (is_fingerprint_name(name) || is_plain_token_name(name)) && !imports_crypto(cx) {
                return None;
            }
            Some(format!("`{}`", cx.text(expr.range())))
        }
        Expr::Call(call) => {
            if cx
                .qualified_name(&call.func)
                .is_some_and(|q| q.starts_with("secrets.token_") || q == "hmac.digest")
            {
                return Some(format!("`{}`", cx.text(call.func.range())));
            }
            let Expr::Attribute(attribute) = call.func.as_ref() else {
                return None;
            };
            if !matches!(attribute.attr.as_str(), "digest" | "hexdigest") {
                return None;
            }
            let Expr::Call(inner) = attribute.value.as_ref() else {
                return None;
            };
            let hasher = cx.qualified_name(&inner.func)?;
            (hasher == "hmac.new" || hasher.starts_with("hashlib.") && imports_crypto(cx))
                .then(|| format!("a `{hasher}` digest"))
        }
        _ => None,
    }
}

/// Names that say only "signature/digest/hash/checksum", or a bare `token`, which outside
/// code that signs things usually mean a fingerprint of some data or a parser token.
fn is_fingerprint_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if matches!(lower.as_str(), "token" | "tokens" | "tok") {
        return true;
    }
    ![
        "token", "key", "secret", "password", "passwd", "csrf", "otp",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

fn imports_crypto(cx: &FileContext) -> bool {
    [
        "hmac",
        "secrets",
        "jwt",
        "jose",
        "itsdangerous",
        "cryptography",
        "nacl",
        "django.core.signing",
        "django.utils.crypto",
    ]
    .iter()
    .any(|module| cx.imports_module(module))
}

/// `password1 != password2`, `data["password"] != data["confirm"]`: both sides typed by the
/// user.
fn is_password_confirmation(left: &Expr, right: &Expr) -> bool {
    let names = [left, right].map(literal::terminal_name);
    let confirm = |name: &str| {
        let lower = name.to_ascii_lowercase();
        ["confirm", "again", "repeat", "retype"]
            .iter()
            .any(|word| lower.contains(word))
    };
    names.iter().all(|name| name.is_some_and(is_password_name))
        || names.iter().flatten().any(|name| is_password_name(name))
            && names.iter().flatten().any(|name| confirm(name))
}

/// `self.NAME` or `cls.NAME` where the enclosing class assigns `NAME` a literal.
fn is_class_constant(expr: &Expr, cx: &FileContext) -> bool {
    let Expr::Attribute(attribute) = expr else {
        return false;
    };
    if !matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self" || n.id.as_str() == "cls")
    {
        return false;
    }
    let Some(class) = cx.classes.last() else {
        return false;
    };
    class.body.iter().any(|stmt| {
        let (targets, value): (Vec<&Expr>, Option<&Expr>) = match stmt {
            Stmt::Assign(assign) => (assign.targets.iter().collect(), Some(&assign.value)),
            Stmt::AnnAssign(assign) => (vec![&*assign.target], assign.value.as_deref()),
            _ => return false,
        };
        value.is_some_and(literal::is_constant)
            && targets
                .iter()
                .any(|t| matches!(t, Expr::Name(n) if n.id == attribute.attr.id))
    })
}
