use super::secret_names::has_security_word;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a `hashlib`/`hmac` digest cut to fewer than 64 bits (`hexdigest()[:n]` with
    /// n < 16, `digest()[:n]` with n < 8) inside a function whose name says it signs,
    /// checks, verifies or makes keys and tokens (`generate_api_key`, `verify_signature`).
    /// Short digests used as cache keys or index names elsewhere are not security checks and
    /// are not flagged.
    ///
    /// ## Why it matters
    /// Guide §8 (security, API keys): a 32-bit checksum is found by brute force in seconds
    /// and collides after about 65,000 values; keep at least 128 bits of anything that
    /// authenticates.
    ///
    /// ## Example
    /// ```python
    /// import hashlib
    /// def generate_api_key(prefix, random_part):
    ///     checksum = hashlib.sha256(f"{prefix}_{random_part}".encode()).hexdigest()[:8]
    ///     return f"{prefix}_{random_part}_{checksum}"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib
    /// def generate_api_key(prefix, random_part):
    ///     checksum = hashlib.sha256(f"{prefix}_{random_part}".encode()).hexdigest()[:32]
    ///     return f"{prefix}_{random_part}_{checksum}"
    /// ```
    pub static TRUNCATED_DIGEST = Rule {
        code: "SEC806",
        name: "truncated-digest",
        severity: Severity::Info,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Expr { kinds: &[NodeKind::ExprSubscript], run: check },
    };
}

fn check(expr: &Expr, cx: &mut FileContext) {
    let Expr::Subscript(subscript) = expr else {
        return;
    };
    let Expr::Slice(slice) = subscript.slice.as_ref() else {
        return;
    };
    if slice.step.is_some()
        || slice
            .lower
            .as_ref()
            .is_some_and(|l| literal::int(l) != Some(0))
    {
        return;
    }
    let Some(upper) = slice.upper.as_ref().and_then(|u| literal::int(u)) else {
        return;
    };
    let Expr::Call(call) = subscript.value.as_ref() else {
        return;
    };
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    let (limit, unit) = match attribute.attr.as_str() {
        "hexdigest" => (16, "hex characters"),
        "digest" => (8, "bytes"),
        _ => return,
    };
    if upper <= 0 || upper >= limit {
        return;
    }
    let Expr::Call(inner) = attribute.value.as_ref() else {
        return;
    };
    let Some(hasher) = cx.qualified_name(&inner.func) else {
        return;
    };
    if !(hasher == "hmac.new" || hasher.starts_with("hashlib.")) {
        return;
    }
    if !cx
        .enclosing_function()
        .is_some_and(|f| has_security_word(&f.name))
    {
        return;
    }
    let bits = upper * if unit == "bytes" { 8 } else { 4 };
    cx.report(
        expr.range(),
        format!("`{hasher}` digest cut to {upper} {unit} ({bits} bits) can be brute-forced; keep at least 128 bits (32 hex characters, 16 bytes)"),
    );
}
