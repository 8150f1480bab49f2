use super::version_range::{report_needs, show};
use crate::prelude::*;
use archlint_facts::versions::{NeedKind, Version};
use ruff_python_ast::StringFlags;

rule! {
    /// ## What it does
    /// Flags syntax that the project's oldest supported Python (the lower bound of
    /// `requires-python`, or `target-version`) cannot parse: `yield from` and `raise ...
    /// from None` (3.3); `async def`, `await`, `async for`/`async with`, the `@` operator
    /// and several unpackings in one call or display (PEP 448) (3.5); f-strings, variable
    /// annotations, underscores in numbers, asynchronous generators and comprehensions
    /// (3.6); the walrus `:=`, positional-only parameters and `f"{x=}"` (3.8); relaxed
    /// decorators and parenthesised multi-item `with` (3.9: CPython 3.9's parser accepts it,
    /// though the documentation names 3.10); `match` (3.10); `except*` and unparenthesised
    /// starred subscripts such as `tuple[*Ts]` (3.11; `x[(a, *b)]` is a tuple, valid since 3.5); `type X = ...`, `def f[T]`, `class
    /// C[T]` and the f-strings of PEP 701 (quotes reused inside, backslashes or comments in
    /// replacement fields) (3.12); type-parameter defaults (3.13); `except A, B:` without
    /// parentheses and template strings `t"..."` (3.14).
    ///
    /// A version check does not help here: the older interpreter fails to compile the whole
    /// file before any `if` runs. Only vermin's `# novm` comment silences a line.
    /// `archlint check --show-versions` prints each file's minimum and what decides it.
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
        default_enabled: false,
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
                    NodeKind::StmtFor,
                    NodeKind::StmtAnnAssign,
                    NodeKind::StmtAugAssign,
                    NodeKind::StmtRaise,
                ],
                run: check_stmt,
            },
            Check::Expr {
                kinds: &[
                    NodeKind::ExprNamed,
                    NodeKind::ExprSubscript,
                    NodeKind::ExprFString,
                    NodeKind::ExprTString,
                    NodeKind::ExprAwait,
                    NodeKind::ExprYieldFrom,
                    NodeKind::ExprBinOp,
                    NodeKind::ExprNumberLiteral,
                    NodeKind::ExprCall,
                    NodeKind::ExprList,
                    NodeKind::ExprTuple,
                    NodeKind::ExprSet,
                    NodeKind::ExprDict,
                    NodeKind::ExprListComp,
                    NodeKind::ExprSetComp,
                    NodeKind::ExprDictComp,
                    NodeKind::ExprGenerator,
                ],
                run: check_expr,
            },
            Check::Source { run: report },
        ]),
    };
}

fn needs(cx: &mut FileContext, range: TextRange, feature: &str, version: Version) {
    cx.need_version(range, version, feature, NeedKind::Syntax);
}

fn report(cx: &mut FileContext) {
    report_needs(cx, NeedKind::Syntax, |need, supported| {
        format!(
            "Python {} syntax: {}; the project supports Python {}, so rewrite it or raise `requires-python`",
            show(need.version),
            need.feature,
            show(supported)
        )
    });
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
            if function.is_async {
                needs(
                    cx,
                    head(function.range(), 5),
                    "a coroutine (`async def`)",
                    (3, 5),
                );
                if archlint_facts::blocks::yields(&function.body) {
                    needs(
                        cx,
                        head(function.range(), 5),
                        "an asynchronous generator (`yield` in `async def`)",
                        (3, 6),
                    );
                }
            }
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
        Stmt::For(for_stmt) if for_stmt.is_async => {
            needs(cx, head(for_stmt.range(), 5), "`async for`", (3, 5))
        }
        Stmt::AnnAssign(assign) => needs(
            cx,
            assign.annotation.range(),
            "a variable annotation (PEP 526)",
            (3, 6),
        ),
        Stmt::AugAssign(assign) if assign.op == ast::Operator::MatMult => {
            needs(cx, assign.range(), "the `@=` operator", (3, 5))
        }
        Stmt::Raise(raise)
            if raise
                .cause
                .as_deref()
                .is_some_and(Expr::is_none_literal_expr) =>
        {
            needs(cx, raise.range(), "`raise ... from None`", (3, 3))
        }
        Stmt::With(with) if with.is_async => {
            needs(cx, head(with.range(), 5), "`async with`", (3, 5))
        }
        Stmt::With(with) if with.items.len() > 1 && is_parenthesized_group(with, cx) => {
            needs(
                cx,
                head(with.range(), 4),
                "a parenthesised group of context managers",
                (3, 9),
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
                Expr::Tuple(tuple) => {
                    !tuple.parenthesized && tuple.elts.iter().any(Expr::is_starred_expr)
                }
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
            needs(cx, fstring.range(), "an f-string", (3, 6));
            if is_self_documenting(fstring) {
                needs(
                    cx,
                    fstring.range(),
                    "a self-documenting f-string `{x=}`",
                    (3, 8),
                );
            }
            if let Some(feature) = pep701_feature(fstring, cx) {
                needs(cx, fstring.range(), feature, (3, 12));
            }
        }
        Expr::TString(tstring) => {
            needs(cx, tstring.range(), "a template string `t\"...\"`", (3, 14))
        }
        Expr::Await(await_expr) => needs(cx, head(await_expr.range(), 5), "`await`", (3, 5)),
        Expr::YieldFrom(yield_from) => needs(cx, yield_from.range(), "`yield from`", (3, 3)),
        Expr::BinOp(binop) if binop.op == ast::Operator::MatMult => {
            needs(cx, binop.range(), "the `@` operator", (3, 5))
        }
        Expr::NumberLiteral(number) if cx.text(number.range()).contains('_') => needs(
            cx,
            number.range(),
            "underscores in a number literal",
            (3, 6),
        ),
        Expr::Call(call) => {
            let arguments = &call.arguments;
            let starred = arguments
                .args
                .iter()
                .filter(|a| a.is_starred_expr())
                .count();
            let positional_after_star = arguments
                .args
                .iter()
                .skip_while(|a| !a.is_starred_expr())
                .any(|a| !a.is_starred_expr());
            let double_starred = arguments
                .keywords
                .iter()
                .filter(|k| k.arg.is_none())
                .count();
            if starred > 1 || double_starred > 1 || positional_after_star {
                needs(
                    cx,
                    arguments.range(),
                    "several unpackings in one call (PEP 448)",
                    (3, 5),
                );
            }
        }
        Expr::List(ast::ExprList { elts, ctx, .. })
        | Expr::Tuple(ast::ExprTuple { elts, ctx, .. })
            if ctx.is_load() && elts.iter().any(Expr::is_starred_expr) =>
        {
            needs(
                cx,
                expr.range(),
                "unpacking inside a display (PEP 448)",
                (3, 5),
            )
        }
        Expr::Set(set) if set.elts.iter().any(Expr::is_starred_expr) => needs(
            cx,
            expr.range(),
            "unpacking inside a display (PEP 448)",
            (3, 5),
        ),
        Expr::Dict(dict) if dict.items.iter().any(|item| item.key.is_none()) => needs(
            cx,
            expr.range(),
            "`**` unpacking inside a dict display (PEP 448)",
            (3, 5),
        ),
        Expr::ListComp(ast::ExprListComp { generators, .. })
        | Expr::SetComp(ast::ExprSetComp { generators, .. })
        | Expr::DictComp(ast::ExprDictComp { generators, .. })
        | Expr::Generator(ast::ExprGenerator { generators, .. })
            if generators.iter().any(|g| g.is_async) =>
        {
            needs(
                cx,
                expr.range(),
                "an asynchronous comprehension (PEP 530)",
                (3, 6),
            )
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

fn is_self_documenting(fstring: &ast::ExprFString) -> bool {
    fstring.value.f_strings().any(|part| {
        part.elements.iter().any(|element| {
            matches!(element, ast::InterpolatedStringElement::Interpolation(i) if i.debug_text.is_some())
        })
    })
}
