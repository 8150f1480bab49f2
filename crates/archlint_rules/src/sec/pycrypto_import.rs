use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of PyCrypto's modules (`Crypto.*`).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): PyCrypto has received no fixes since 2013 and has
    /// known
    /// vulnerabilities (e.g. CVE-2013-7459).
    ///
    /// ## Example
    /// ```python
    /// from Crypto.Cipher import AES
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    /// ```
    pub static PYCRYPTO_IMPORT = Rule {
        code: "SEC413",
        name: "pycrypto-import",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B413"), Peer::same("ruff", "S413")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "Crypto.Cipher",
    "Crypto.Hash",
    "Crypto.IO",
    "Crypto.Protocol",
    "Crypto.PublicKey",
    "Crypto.Random",
    "Crypto.Signature",
    "Crypto.Util",
];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "is from PyCrypto, unmaintained since 2013 with known vulnerabilities; use `cryptography` or PyCryptodome (`Cryptodome`)",
    );
}
