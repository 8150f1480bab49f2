use super::version_range::{oldest, show};
use crate::rules::prelude::*;
use ruff_python_ast::StringFlags;

rule! {
    /// ## What it does
    /// Flags syntax that the project's oldest supported Python (the lower bound of
    /// `requires-python`, or `target-version`) cannot parse: the walrus `:=` and
    /// positional-only parameters (3.8); relaxed decorators (3.9); `match` and parenthesised
    /// multi-item `with` (3.10); `except*` and starred subscripts such as `tuple[*Ts]`
    /// (3.11); `type X = ...`, `def f[T]`, `class C[T]` and the f-strings of PEP 701 (quotes
    /// reused inside, backslashes or comments in replacement fields) (3.12); type-parameter
    /// defaults (3.13); `except A, B:` without parentheses and template strings `t"..."`
    /// (3.14).
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): a syntax error is not a degraded feature; the
    /// whole module fails to import on the older Python, usually for a user who installed
    /// the package because its metadata said it supported that version.
    ///
    /// ## Example
    /// ```python
    /// def describe(command):
    ///     match command:
    ///         case ["go", direction]:
    ///             return direction
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def describe(command):
    ///     if len(command) == 2 and command[0] == "go":
    ///         return command[1]
    /// ```
    pub static SYNTAX_NEWER_THAN_TARGET = Rule {
        code: "VER001",
        name: "syntax-newer-than-target",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("vermin", "--violations"), Peer::related("ruff", "invalid-syntax")],
        check: Check::Several(&[
            Check::Stmt {
                kinds: &[
                    NodeKind::StmtFunctionDef,
                    NodeKind::StmtClassDef,
                    NodeKind::StmtTypeAlias,
                    NodeKind::StmtMatch,
                    NodeKind::StmtTry,
                    NodeKind::StmtWith,
                ],
                run: check_stmt,
            },
            Check::Expr {
                kinds: &[NodeKind::ExprNamed, NodeKind::ExprSubscript, NodeKind::ExprFString, NodeKind::ExprTString],
                run: check_expr,
            },
        ]),
    };
}

fn needs(cx: &mut FileContext, range: TextRange, feature: &str, version: (u8, u8)) {
    let supported = oldest(cx);
    if version > supported {
        cx.report(
            range,
            format!("Python {} syntax: {feature}; the project supports Python {}, so rewrite it or raise `requires-python`", show(version), show(supported)),
        );
    }
}

/// The first `length` bytes of a node: a keyword, where a whole-block underline would be noise.
fn head(range: TextRange, length: u32) -> TextRange {
    TextRange::at(range.start(), ruff_text_size::TextSize::from(length))
        .intersect(range)
        .unwrap_or(range)
}

fn check_stmt(stmt: &Stmt, cx: &mut FileContext) {
    match stmt {
        Stmt::FunctionDef(function) => {
            let parameters = &function.parameters;
            if let Some(first) = parameters.posonlyargs.first() {
                needs(
                    cx,
                    first.range(),
                    "a positional-only parameter (`/`)",
                    (3, 8),
                );
            }
            if let Some(vararg) = &parameters.vararg
                && vararg
                    .annotation
                    .as_deref()
                    .is_some_and(Expr::is_starred_expr)
            {
                needs(
                    cx,
                    vararg.range(),
                    "a starred annotation (`*args: *Ts`)",
                    (3, 11),
                );
            }
            type_params(function.type_params.as_deref(), cx);
            decorators(&function.decorator_list, cx);
        }
        Stmt::ClassDef(class) => {
            type_params(class.type_params.as_deref(), cx);
            decorators(&class.decorator_list, cx);
        }
        Stmt::TypeAlias(alias) => {
            needs(cx, head(alias.range(), 4), "the `type` statement", (3, 12))
        }
        Stmt::Match(match_stmt) => needs(
            cx,
            head(match_stmt.range(), 5),
            "the `match` statement",
            (3, 10),
        ),
        Stmt::Try(try_stmt) => {
            if try_stmt.is_star
                && let Some(handler) = try_stmt.handlers.first()
            {
                needs(cx, head(handler.range(), 7), "`except*`", (3, 11));
            }
            for handler in &try_stmt.handlers {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                if let Some(Expr::Tuple(tuple)) = handler.type_.as_deref()
                    && !tuple.parenthesized
                {
                    needs(
                        cx,
                        tuple.range(),
                        "`except` with several types and no parentheses",
                        (3, 14),
                    );
                }
            }
        }
        Stmt::With(with) if with.items.len() > 1 && is_parenthesized_group(with, cx) => {
            needs(
                cx,
                head(with.range(), 4),
                "a parenthesised group of context managers",
                (3, 10),
            );
        }
        _ => {}
    }
}

/// `with (a as x, b as y):` — the parenthesis opens before the first item and belongs to
/// the group, not to the first item's own expression.
fn is_parenthesized_group(with: &ast::StmtWith, cx: &FileContext) -> bool {
    let Some(first) = with.items.first() else {
        return false;
    };
    let between = cx.text(TextRange::new(with.range().start(), first.range().start()));
    let after_keyword = between
        .trim_start_matches("async")
        .trim_start()
        .trim_start_matches("with");
    after_keyword.trim_start().starts_with('(')
}

fn type_params(params: Option<&ast::TypeParams>, cx: &mut FileContext) {
    let Some(params) = params else { return };
    needs(cx, params.range(), "type parameters (PEP 695)", (3, 12));
    for param in &params.type_params {
        let default = match param {
            ast::TypeParam::TypeVar(p) => p.default.is_some(),
            ast::TypeParam::ParamSpec(p) => p.default.is_some(),
            ast::TypeParam::TypeVarTuple(p) => p.default.is_some(),
        };
        if default {
            needs(
                cx,
                param.range(),
                "a type-parameter default (PEP 696)",
                (3, 13),
            );
        }
    }
}

/// PEP 614: before 3.9 a decorator is a dotted name, optionally called.
fn decorators(list: &[ast::Decorator], cx: &mut FileContext) {
    for decorator in list {
        let expression = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        if literal::dotted(expression).is_none() {
            needs(
                cx,
                decorator.range(),
                "a decorator that is not a dotted name (PEP 614)",
                (3, 9),
            );
        }
    }
}

fn check_expr(expr: &Expr, cx: &mut FileContext) {
    match expr {
        Expr::Named(named) => needs(cx, named.range(), "the assignment expression `:=`", (3, 8)),
        Expr::Subscript(subscript) => {
            let starred = match subscript.slice.as_ref() {
                Expr::Tuple(tuple) => tuple.elts.iter().any(Expr::is_starred_expr),
                other => other.is_starred_expr(),
            };
            if starred {
                needs(
                    cx,
                    subscript.slice.range(),
                    "a starred expression in a subscript (PEP 646)",
                    (3, 11),
                );
            }
        }
        Expr::FString(fstring) => {
            if let Some(feature) = pep701_feature(fstring, cx) {
                needs(cx, fstring.range(), feature, (3, 12));
            }
        }
        Expr::TString(tstring) => {
            needs(cx, tstring.range(), "a template string `t\"...\"`", (3, 14))
        }
        _ => {}
    }
}

/// What in an f-string only Python 3.12 parses: the enclosing quote reused inside a
/// replacement field, a backslash there, or a comment there.
fn pep701_feature(fstring: &ast::ExprFString, cx: &FileContext) -> Option<&'static str> {
    for part in fstring.value.f_strings() {
        let quote = part.flags.quote_str();
        for element in &part.elements {
            let ast::InterpolatedStringElement::Interpolation(interpolation) = element else {
                continue;
            };
            let text = cx.text(interpolation.expression.range());
            if text.contains(quote) {
                return Some("an f-string reusing its quotes inside `{...}` (PEP 701)");
            }
            if text.contains('\\') {
                return Some("a backslash inside an f-string's `{...}` (PEP 701)");
            }
            if text.contains('#') && !text.contains('"') && !text.contains('\'') {
                return Some("a comment inside an f-string's `{...}` (PEP 701)");
            }
        }
    }
    None
}
