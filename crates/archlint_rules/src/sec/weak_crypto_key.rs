use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags RSA and DSA keys generated with fewer than 2048 bits and elliptic-curve keys on
    /// curves under 224 bits, with `cryptography`, PyCrypto or PyCryptodome. Below 1024 bits
    /// (160 for EC) it is an error; below 2048 (224) a warning. The size must be a literal.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): short keys can be factored or broken with
    /// affordable computing power; anything they sign or encrypt can then be forged or read.
    ///
    /// ## Example
    /// ```python
    /// from cryptography.hazmat.primitives.asymmetric import rsa
    ///
    /// key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from cryptography.hazmat.primitives.asymmetric import rsa
    ///
    /// key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    /// ```
    pub static WEAK_CRYPTO_KEY = Rule {
        code: "SEC505",
        name: "weak-crypto-key",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B505"), Peer::same("ruff", "S505")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key",
    "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key",
    "cryptography.hazmat.primitives.asymmetric.ec.generate_private_key",
    "Crypto.PublicKey.DSA.generate",
    "Crypto.PublicKey.RSA.generate",
    "Cryptodome.PublicKey.DSA.generate",
    "Cryptodome.PublicKey.RSA.generate",
];

/// Elliptic curves and their sizes in bits.
const CURVES: &[(&str, i64)] = &[
    ("SECT571K1", 571),
    ("SECT571R1", 570),
    ("SECP521R1", 521),
    ("BrainpoolP512R1", 512),
    ("SECT409K1", 409),
    ("SECT409R1", 409),
    ("BrainpoolP384R1", 384),
    ("SECP384R1", 384),
    ("SECT283K1", 283),
    ("SECT283R1", 283),
    ("BrainpoolP256R1", 256),
    ("SECP256K1", 256),
    ("SECP256R1", 256),
    ("SECT233K1", 233),
    ("SECT233R1", 233),
    ("SECP224R1", 224),
    ("SECP192R1", 192),
    ("SECT163K1", 163),
    ("SECT163R2", 163),
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    let (kind, size, minimum, broken) = if name.ends_with("ec.generate_private_key") {
        let Some(curve) = call.argument(0, "curve") else {
            return;
        };
        let curve = match curve {
            Expr::Call(inner) => literal::terminal_name(&inner.func),
            other => literal::terminal_name(other),
        };
        let Some(&(_, bits)) = CURVES.iter().find(|(c, _)| Some(*c) == curve) else {
            return;
        };
        ("EC", bits, 224, 160)
    } else {
        let kind = if name.contains("DSA") || name.contains(".dsa.") {
            "DSA"
        } else {
            "RSA"
        };
        let size = if name.starts_with("cryptography") {
            // `rsa.generate_private_key(public_exponent, key_size)`, `dsa...(key_size)`.
            let position = usize::from(kind == "RSA");
            call.argument(position, "key_size")
        } else {
            call.argument(0, "bits")
        };
        let Some(bits) = size.and_then(literal::int) else {
            return;
        };
        (kind, bits, 2048, 1024)
    };
    if size >= minimum {
        return;
    }
    let message = format!(
        "`{name}` makes a {size}-bit {kind} key, which can be broken; use at least {minimum} bits"
    );
    if size < broken {
        cx.report(call.range(), message);
    } else {
        cx.report_rated(call.range(), message, Some(Severity::Warning), Some(High));
    }
}
