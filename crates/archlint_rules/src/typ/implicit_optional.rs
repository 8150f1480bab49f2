use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a parameter whose default is `None` while its annotation does not admit `None`
    /// (`x: int = None`). Annotations that do: `Optional[...]`, `X | None`, `Union[..., None]`,
    /// `None`, `Any`, `object`, a string annotation naming `None` or `Optional`, and names the
    /// module binds to a `TypeVar` or to an alias that admits `None`.
    ///
    /// ## Why it matters
    /// Guide §4 and PEP 484: a `None` default no longer makes the type optional implicitly
    /// (mypy's `no_implicit_optional` is on by default). The body then handles `None` that
    /// the signature says cannot come, and type checkers report every call that passes it.
    ///
    /// ## Example
    /// ```python
    /// def configure_package(config_dict: dict = None) -> None:
    ///     pass
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def configure_package(config_dict: dict | None = None) -> None:
    ///     pass
    /// ```
    pub static IMPLICIT_OPTIONAL = Rule {
        code: "TYP003",
        name: "implicit-optional",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[
            Peer::same("ruff", "RUF013"),
            Peer::related("mypy", "no_implicit_optional"),
        ],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    let parameters = &function.parameters;
    let with_defaults = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .chain(&parameters.kwonlyargs);
    for parameter in with_defaults {
        let (Some(default), Some(annotation)) =
            (&parameter.default, &parameter.parameter.annotation)
        else {
            continue;
        };
        if !default.is_none_literal_expr() || admits_none(annotation, cx, 0) {
            continue;
        }
        let written = cx.text(annotation.range());
        let fix = if cx.target >= (3, 10) || cx.facts.has_future_annotations() {
            format!("{written} | None")
        } else {
            format!("Optional[{written}]")
        };
        cx.report(
            annotation.range(),
            format!(
                "parameter `{}` defaults to `None` but its annotation `{written}` does not admit `None`; write `{fix}`",
                parameter.parameter.name
            ),
        );
    }
}

fn admits_none(annotation: &Expr, cx: &FileContext, depth: usize) -> bool {
    match annotation {
        Expr::NoneLiteral(_) => true,
        Expr::StringLiteral(string) => {
            let text = string.value.to_str();
            text.contains("None") || text.contains("Optional") || text.contains("Any")
        }
        Expr::BinOp(binary) => {
            admits_none(&binary.left, cx, depth) || admits_none(&binary.right, cx, depth)
        }
        Expr::Subscript(subscript) => {
            let Some(name) = cx.qualified_name(&subscript.value) else {
                return true;
            };
            match name.rsplit('.').next().unwrap_or_default() {
                "Optional" => true,
                "Union" => match subscript.slice.as_ref() {
                    Expr::Tuple(tuple) => tuple.elts.iter().any(|e| admits_none(e, cx, depth)),
                    other => admits_none(other, cx, depth),
                },
                "Annotated" => match subscript.slice.as_ref() {
                    Expr::Tuple(tuple) => tuple
                        .elts
                        .first()
                        .is_some_and(|first| admits_none(first, cx, depth)),
                    _ => true,
                },
                "Literal" => literal_has_none(&subscript.slice),
                _ => false,
            }
        }
        Expr::Name(name) => {
            if cx.resolves_to(
                annotation,
                &["typing.Any", "typing_extensions.Any", "object"],
            ) {
                return true;
            }
            // A module-level alias or type variable: look at what it stands for.
            match cx.local_value(name.id.as_str()) {
                Some(Expr::Call(call)) => {
                    literal::terminal_name(&call.func) == Some("TypeVar")
                        || literal::terminal_name(&call.func) == Some("NewType")
                }
                Some(value) if depth < 4 && !matches!(value, Expr::Name(_)) => {
                    admits_none(value, cx, depth + 1)
                }
                _ => {
                    cx.scopes.resolve(annotation).is_some_and(|q| q.imported)
                        && !is_known_concrete(annotation, cx)
                }
            }
        }
        Expr::Attribute(_) => cx.resolves_to(annotation, &["typing.Any", "typing_extensions.Any"]),
        _ => false,
    }
}

/// An imported name that is surely a class, not an alias that may admit `None`.
fn is_known_concrete(annotation: &Expr, cx: &FileContext) -> bool {
    cx.qualified_name(annotation).is_some_and(|name| {
        name.starts_with("typing.")
            || name.starts_with("collections.")
            || name.starts_with("datetime.")
            || name.starts_with("pathlib.")
            || name.starts_with("decimal.")
    })
}

fn literal_has_none(slice: &Expr) -> bool {
    match slice {
        Expr::Tuple(tuple) => tuple.elts.iter().any(Expr::is_none_literal_expr),
        other => other.is_none_literal_expr(),
    }
}
