use super::{is_any, is_overload_implementation, is_public_function, signature_parameters};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `typing.Any` as the annotation of a parameter or the return type of a public
    /// function or method (`*args: Any` and `**kwargs: Any` are accepted, as ruff does).
    /// Only the annotation itself counts, not `Any` nested inside it (`dict[str, Any]`).
    ///
    /// ## Why it matters
    /// Guide §4: `Any` switches type checking off for every value that crosses it, in both
    /// directions. In a public signature it spreads into every caller; `object`, a
    /// `TypeVar` or a `Protocol` says what is really accepted.
    ///
    /// ## Example
    /// ```python
    /// from typing import Any
    ///
    /// def serialize(value: Any) -> str:
    ///     return str(value)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def serialize(value: object) -> str:
    ///     return str(value)
    /// ```
    pub static ANY_IN_PUBLIC_SIGNATURE = Rule {
        code: "TYP002",
        name: "any-in-public-signature",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "ANN401")],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    if !is_public_function(function, cx) || is_overload_implementation(function, cx) {
        return;
    }
    let mut found: Vec<(TextRange, String)> = Vec::new();
    for (name, parameter) in signature_parameters(function, cx) {
        if name.starts_with('*') {
            continue;
        }
        if let Some(annotation) = &parameter.annotation
            && is_any(annotation, cx)
        {
            found.push((annotation.range(), format!("parameter `{name}`")));
        }
    }
    if let Some(returns) = &function.returns
        && is_any(returns, cx)
    {
        found.push((returns.range(), "the return type".to_string()));
    }
    for (range, what) in found {
        cx.report(
            range,
            format!(
                "`Any` as {what} of public `{}` turns type checking off for its callers; use `object`, a `TypeVar` or a `Protocol`",
                function.name
            ),
        );
    }
}
