use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags run-time typing introspection done by hand: reading `__origin__`, `__args__`,
    /// `__metadata__` or `__parameters__` of an object, `hasattr(t, "__origin__")` and its
    /// kin, and `get_origin(t) is Union` (or `t.__origin__ is Union`) in a module that never
    /// mentions `types.UnionType`, while the project supports Python older than 3.14.
    ///
    /// ## Why it matters
    /// Guide §4 (`AdvancedTypeValidator`): these dunders are implementation details that
    /// changed between versions; `get_origin`, `get_args` and
    /// `get_type_hints(include_extras=True)` are the supported API. Before 3.14, `int | str`
    /// has origin `types.UnionType`, not `typing.Union`, so a comparison with `Union` alone
    /// silently misses every PEP 604 union.
    ///
    /// ## Example
    /// ```python
    /// from typing import Union
    ///
    /// def is_union(annotation: object) -> bool:
    ///     return getattr(annotation, "__origin__", None) is Union or annotation.__origin__ is Union
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import types
    /// from typing import Union, get_origin
    ///
    /// def is_union(annotation: object) -> bool:
    ///     return get_origin(annotation) in (Union, types.UnionType)
    /// ```
    pub static MANUAL_TYPING_INTROSPECTION = Rule {
        code: "TYP010",
        name: "manual-typing-introspection",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Expr { kinds: &[NodeKind::ExprAttribute, NodeKind::ExprCompare], run: check_expr },
            Check::Call { targets: &["hasattr", "getattr"], run: check_call },
        ]),
    };
}

const TYPING_DUNDERS: &[&str] = &["__origin__", "__args__", "__metadata__", "__parameters__"];

fn check_expr(expr: &Expr, cx: &mut FileContext) {
    match expr {
        Expr::Attribute(attribute)
            if attribute.ctx.is_load() && TYPING_DUNDERS.contains(&attribute.attr.as_str()) =>
        {
            // `t.__origin__ is Union` is reported once, by the comparison.
            if let Some(Expr::Compare(compare)) = cx.expr_parents.last()
                && compares_with_union(compare, cx)
                && misses_union_type(cx)
            {
                return;
            }
            cx.report(
                attribute.range(),
                format!(
                    "`.{}` is an implementation detail of `typing`; use `typing.get_origin`/`get_args` (or `get_type_hints(include_extras=True)` for `Annotated` metadata)",
                    attribute.attr
                ),
            );
        }
        Expr::Compare(compare) if compares_with_union(compare, cx) && misses_union_type(cx) => {
            let left = compare.left.as_ref();
            let origin = match left {
                Expr::Call(call) => cx.resolves_to(
                    &call.func,
                    &["typing.get_origin", "typing_extensions.get_origin"],
                ),
                Expr::Attribute(attribute) => attribute.attr.as_str() == "__origin__",
                _ => false,
            };
            if origin {
                cx.report(
                    compare.range(),
                    "comparing an origin with `Union` misses `int | str`, whose origin is `types.UnionType` before Python 3.14; test `in (Union, types.UnionType)`",
                );
            }
        }
        _ => {}
    }
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    let Some(name) = call.arg(1).and_then(literal::str_ref) else {
        return;
    };
    if !TYPING_DUNDERS.contains(&name) {
        return;
    }
    cx.report(
        call.range(),
        format!(
            "`{}(…, \"{name}\")` probes an implementation detail of `typing`; use `typing.get_origin`/`get_args`",
            call.name()
        ),
    );
}

fn compares_with_union(compare: &ast::ExprCompare, cx: &FileContext) -> bool {
    compare
        .comparators
        .iter()
        .any(|c| cx.resolves_to(c, &["typing.Union", "typing_extensions.Union"]))
}

/// Whether the module never names `types.UnionType`, and the project supports Pythons
/// where `X | Y` is not a `typing.Union`.
fn misses_union_type(cx: &FileContext) -> bool {
    cx.target < (3, 14) && !cx.source.contains("UnionType")
}
