use super::is_public_function;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a public function or method decorated by a decorator defined in the same
    /// module whose own signature erases the one it wraps: no return annotation, or one
    /// returning a bare `Callable`, `Callable[..., X]` or `Any`. For a decorator factory used
    /// as `@retry(3)`, the factory's return annotation is read: the decorator it returns must
    /// itself preserve the signature (`Callable[[F], F]` with `F` a `TypeVar`, or
    /// `Callable[[Callable[P, R]], Callable[P, R]]`). Decorators imported from other modules
    /// are not followed yet.
    ///
    /// ## Why it matters
    /// Guide §4 (`strict_types`, `create_typed_decorator`): once decorated, a function has
    /// the type the decorator returns. `Callable[..., T]` or no annotation at all turns a
    /// carefully annotated public function into one that accepts anything; mypy's
    /// `disallow_untyped_decorators` rejects it. `ParamSpec` keeps the parameters.
    ///
    /// ## Example
    /// ```python
    /// from typing import Any, Callable
    ///
    /// def logged(func: Callable[..., Any]) -> Callable[..., Any]:
    ///     return func
    ///
    /// @logged
    /// def add(a: int, b: int) -> int:
    ///     return a + b
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from typing import Callable, ParamSpec, TypeVar
    ///
    /// P = ParamSpec("P")
    /// R = TypeVar("R")
    ///
    /// def logged(func: Callable[P, R]) -> Callable[P, R]:
    ///     return func
    ///
    /// @logged
    /// def add(a: int, b: int) -> int:
    ///     return a + b
    /// ```
    pub static UNTYPED_DECORATOR = Rule {
        code: "TYP004",
        name: "untyped-decorator",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("mypy", "disallow_untyped_decorators")],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    if function.decorator_list.is_empty() || !is_public_function(function, cx) {
        return;
    }
    for decorator in &function.decorator_list {
        let (callee, factory) = match &decorator.expression {
            Expr::Call(call) => (call.func.as_ref(), true),
            other => (other, false),
        };
        let Expr::Name(name) = callee else { continue };
        let Some(definition) = module_function(name.id.as_str(), cx) else {
            continue;
        };
        let returned = definition.returns.as_deref();
        let erases = if factory {
            // The factory returns the decorator: what does that decorator return?
            match returned.and_then(callable_return) {
                Some(inner) => erases(Some(inner), cx),
                None => returned.is_none_or(|r| erases(Some(r), cx)),
            }
        } else {
            erases(returned, cx)
        };
        if erases {
            cx.report(
                decorator.expression.range(),
                format!(
                    "decorator `{}` erases the signature of public `{}`: its return type is {}; annotate it with `ParamSpec` and `TypeVar` (`def {}(func: Callable[P, R]) -> Callable[P, R]`)",
                    name.id,
                    function.name,
                    match returned {
                        None => "not annotated".to_string(),
                        Some(r) => format!("`{}`", cx.text(r.range())),
                    },
                    name.id
                ),
            );
        }
    }
}

fn module_function<'a>(name: &str, cx: &FileContext<'a>) -> Option<&'a ast::StmtFunctionDef> {
    cx.module_body.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(function) if function.name.as_str() == name => Some(function),
        _ => None,
    })
}

/// `R` of `Callable[[...], R]`.
fn callable_return(annotation: &Expr) -> Option<&Expr> {
    let Expr::Subscript(subscript) = annotation else {
        return None;
    };
    if literal::terminal_name(&subscript.value) != Some("Callable") {
        return None;
    }
    match subscript.slice.as_ref() {
        Expr::Tuple(tuple) if tuple.elts.len() == 2 => Some(&tuple.elts[1]),
        _ => None,
    }
}

/// Whether a decorator returning `annotation` loses the decorated signature.
fn erases(annotation: Option<&Expr>, cx: &FileContext) -> bool {
    let Some(annotation) = annotation else {
        return true;
    };
    if cx.resolves_to(annotation, &["typing.Any", "typing_extensions.Any"]) {
        return true;
    }
    match annotation {
        Expr::Subscript(subscript)
            if literal::terminal_name(&subscript.value) == Some("Callable") =>
        {
            matches!(subscript.slice.as_ref(), Expr::Tuple(tuple)
                if tuple.elts.first().is_some_and(Expr::is_ellipsis_literal_expr))
        }
        other => literal::terminal_name(other) == Some("Callable"),
    }
}
