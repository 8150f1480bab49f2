use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags ciphers that are broken or too weak: ARC2, ARC4, Blowfish, DES, XOR, CAST5, IDEA,
    /// SEED
    /// and TripleDES, from PyCrypto, PyCryptodome and `cryptography`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): these ciphers have small blocks or keys or known
    /// attacks;
    /// data they protect can be read.
    ///
    /// ## Example
    /// ```python
    /// from Crypto.Cipher import DES
    ///
    /// cipher = DES.new(key, DES.MODE_CBC, iv)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    ///
    /// cipher = AESGCM(key)
    /// ```
    pub static INSECURE_CIPHER = Rule {
        code: "SEC304",
        name: "insecure-cipher",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B304"), Peer::same("ruff", "S304")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "Crypto.Cipher.ARC2.new",
    "Crypto.Cipher.ARC4.new",
    "Crypto.Cipher.Blowfish.new",
    "Crypto.Cipher.DES.new",
    "Crypto.Cipher.XOR.new",
    "Cryptodome.Cipher.ARC2.new",
    "Cryptodome.Cipher.ARC4.new",
    "Cryptodome.Cipher.Blowfish.new",
    "Cryptodome.Cipher.DES.new",
    "Cryptodome.Cipher.XOR.new",
    "cryptography.hazmat.primitives.ciphers.algorithms.ARC4",
    "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
    "cryptography.hazmat.primitives.ciphers.algorithms.CAST5",
    "cryptography.hazmat.primitives.ciphers.algorithms.IDEA",
    "cryptography.hazmat.primitives.ciphers.algorithms.SEED",
    "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "is a broken or obsolete cipher; use AES-GCM or ChaCha20-Poly1305 (e.g. `cryptography`'s `AESGCM`)",
    );
}
