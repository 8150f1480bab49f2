use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags MD2, MD4, MD5 and SHA-1 from PyCrypto, PyCryptodome and `cryptography`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): collisions for these hashes can be computed, so
    /// signatures, integrity checks and fingerprints built on them can be forged.
    ///
    /// ## Example
    /// ```python
    /// from cryptography.hazmat.primitives import hashes
    ///
    /// digest = hashes.Hash(hashes.MD5())
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from cryptography.hazmat.primitives import hashes
    ///
    /// digest = hashes.Hash(hashes.SHA256())
    /// ```
    pub static INSECURE_HASH_PRIMITIVE = Rule {
        code: "SEC303",
        name: "insecure-hash-primitive",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B303"), Peer::same("ruff", "S303")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "Crypto.Hash.MD2.new",
    "Crypto.Hash.MD4.new",
    "Crypto.Hash.MD5.new",
    "Crypto.Hash.SHA.new",
    "Cryptodome.Hash.MD2.new",
    "Cryptodome.Hash.MD4.new",
    "Cryptodome.Hash.MD5.new",
    "Cryptodome.Hash.SHA.new",
    "cryptography.hazmat.primitives.hashes.MD5",
    "cryptography.hazmat.primitives.hashes.SHA1",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "is a broken hash (collisions are practical); use SHA-256 or better",
    );
}
