use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags the functions of the `random` module. Off by default: most uses (simulations,
    /// jitter,
    /// sampling) are fine; SEC802 flags the cases where the value becomes a secret.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): `random` is a Mersenne Twister: after seeing enough
    /// outputs an attacker can predict the next ones, so tokens made with it can be guessed.
    ///
    /// ## Example
    /// ```python
    /// import random
    ///
    /// token = "".join(random.choice("abcdef0123456789") for _ in range(32))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import secrets
    ///
    /// token = secrets.token_hex(16)
    /// ```
    pub static NON_CRYPTO_RANDOM = Rule {
        code: "SEC311",
        name: "non-crypto-random",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B311"), Peer::same("ruff", "S311")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

pub const TARGETS: &[&str] = &[
    "random.Random",
    "random.random",
    "random.randrange",
    "random.randint",
    "random.choice",
    "random.choices",
    "random.uniform",
    "random.triangular",
    "random.randbytes",
    "random.sample",
    "random.getrandbits",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "is predictable and not fit for security; use the `secrets` module for tokens, keys and passwords",
    );
}
