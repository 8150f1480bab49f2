use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags MD4, MD5 and SHA-1 from `hashlib` (`hashlib.md5(...)`, `hashlib.new("md5", ...)`)
    /// unless the call says `usedforsecurity=False`, and `crypt.crypt`/`crypt.mksalt` with the
    /// weak `METHOD_CRYPT`, `METHOD_MD5` or `METHOD_BLOWFISH` (a warning).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): collisions for MD5 and SHA-1 can be computed, so
    /// signatures, integrity checks and password hashes built on them can be forged or
    /// cracked. `usedforsecurity=False` records that a digest is only a checksum or cache key.
    ///
    /// ## Example
    /// ```python
    /// import hashlib
    ///
    /// def sign(payload):
    ///     return hashlib.md5(payload).hexdigest()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib
    ///
    /// def sign(payload):
    ///     return hashlib.sha256(payload).hexdigest()
    ///
    /// def cache_key(payload):
    ///     return hashlib.md5(payload, usedforsecurity=False).hexdigest()
    /// ```
    pub static WEAK_HASHLIB = Rule {
        code: "SEC324",
        name: "weak-hashlib",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B324"), Peer::same("ruff", "S324")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "hashlib.md4",
    "hashlib.md5",
    "hashlib.sha",
    "hashlib.sha1",
    "hashlib.new",
    "crypt.crypt",
    "crypt.mksalt",
];

const WEAK_HASHES: &[&str] = &["md4", "md5", "sha", "sha1"];
const WEAK_CRYPT_METHODS: &[&str] = &["METHOD_CRYPT", "METHOD_MD5", "METHOD_BLOWFISH"];

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    match name.as_str() {
        "crypt.crypt" | "crypt.mksalt" => {
            let method = if name == "crypt.crypt" {
                call.argument(1, "salt")
            } else {
                call.argument(0, "method")
            };
            if let Some(method) = method.and_then(literal::terminal_name)
                && WEAK_CRYPT_METHODS.contains(&method)
            {
                cx.report_rated(
                    call.range(),
                    format!("`{name}` with `crypt.{method}` makes weak password hashes; hash passwords with `argon2` or `bcrypt`"),
                    Some(Severity::Warning),
                    Some(High),
                );
            }
        }
        _ => {
            if for_non_security(call) {
                return;
            }
            let hash = if name == "hashlib.new" {
                match call.argument(0, "name").and_then(literal::str_ref) {
                    Some(hash) if WEAK_HASHES.contains(&hash.to_ascii_lowercase().as_str()) => {
                        hash.to_ascii_lowercase()
                    }
                    _ => return,
                }
            } else {
                name.trim_start_matches("hashlib.").to_string()
            };
            cx.report(
                call.range(),
                format!("`{name}` uses the broken {} hash; use `hashlib.sha256` (or pass `usedforsecurity=False` for a checksum)", hash.to_ascii_uppercase()),
            );
        }
    }
}

/// `usedforsecurity=` given anything but `True` (bandit's reading: only a literal `True`, or
/// no keyword, means "for security").
fn for_non_security(call: &CallSite) -> bool {
    call.keyword_value("usedforsecurity")
        .is_some_and(|value| !literal::is_true(value))
}
