use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags the ECB block-cipher mode of `cryptography`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): ECB encrypts each block on its own, so the ciphertext
    /// shows which blocks of the plaintext are equal.
    ///
    /// ## Example
    /// ```python
    /// from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    ///
    /// cipher = Cipher(algorithms.AES(key), modes.ECB())
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    ///
    /// cipher = Cipher(algorithms.AES(key), modes.GCM(nonce))
    /// ```
    pub static INSECURE_CIPHER_MODE = Rule {
        code: "SEC305",
        name: "insecure-cipher-mode",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B305"), Peer::same("ruff", "S305")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["cryptography.hazmat.primitives.ciphers.modes.ECB"];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "encrypts equal blocks to equal ciphertext and leaks patterns; use an authenticated mode such as GCM",
    );
}
