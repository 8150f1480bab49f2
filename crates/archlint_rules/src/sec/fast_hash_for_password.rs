use super::secret_names::is_password_name;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a fast hash (`hashlib.md5`, `sha1`, `sha256`, `sha512`, `blake2b`, `hashlib.new`,
    /// ...) applied to a password: a name, attribute or key called `password`, `passwd`,
    /// `pwd` or `passphrase`, directly, through `.encode()`, or inside `+`/f-string.
    ///
    /// ## Why it matters
    /// Guide §8 (security, password storage): general-purpose hashes are built to be fast, so
    /// a stolen table of them is brute-forced at billions of guesses a second. Passwords need a
    /// slow, salted key-derivation function: argon2, bcrypt, scrypt or `hashlib.pbkdf2_hmac`.
    ///
    /// ## Example
    /// ```python
    /// import hashlib
    /// def store(password):
    ///     return hashlib.sha256(password.encode()).hexdigest()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib, os
    /// def store(password):
    ///     salt = os.urandom(16)
    ///     return salt + hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    /// ```
    pub static FAST_HASH_FOR_PASSWORD = Rule {
        code: "SEC807",
        name: "fast-hash-for-password",
        severity: Severity::Error,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "S324")],
        check: Check::Call { targets: FAST_HASHES, run: check },
    };
}

const FAST_HASHES: &[&str] = &[
    "hashlib.md5",
    "hashlib.sha1",
    "hashlib.sha224",
    "hashlib.sha256",
    "hashlib.sha384",
    "hashlib.sha512",
    "hashlib.sha3_224",
    "hashlib.sha3_256",
    "hashlib.sha3_384",
    "hashlib.sha3_512",
    "hashlib.blake2b",
    "hashlib.blake2s",
    "hashlib.new",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let data = if call.is("hashlib.new") {
        call.argument(1, "data")
    } else {
        call.argument(0, "data")
            .or_else(|| call.keyword_value("string"))
    };
    let Some(data) = data else { return };
    let Some(password) = password_in(data) else {
        return;
    };
    let name = call.name();
    cx.report(
        call.range(),
        format!("`{name}` hashes `{password}` with a fast hash; store passwords with argon2, bcrypt, scrypt or `hashlib.pbkdf2_hmac`"),
    );
}

/// The password-named operand of `x`, `x.encode()`, `a + x`, `f"{a}{x}"`.
fn password_in(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {
            literal::terminal_name(expr).filter(|name| is_password_name(name))
        }
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Attribute(attribute) if attribute.attr.as_str() == "encode" => {
                password_in(&attribute.value)
            }
            _ => None,
        },
        Expr::BinOp(binop) => password_in(&binop.left).or_else(|| password_in(&binop.right)),
        Expr::FString(fstring) => fstring.value.f_strings().find_map(|f| {
            f.elements.iter().find_map(|element| match element {
                ast::InterpolatedStringElement::Interpolation(interpolation) => {
                    password_in(&interpolation.expression)
                }
                ast::InterpolatedStringElement::Literal(_) => None,
            })
        }),
        _ => None,
    }
}
