use super::is_mutable_value;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a parameter default that is a mutable value: a `list`, `dict` or `set` display
    /// or comprehension, or a call to `list()`, `dict()`, `set()`, `bytearray()` or the
    /// mutable containers of `collections`. Like ruff, a parameter annotated with an
    /// immutable type (`Sequence`, `Mapping`, `AbstractSet`, `Iterable`, `Collection`,
    /// `tuple`, `frozenset`, …) is accepted: the type checker then rejects any mutation.
    ///
    /// ## Why it matters
    /// Guide §4: defaults are evaluated once, when the function is defined. Every call that
    /// relies on the default shares one object, so a change made in one call shows in the
    /// next — a classic bug no annotation of `list[str]` prevents.
    ///
    /// ## Example
    /// ```python
    /// def collect(item: str, bucket: list[str] = []) -> list[str]:
    ///     bucket.append(item)
    ///     return bucket
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def collect(item: str, bucket: list[str] | None = None) -> list[str]:
    ///     bucket = [] if bucket is None else bucket
    ///     bucket.append(item)
    ///     return bucket
    /// ```
    pub static MUTABLE_DEFAULT_ARGUMENT = Rule {
        code: "TYP012",
        name: "mutable-default-argument",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "B006"), Peer::same("pylint", "W0102")],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

/// Annotations that forbid mutation: a mutable default is then safe.
const IMMUTABLE_TYPES: &[&str] = &[
    "Sequence",
    "Mapping",
    "AbstractSet",
    "Set",
    "Collection",
    "Iterable",
    "Iterator",
    "Container",
    "Reversible",
    "Sized",
    "tuple",
    "Tuple",
    "frozenset",
    "FrozenSet",
    "Final",
    "ReadOnly",
];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    let parameters = &function.parameters;
    for parameter in parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .chain(&parameters.kwonlyargs)
    {
        let Some(default) = &parameter.default else {
            continue;
        };
        if !is_mutable_value(default, cx) {
            continue;
        }
        if parameter
            .parameter
            .annotation
            .as_deref()
            .is_some_and(|annotation| is_immutable(annotation, cx))
        {
            continue;
        }
        cx.report(
            default.range(),
            format!(
                "mutable default `{}` for parameter `{}` is created once and shared by every call; default to `None` and create it in the body",
                cx.text(default.range()),
                parameter.parameter.name
            ),
        );
    }
}

fn is_immutable(annotation: &Expr, cx: &FileContext) -> bool {
    let base = match annotation {
        Expr::Subscript(subscript) => subscript.value.as_ref(),
        other => other,
    };
    let Some(name) = cx.qualified_name(base) else {
        return false;
    };
    let last = name.rsplit('.').next().unwrap_or_default();
    let from_typing = name == last
        || name.starts_with("typing.")
        || name.starts_with("typing_extensions.")
        || name.starts_with("collections.abc.");
    from_typing && IMMUTABLE_TYPES.contains(&last)
}
