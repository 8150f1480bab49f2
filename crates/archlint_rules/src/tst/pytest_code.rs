//! What the testing rules need to know about a test module: which functions pytest (or
//! unittest) collects as tests, which are fixtures, and the markers on a test, its class and
//! its module (`pytestmark`).

use crate::prelude::*;

/// Whether `def` is a test the runner collects: in a module the runner collects (pytest's
/// `python_files`, or unittest's `test*.py`), a function at the top of the module whose name
/// pytest's `python_functions` accepts (`test*` by default), or a method directly in a class
/// pytest collects (`python_classes`, `Test*` by default) or that has bases (a
/// `unittest.TestCase`, collected whatever its name, with `test*` methods).
pub fn is_test(def: &ast::StmtFunctionDef, cx: &FileContext) -> bool {
    if !cx.functions.is_empty() || is_fixture(def, cx) {
        return false;
    }
    let config = &cx.options.pytest;
    let file_name = cx
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if !config.collects_file(file_name) {
        return false;
    }
    let name = def.name.as_str();
    match cx.classes.as_slice() {
        [] => config.collects_function(name),
        [class] => {
            let has_bases = class.arguments.as_ref().is_some_and(|a| !a.args.is_empty());
            (has_bases && name.starts_with("test"))
                || (config.collects_class(class.name.as_str()) && config.collects_function(name))
        }
        _ => false,
    }
}

/// Whether the innermost class has bases (a `unittest.TestCase` or a class built on one,
/// whose runner has its own ways to run coroutines and check results).
pub fn in_class_with_bases(cx: &FileContext) -> bool {
    cx.classes
        .last()
        .is_some_and(|class| class.arguments.as_ref().is_some_and(|a| !a.args.is_empty()))
}

/// The qualified name of a decorator, without its call (`pytest.fixture` of
/// `@pytest.fixture(scope="module")`).
pub fn decorator_name(decorator: &ast::Decorator, cx: &FileContext) -> Option<String> {
    let expr = match &decorator.expression {
        Expr::Call(call) => call.func.as_ref(),
        other => other,
    };
    cx.qualified_name(expr)
}

/// Whether `def` is a pytest fixture (`@pytest.fixture`, pytest-asyncio's
/// `@pytest_asyncio.fixture`).
pub fn is_fixture(def: &ast::StmtFunctionDef, cx: &FileContext) -> bool {
    def.decorator_list.iter().any(|d| {
        decorator_name(d, cx).is_some_and(|n| {
            matches!(
                n.as_str(),
                "pytest.fixture" | "pytest.yield_fixture" | "pytest_asyncio.fixture"
            )
        })
    })
}

/// The marker a `pytest.mark.<name>` expression (called or not) applies, if it is one.
pub fn marker(expr: &Expr, cx: &FileContext) -> Option<String> {
    let expr = match expr {
        Expr::Call(call) => call.func.as_ref(),
        other => other,
    };
    let Expr::Attribute(attribute) = expr else {
        return None;
    };
    let base = cx.qualified_name(&attribute.value)?;
    (base == "pytest.mark" || base == "_pytest.mark").then(|| attribute.attr.to_string())
}

/// Every marker named in `expr` (a `pytestmark` value: one marker or a list of them).
fn markers_in(expr: &Expr, cx: &FileContext, into: &mut Vec<String>) {
    match expr {
        Expr::List(list) => list.elts.iter().for_each(|e| markers_in(e, cx, into)),
        Expr::Tuple(tuple) => tuple.elts.iter().for_each(|e| markers_in(e, cx, into)),
        other => into.extend(marker(other, cx)),
    }
}

/// The markers of `pytestmark = ...` assignments in `body`.
fn pytestmark(body: &[Stmt], cx: &FileContext, into: &mut Vec<String>) {
    for stmt in body {
        let (targets, value): (Vec<&Expr>, &Expr) = match stmt {
            Stmt::Assign(assign) => (assign.targets.iter().collect(), &assign.value),
            Stmt::AnnAssign(assign) => match &assign.value {
                Some(value) => (vec![&assign.target], value),
                None => continue,
            },
            Stmt::AugAssign(assign) => (vec![&assign.target], &assign.value),
            _ => continue,
        };
        if targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "pytestmark"))
        {
            markers_in(value, cx, into);
        }
    }
}

/// The markers that apply to the test `def`: its decorators, its classes' decorators and
/// `pytestmark`, and the module's `pytestmark`.
pub fn markers_of(def: &ast::StmtFunctionDef, cx: &FileContext) -> Vec<String> {
    let mut found: Vec<String> = def
        .decorator_list
        .iter()
        .filter_map(|d| marker(&d.expression, cx))
        .collect();
    for class in &cx.classes {
        found.extend(
            class
                .decorator_list
                .iter()
                .filter_map(|d| marker(&d.expression, cx)),
        );
        pytestmark(&class.body, cx, &mut found);
    }
    pytestmark(cx.module_body, cx, &mut found);
    found
}
