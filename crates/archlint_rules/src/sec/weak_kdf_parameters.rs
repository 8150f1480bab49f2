use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags password key-derivation calls whose work factor is a literal below current
    /// guidance (OWASP 2023): `hashlib.pbkdf2_hmac` with fewer than 600,000 iterations for
    /// SHA-256 (1,300,000 for SHA-1, 210,000 for SHA-512), `bcrypt.gensalt(rounds)` below 12,
    /// `hashlib.scrypt(n=...)` below 2**14, and argon2 `PasswordHasher(time_cost=...)` below 2.
    /// Values that are not literals (settings, parameters) are not checked.
    ///
    /// ## Why it matters
    /// Guide §8 (security, password storage): the work factor is the whole defence of a
    /// password hash; a low one turns a slow KDF back into a fast hash.
    ///
    /// ## Example
    /// ```python
    /// import hashlib
    /// def derive(password, salt):
    ///     return hashlib.pbkdf2_hmac("sha256", password, salt, 1000)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib
    /// def derive(password, salt):
    ///     return hashlib.pbkdf2_hmac("sha256", password, salt, 600_000)
    /// ```
    pub static WEAK_KDF_PARAMETERS = Rule {
        code: "SEC808",
        name: "weak-kdf-parameters",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call {
            targets: &[
                "hashlib.pbkdf2_hmac",
                "bcrypt.gensalt",
                "hashlib.scrypt",
                "argon2.PasswordHasher",
                "argon2.low_level.hash_secret",
                "argon2.low_level.hash_secret_raw",
            ],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    let (value, minimum, what) = match name.as_str() {
        "hashlib.pbkdf2_hmac" => {
            let hash = call
                .argument(0, "hash_name")
                .and_then(literal::str_ref)
                .unwrap_or("sha256")
                .to_ascii_lowercase()
                .replace('-', "");
            let minimum = match hash.as_str() {
                "sha1" => 1_300_000,
                "sha512" => 210_000,
                _ => 600_000,
            };
            (call.argument(3, "iterations"), minimum, "iterations")
        }
        "bcrypt.gensalt" => (call.argument(0, "rounds"), 12, "rounds"),
        "hashlib.scrypt" => (call.keyword_value("n"), 1 << 14, "n"),
        _ => (call.argument(0, "time_cost"), 2, "time_cost"),
    };
    let Some(value) = value else { return };
    let Some(number) = literal::int(cx.follow(value)) else {
        return;
    };
    if number >= minimum {
        return;
    }
    cx.report(
        call.range(),
        format!("`{name}` with `{what}={number}` is below the recommended minimum of {minimum}; raise the work factor to at least {minimum}"),
    );
}
