use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags the string `"0.0.0.0"` anywhere (as bandit does: it is almost always a bind
    /// address), and the IPv6 any-address `"::"` where it is clearly one: a `host=`, `bind=`,
    /// `address=` or `listen=` argument, or the address of `.bind(("::", port))`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): a service bound to every interface is reachable from
    /// every network the machine is on, not only the one it was meant for; a development
    /// server or an admin port exposed this way is a common way in.
    ///
    /// ## Example
    /// ```python
    /// app.run(host="0.0.0.0", port=8000)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    ///
    /// app.run(host=os.environ.get("BIND_HOST", "127.0.0.1"), port=8000)
    /// ```
    pub static BIND_ALL_INTERFACES = Rule {
        code: "SEC104",
        name: "bind-all-interfaces",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: bandit(Medium, Medium),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B104"), Peer::same("ruff", "S104")],
        check: Check::Several(&[
            Check::Expr { kinds: &[NodeKind::ExprStringLiteral, NodeKind::ExprFString], run: check_string },
            Check::AnyCall { run: check_call },
        ]),
    };
}

const MESSAGE: &str =
    "binds to every network interface; bind to `127.0.0.1` or take the address from configuration";

fn check_string(expr: &Expr, cx: &mut FileContext) {
    let any_address = match expr {
        Expr::StringLiteral(string) => string.value.to_str() == "0.0.0.0",
        // Bandit reads the literal pieces of an f-string as strings of their own.
        Expr::FString(fstring) => fstring.value.f_strings().any(|f| {
            f.elements.iter().any(|element| match element {
                ast::InterpolatedStringElement::Literal(literal) => &*literal.value == "0.0.0.0",
                ast::InterpolatedStringElement::Interpolation(_) => false,
            })
        }),
        _ => false,
    };
    if any_address {
        cx.report(expr.range(), format!("`\"0.0.0.0\"` {MESSAGE}"));
    }
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    let is_ipv6_any =
        |expr: &Expr| literal::str_ref(expr).is_some_and(|s| s == "::" || s == "[::]");
    for keyword in call.keywords() {
        if let Some(name) = &keyword.arg
            && matches!(name.as_str(), "host" | "bind" | "address" | "listen")
            && is_ipv6_any(&keyword.value)
        {
            cx.report(keyword.value.range(), format!("`\"::\"` {MESSAGE}"));
        }
    }
    if call.method == Some("bind")
        && let Some(Expr::Tuple(address)) = call.arg(0)
        && let Some(host) = address.elts.first()
        && is_ipv6_any(host)
    {
        cx.report(host.range(), format!("`\"::\"` {MESSAGE}"));
    }
}
