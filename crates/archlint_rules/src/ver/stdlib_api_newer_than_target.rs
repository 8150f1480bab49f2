use super::stdlib_versions::table;
use super::version_range::{report_needs, show};
use crate::prelude::*;
use archlint_facts::context::is_read;
use archlint_facts::literal;
use archlint_facts::versions::{NeedKind, Version};

rule! {
    /// ## What it does
    /// Flags standard-library modules, functions, classes, methods and keyword arguments
    /// that are newer than the project's oldest supported Python (the lower bound of
    /// `requires-python`, or `target-version`): `tomllib`, `asyncio.TaskGroup`,
    /// `typing.Self`, `datetime.UTC` (3.11); `itertools.batched`, `typing.override` (3.12);
    /// `warnings.deprecated`, `copy.replace` (3.13); `annotationlib`,
    /// `concurrent.interpreters` (3.14); `hashlib.md5(usedforsecurity=...)` (3.9); a bare
    /// `@functools.lru_cache` (3.8); built-ins such as `aiter` (3.10) or `ExceptionGroup`
    /// (3.11); methods of built-in types called on literals or on locals built from them
    /// (`"x".removeprefix`, 3.9) and of classes built in the same scope
    /// (`Path(p).read_text`, 3.5); `dict | dict` (3.9); and generics and unions that run at
    /// import time: `list[int]` (3.9) and `int | None` (3.10) in evaluated annotations
    /// (without `from __future__ import annotations`), type aliases and `isinstance`.
    ///
    /// The table (`stdlib_versions.tsv`, about 3,000 entries) is generated from vermin's
    /// requirement tables and typeshed's `stdlib/VERSIONS` by
    /// `scripts/generate-stdlib-versions`.
    ///
    /// Code that only runs on newer versions is not reported: under `if sys.version_info
    /// >= (3, 11):` (and the `else:` of `<`), `PY311`-style flags, `if hasattr(...)`, `if
    /// TYPE_CHECKING:`, in a `try:` whose `except` catches `ImportError`,
    /// `AttributeError`, `NameError`, `TypeError` or `Exception`, and on lines marked with
    /// vermin's `# novm` / `# novermin`. `archlint check --show-versions` prints each
    /// file's minimum with the features that decide it.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): the metadata promises an interpreter; an
    /// `AttributeError` or `ImportError` on that interpreter is found by the users who
    /// trusted the promise, not by CI running the newest Python.
    ///
    /// ## Example
    /// ```python
    /// import tomllib
    ///
    /// def load(path):
    ///     with open(path, "rb") as f:
    ///         return tomllib.load(f)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import sys
    ///
    /// if sys.version_info >= (3, 11):
    ///     import tomllib
    /// else:
    ///     import tomli as tomllib
    /// ```
    pub static STDLIB_API_NEWER_THAN_TARGET = Rule {
        code: "VER002",
        name: "stdlib-api-newer-than-target",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("vermin", "--violations")],
        check: Check::Several(&[
            Check::Import { modules: &[], run: check_import },
            Check::Expr {
                kinds: &[NodeKind::ExprName, NodeKind::ExprAttribute, NodeKind::ExprBinOp],
                run: check_expr,
            },
            Check::AnyCall { run: check_call },
            Check::Stmt {
                kinds: &[
                    NodeKind::StmtFunctionDef,
                    NodeKind::StmtClassDef,
                    NodeKind::StmtAnnAssign,
                    NodeKind::StmtAssign,
                    NodeKind::StmtAugAssign,
                ],
                run: check_stmt,
            },
            Check::Source { run: report },
        ]),
    };
}

fn report(cx: &mut FileContext) {
    report_needs(cx, NeedKind::Runtime, |need, supported| {
        format!(
            "{} needs Python {}; the project supports Python {}: guard it with `if sys.version_info >= ({}, {}):` or `try/except`, or raise `requires-python`",
            need.feature,
            show(need.version),
            show(supported),
            need.version.0,
            need.version.1
        )
    });
}

fn need(cx: &mut FileContext, range: TextRange, version: Version, feature: String) {
    cx.need_version(range, version, feature, NeedKind::Runtime);
}

/// `import a.b` and `from a import b`: every module on the path, and the member.
fn check_import(import: &ImportedModule, cx: &mut FileContext) {
    // A relative import names the project's own package, never the standard library.
    if import.relative {
        return;
    }
    let table = table();
    let mut newest: Option<(Version, String)> = None;
    let mut consider = |version: Option<Version>, what: String| {
        if let Some(version) = version
            && newest.as_ref().is_none_or(|(v, _)| version > *v)
        {
            newest = Some((version, what));
        }
    };
    let name = import.name.as_str();
    for (index, _) in name.match_indices('.').chain([(name.len(), "")]) {
        let module = &name[..index];
        consider(table.module(module), format!("module `{module}`"));
    }
    consider(table.member(name), format!("`{name}`"));
    if let Some((version, what)) = newest {
        need(cx, import.range, version, what);
    }
}

fn check_expr(expr: &Expr, cx: &mut FileContext) {
    match expr {
        Expr::BinOp(binop) if binop.op == ast::Operator::BitOr => {
            if is_dict(&binop.left, cx) && is_dict(&binop.right, cx) {
                need(cx, binop.range(), (3, 9), "dict union `|`".to_string());
            }
        }
        Expr::Attribute(attribute) => {
            if let Some(owner) = receiver_type(&attribute.value, cx) {
                let member = format!("{owner}.{}", attribute.attr);
                if let Some(version) = table().member(&member) {
                    need(cx, attribute.range(), version, format!("`{member}`"));
                    return;
                }
            }
            check_name(expr, cx);
        }
        _ => check_name(expr, cx),
    }
}

/// A name or attribute chain read as a whole (`os.path.commonpath`), if it comes from an
/// import or is a built-in.
fn check_name(expr: &Expr, cx: &mut FileContext) {
    if matches!(cx.expr_parents.last(), Some(Expr::Attribute(_))) {
        return;
    }
    let Some(name) = stdlib_name(expr, cx) else {
        return;
    };
    let table = table();
    // The longest known prefix decides: `os.path.commonpath.__doc__` is `os.path.commonpath`.
    let mut end = name.len();
    loop {
        let prefix = &name[..end];
        if let Some(version) = table.member(prefix) {
            need(cx, expr.range(), version, format!("`{prefix}`"));
            return;
        }
        match prefix.rfind('.') {
            Some(dot) => end = dot,
            None => return,
        }
    }
}

/// The qualified name of an imported or built-in name (not one the module defines).
fn stdlib_name(expr: &Expr, cx: &FileContext) -> Option<String> {
    if !is_read(expr) {
        return None;
    }
    let resolved = cx.scopes.resolve(expr)?;
    if resolved.imported {
        return Some(resolved.name);
    }
    let head = resolved.name.split('.').next()?;
    cx.scopes.lookup(head).is_none().then_some(resolved.name)
}

/// The built-in type or class of a receiver, when light local inference knows it.
fn receiver_type(expr: &Expr, cx: &FileContext) -> Option<String> {
    let value = cx.follow(expr);
    let literal_type = match value {
        Expr::StringLiteral(_) | Expr::FString(_) => "str",
        Expr::BytesLiteral(_) => "bytes",
        Expr::Dict(_) | Expr::DictComp(_) => "dict",
        Expr::List(_) | Expr::ListComp(_) => "list",
        Expr::Set(_) | Expr::SetComp(_) => "set",
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Int(_),
            ..
        }) => "int",
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Float(_),
            ..
        }) => "float",
        Expr::Call(call) => return stdlib_name(&call.func, cx),
        _ => return None,
    };
    Some(literal_type.to_string())
}

fn is_dict(expr: &Expr, cx: &FileContext) -> bool {
    receiver_type(expr, cx).is_some_and(|owner| owner == "dict")
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    if call.is("isinstance") || call.is("issubclass") {
        if let Some(classes @ Expr::BinOp(binop)) = call.arg(1)
            && binop.op == ast::Operator::BitOr
        {
            need(
                cx,
                classes.range(),
                (3, 10),
                "a union `X | Y` passed to `isinstance`".to_string(),
            );
        }
        return;
    }
    let keywords = call.keywords();
    if keywords.iter().all(|keyword| keyword.arg.is_none()) {
        return;
    }
    let callee = match call.call.func.as_ref() {
        Expr::Attribute(attribute) => match receiver_type(&attribute.value, cx) {
            Some(owner) => Some(format!("{owner}.{}", attribute.attr)),
            None => stdlib_name(&call.call.func, cx),
        },
        func => stdlib_name(func, cx),
    };
    let Some(callee) = callee else { return };
    let table = table();
    for keyword in keywords {
        let Some(arg) = &keyword.arg else { continue };
        if let Some(version) = table.keyword(&callee, arg.as_str()) {
            need(
                cx,
                keyword.range(),
                version,
                format!("`{callee}({arg}=...)`"),
            );
        }
    }
}

fn check_stmt(stmt: &Stmt, cx: &mut FileContext) {
    match stmt {
        Stmt::FunctionDef(function) => {
            for decorator in &function.decorator_list {
                bare_decorator(decorator, cx);
            }
            if evaluates_annotations(cx) {
                let parameters = &function.parameters;
                let annotations = parameters
                    .iter()
                    .filter_map(|parameter| parameter.annotation())
                    .chain(function.returns.as_deref());
                for annotation in annotations {
                    runtime_typing(annotation, true, cx);
                }
            }
        }
        Stmt::ClassDef(class) => {
            for decorator in &class.decorator_list {
                bare_decorator(decorator, cx);
            }
            for base in class.bases() {
                runtime_typing(base, false, cx);
            }
        }
        // Annotations of module and class variables are evaluated; those in functions are not.
        Stmt::AnnAssign(assign) if cx.functions.is_empty() => {
            if evaluates_annotations(cx) {
                runtime_typing(&assign.annotation, true, cx);
            }
            if let Some(value) = &assign.value {
                runtime_typing(value, false, cx);
            }
        }
        Stmt::Assign(assign) if cx.functions.is_empty() => runtime_typing(&assign.value, false, cx),
        Stmt::AugAssign(assign)
            if assign.op == ast::Operator::BitOr
                && is_dict(&assign.target, cx)
                && is_dict(&assign.value, cx) =>
        {
            need(cx, assign.range(), (3, 9), "dict union `|=`".to_string());
        }
        _ => {}
    }
}

/// `@functools.lru_cache` without parentheses (3.8), `@functools.cache` (3.9).
fn bare_decorator(decorator: &ast::Decorator, cx: &mut FileContext) {
    let table = table();
    if let Some(name) = stdlib_name(&decorator.expression, cx)
        && let Some(version) = table.bare_decorator(&name)
        // `@functools.cache` is reported as the name itself, which is as new.
        && table.member(&name).is_none_or(|member| member < version)
    {
        need(
            cx,
            decorator.range(),
            version,
            format!("`@{name}` without parentheses"),
        );
    }
}

fn evaluates_annotations(cx: &FileContext) -> bool {
    !cx.facts.has_future_annotations()
}

/// Generics (`list[int]`, 3.9) and unions (`int | None`, 3.10) evaluated at run time. In an
/// annotation any `|` is a union; elsewhere (type aliases, bases) a side must be a type.
fn runtime_typing(expr: &Expr, annotation: bool, cx: &mut FileContext) {
    match expr {
        Expr::Subscript(subscript) => {
            if let Some(name) = builtin_generic(&subscript.value, cx) {
                need(
                    cx,
                    subscript.range(),
                    (3, 9),
                    format!("`{name}[...]` evaluated at run time (PEP 585)"),
                );
            }
            runtime_typing(&subscript.slice, annotation, cx);
        }
        Expr::BinOp(binop) if binop.op == ast::Operator::BitOr => {
            if annotation || is_type(&binop.left, cx) || is_type(&binop.right, cx) {
                need(
                    cx,
                    binop.range(),
                    (3, 10),
                    "a union `X | Y` evaluated at run time (PEP 604)".to_string(),
                );
            }
            runtime_typing(&binop.left, annotation, cx);
            runtime_typing(&binop.right, annotation, cx);
        }
        Expr::Tuple(tuple) if annotation => {
            for element in &tuple.elts {
                runtime_typing(element, annotation, cx);
            }
        }
        _ => {}
    }
}

/// `list`, `dict`, `collections.abc.Callable`... : classes subscriptable from 3.9.
fn builtin_generic(expr: &Expr, cx: &FileContext) -> Option<String> {
    const BUILTINS: &[&str] = &["list", "dict", "set", "frozenset", "tuple", "type"];
    let name = stdlib_name(expr, cx)?;
    let generic = BUILTINS.contains(&name.as_str())
        || name.starts_with("collections.")
        || matches!(
            name.as_str(),
            "re.Pattern"
                | "re.Match"
                | "contextlib.AbstractContextManager"
                | "contextlib.AbstractAsyncContextManager"
        );
    generic.then_some(name)
}

fn is_type(expr: &Expr, cx: &FileContext) -> bool {
    const TYPES: &[&str] = &[
        "int",
        "str",
        "bytes",
        "float",
        "complex",
        "bool",
        "list",
        "dict",
        "set",
        "frozenset",
        "tuple",
        "type",
        "object",
    ];
    literal::is_none(expr)
        || matches!(expr, Expr::Subscript(subscript) if builtin_generic(&subscript.value, cx).is_some())
        || stdlib_name(expr, cx)
            .is_some_and(|name| TYPES.contains(&name.as_str()) || name.starts_with("typing."))
}
