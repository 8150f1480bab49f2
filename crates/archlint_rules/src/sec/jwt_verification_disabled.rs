use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `jwt.decode` (PyJWT) and `jose.jwt.decode` calls that do not verify the token:
    /// `options={"verify_signature": False}` (or `"verify_exp": False` and friends),
    /// `verify=False` (PyJWT 1), an `algorithms=` list containing `"none"`, or no `algorithms=`
    /// at all (the token's own header then chooses the algorithm; with `jose` any algorithm is
    /// accepted).
    ///
    /// ## Why it matters
    /// Guide §8 (security, authentication): a token whose signature is not checked is just
    /// JSON the client wrote; anyone can mint one with any claims.
    ///
    /// ## Example
    /// ```python
    /// import jwt
    /// def claims(token, key):
    ///     return jwt.decode(token, key, options={"verify_signature": False})
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import jwt
    /// def claims(token, key):
    ///     return jwt.decode(token, key, algorithms=["HS256"])
    /// ```
    pub static JWT_VERIFICATION_DISABLED = Rule {
        code: "SEC809",
        name: "jwt-verification-disabled",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call { targets: &["jwt.decode", "jose.jwt.decode"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    if let Some(options) = call.keyword_value("options").map(|o| cx.follow(o))
        && let Expr::Dict(dict) = options
    {
        for item in dict.iter() {
            let Some(key) = item.key.as_ref().and_then(literal::str_ref) else {
                continue;
            };
            if key.starts_with("verify_") && literal::is_false(&item.value) {
                cx.report(
                    call.range(),
                    format!("`{name}` with `\"{key}\": False` accepts tokens it has not checked; keep verification on and pass `algorithms=[...]`"),
                );
                return;
            }
        }
    }
    if call.keyword_value("verify").is_some_and(literal::is_false) {
        cx.report(
            call.range(),
            format!("`{name}` with `verify=False` accepts unsigned and forged tokens; keep verification on and pass `algorithms=[...]`"),
        );
        return;
    }
    match call.keyword_value("algorithms").map(|a| cx.follow(a)) {
        Some(Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. })) => {
            if elts
                .iter()
                .filter_map(literal::str_ref)
                .any(|alg| alg.eq_ignore_ascii_case("none"))
            {
                cx.report(
                    call.range(),
                    format!("`{name}` accepts the `\"none\"` algorithm, so unsigned tokens pass; list only the algorithms you sign with"),
                );
            }
        }
        Some(_) => {}
        None if call.has_unpacking() => {}
        None => {
            // PyJWT 2 refuses to decode without `algorithms` unless verification is off; for
            // `jose` a missing list accepts whatever the token's header says.
            cx.report_rated(
                call.range(),
                format!("`{name}` without `algorithms=` lets the token's header choose how it is checked; pass `algorithms=[...]` with the algorithms you sign with"),
                None,
                Some(Medium),
            );
        }
    }
}
