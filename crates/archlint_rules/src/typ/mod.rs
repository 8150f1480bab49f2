//! Types (guide §4): public functions without annotations, `Any` and implicit `Optional` in
//! signatures, blanket `# type: ignore`, names imported for type checking only but used at
//! run time, `isinstance` against protocols that cannot take it, decorators that erase the
//! signatures they wrap, typing introspection by hand, packages without `py.typed`, and
//! mutable defaults. Coverage and stubs are the `archlint types` command
//! (`archlint_analysis::types`).

pub mod any_in_public_signature;
pub mod blanket_type_ignore;
pub mod implicit_optional;
pub mod isinstance_non_runtime_protocol;
pub mod manual_typing_introspection;
pub mod missing_py_typed;
pub mod mutable_default_argument;
pub mod public_api_unannotated;
pub mod reveal_type_at_runtime;
pub mod runtime_protocol_with_data_members;
pub mod type_checking_import_used_at_runtime;
pub mod untyped_decorator;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use archlint_analysis::types::api::is_dunder;
use archlint_facts::context::FileContext;

/// Whether the function whose definition is being checked is part of the module's public
/// API: a module-level function or a method of module-level classes, with no private name
/// on the way (dunder methods are public), in a module without a private name part, not a
/// test, not under `if TYPE_CHECKING:`, and in `__all__` when the module has one.
pub fn is_public_function(function: &ast::StmtFunctionDef, cx: &FileContext) -> bool {
    if !cx.functions.is_empty() || cx.in_type_checking || cx.role == crate::Role::Tests {
        return false;
    }
    let private = |name: &str| name.starts_with('_') && !is_dunder(name);
    let module_private = match &cx.facts.module {
        Some(module) => module.split('.').any(|part| part.starts_with('_')),
        None => cx
            .path
            .file_stem()
            .is_some_and(|stem| stem.to_string_lossy().starts_with('_')),
    };
    if module_private
        || private(function.name.as_str())
        || cx.classes.iter().any(|class| private(class.name.as_str()))
    {
        return false;
    }
    let top = cx
        .classes
        .first()
        .map_or(function.name.as_str(), |class| class.name.as_str());
    cx.facts
        .dunder_all
        .as_ref()
        .is_none_or(|all| all.iter().any(|name| name == top))
}

/// Whether `function` is the implementation of an overloaded function: the statement just
/// before it in the same body is a function of the same name decorated `@overload` (PEP 484:
/// the implementation follows its overloads). Only that statement is looked at, found by a
/// binary search, so a module of thousands of functions is not scanned once per function.
pub fn is_overload_implementation(function: &ast::StmtFunctionDef, cx: &FileContext) -> bool {
    const OVERLOAD: &[&str] = &["typing.overload", "typing_extensions.overload"];
    let body = cx
        .classes
        .last()
        .map_or(cx.module_body, |class| &class.body[..]);
    let index = body.partition_point(|stmt| stmt.start() < function.start());
    let is_child = body
        .get(index)
        .is_some_and(|stmt| stmt.range() == function.range);
    if !is_child || index == 0 || has_decorator(function, cx, OVERLOAD) {
        return false;
    }
    matches!(&body[index - 1], Stmt::FunctionDef(previous)
        if previous.name.as_str() == function.name.as_str()
            && has_decorator(previous, cx, OVERLOAD))
}

/// Whether a decorator of `function` resolves to one of `qualified`.
pub fn has_decorator(
    function: &ast::StmtFunctionDef,
    cx: &FileContext,
    qualified: &[&str],
) -> bool {
    function.decorator_list.iter().any(|decorator| {
        let callee = match &decorator.expression {
            Expr::Call(call) => call.func.as_ref(),
            other => other,
        };
        cx.resolves_to(callee, qualified)
    })
}

/// The parameters a caller passes, with how they are written (`*args`), without a
/// method's `self`/`cls`.
pub fn signature_parameters<'a>(
    function: &'a ast::StmtFunctionDef,
    cx: &FileContext,
) -> Vec<(String, &'a ast::Parameter)> {
    let is_method = !cx.classes.is_empty() && cx.functions.is_empty();
    let is_static = has_decorator(function, cx, &["staticmethod", "builtins.staticmethod"]);
    let parameters = &function.parameters;
    let mut list = Vec::new();
    let positional = parameters.posonlyargs.iter().chain(&parameters.args);
    for (index, parameter) in positional.enumerate() {
        if index == 0 && is_method && !is_static {
            continue;
        }
        list.push((parameter.parameter.name.to_string(), &parameter.parameter));
    }
    if let Some(vararg) = &parameters.vararg {
        list.push((format!("*{}", vararg.name), &**vararg));
    }
    for parameter in &parameters.kwonlyargs {
        list.push((parameter.parameter.name.to_string(), &parameter.parameter));
    }
    if let Some(kwarg) = &parameters.kwarg {
        list.push((format!("**{}", kwarg.name), &**kwarg));
    }
    list
}

/// `Any` (`typing.Any`, `typing_extensions.Any`, or the string `"Any"`).
pub fn is_any(annotation: &Expr, cx: &FileContext) -> bool {
    match annotation {
        Expr::StringLiteral(string) => matches!(string.value.to_str().trim(), "Any" | "typing.Any"),
        other => cx.resolves_to(other, &["typing.Any", "typing_extensions.Any"]),
    }
}

/// `names` as `` `a`, `b` and `c` ``.
pub fn listed(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The class a name stands for, when the module defines it at the top level.
pub fn module_class<'a>(expr: &Expr, cx: &FileContext<'a>) -> Option<&'a ast::StmtClassDef> {
    let Expr::Name(name) = expr else { return None };
    cx.module_class(name.id.as_str())
}

/// Whether a class derives from `typing.Protocol` (or `Protocol[T]`) itself.
pub fn is_protocol(class: &ast::StmtClassDef, cx: &FileContext) -> bool {
    class.bases().iter().any(|base| {
        let base = match base {
            Expr::Subscript(subscript) => subscript.value.as_ref(),
            other => other,
        };
        cx.resolves_to(base, &["typing.Protocol", "typing_extensions.Protocol"])
    })
}

/// Whether a class is decorated `@runtime_checkable`.
pub fn is_runtime_checkable(class: &ast::StmtClassDef, cx: &FileContext) -> bool {
    class.decorator_list.iter().any(|decorator| {
        cx.resolves_to(
            &decorator.expression,
            &[
                "typing.runtime_checkable",
                "typing_extensions.runtime_checkable",
                "typing.runtime",
                "typing_extensions.runtime",
            ],
        )
    })
}

/// The protocol classes of this module that the second argument of an `isinstance` or
/// `issubclass` call names (itself or in a tuple).
pub fn protocols_checked<'a>(
    call: &archlint_facts::context::CallSite,
    cx: &FileContext<'a>,
) -> Vec<(&'a ast::StmtClassDef, ruff_text_size::TextRange)> {
    use ruff_text_size::Ranged;
    let Some(classes) = call.arg(1) else {
        return Vec::new();
    };
    let candidates: Vec<&Expr> = match classes {
        Expr::Tuple(tuple) => tuple.elts.iter().collect(),
        other => vec![other],
    };
    candidates
        .into_iter()
        .filter_map(|expr| {
            let class = module_class(expr, cx)?;
            is_protocol(class, cx).then_some((class, expr.range()))
        })
        .collect()
}

/// `list`, `dict` and `set` displays and comprehensions, and calls to the mutable
/// constructors of `builtins` and `collections`.
pub fn is_mutable_value(expr: &Expr, cx: &FileContext) -> bool {
    match expr {
        Expr::List(_)
        | Expr::Dict(_)
        | Expr::Set(_)
        | Expr::ListComp(_)
        | Expr::DictComp(_)
        | Expr::SetComp(_) => true,
        Expr::Call(call) => cx.resolves_to(
            &call.func,
            &[
                "list",
                "dict",
                "set",
                "bytearray",
                "collections.defaultdict",
                "collections.OrderedDict",
                "collections.deque",
                "collections.Counter",
                "collections.ChainMap",
            ],
        ),
        _ => false,
    }
}
