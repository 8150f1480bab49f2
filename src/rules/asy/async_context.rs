//! Where code runs on the event loop: lexically inside an `async def` body, not in a nested
//! `def`, `lambda` or class body (those run when called or created, possibly in a thread:
//! `loop.run_in_executor(None, lambda: time.sleep(1))` is fine).

use crate::rules::prelude::*;

/// The coroutine the walk is in, if the code at this point runs on the event loop.
pub fn coroutine<'a>(cx: &FileContext<'a>) -> Option<&'a ast::StmtFunctionDef> {
    let function = cx.functions.last().copied()?;
    if !function.is_async {
        return None;
    }
    // A class body nested in the coroutine runs at class creation, not in the coroutine.
    if cx
        .classes
        .last()
        .is_some_and(|class| class.start() > function.start())
    {
        return None;
    }
    if cx.expr_parents.iter().any(|expr| expr.is_lambda_expr()) {
        return None;
    }
    Some(function)
}

/// The async library the module uses, for naming replacements: `trio`, `anyio` or
/// `asyncio` (the default).
pub fn backend(cx: &FileContext) -> Backend {
    if cx.imports_module("trio") {
        Backend::Trio
    } else if cx.imports_module("anyio") {
        Backend::Anyio
    } else {
        Backend::Asyncio
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Asyncio,
    Trio,
    Anyio,
}

/// Reports a blocking call made on the event loop: "`time.sleep` blocks the event loop in
/// `async def fetch`; <fix>". `fix` gives the replacement for each backend.
pub fn report_blocking(call: &CallSite, cx: &mut FileContext, fix: [&str; 3]) {
    let Some(function) = coroutine(cx) else {
        return;
    };
    let fix = match backend(cx) {
        Backend::Asyncio => fix[0],
        Backend::Trio => fix[1],
        Backend::Anyio => fix[2],
    };
    let name = call.name();
    let shown = name.trim_start_matches("builtins.");
    cx.report(
        call.range(),
        format!(
            "`{shown}` blocks the event loop inside `async def {}`; {fix}",
            function.name
        ),
    );
}

/// Exceptions that carry cancellation, or catch it.
const CANCELLATION: &[&str] = &[
    "asyncio.CancelledError",
    "asyncio.exceptions.CancelledError",
    "concurrent.futures.CancelledError",
    "trio.Cancelled",
    "BaseException",
    "builtins.BaseException",
];

/// The cancellation type a handler's type expression names, shown in backticks.
pub fn catches_cancellation(types: &Expr, cx: &FileContext) -> Option<String> {
    let candidates: Vec<&Expr> = match types {
        Expr::Tuple(tuple) => tuple.elts.iter().collect(),
        other => vec![other],
    };
    candidates.into_iter().find_map(|expr| {
        let name = cx.qualified_name(expr)?;
        CANCELLATION
            .contains(&name.as_str())
            .then(|| format!("`{name}`"))
    })
}

/// Whether the statements `await` (or `async for`/`async with`), outside nested functions.
pub fn suspends(body: &[Stmt]) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    struct Finder(bool);
    impl Visitor<'_> for Finder {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(ast::StmtFor { is_async: true, .. })
                | Stmt::With(ast::StmtWith { is_async: true, .. }) => self.0 = true,
                _ => walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::Await(_) => self.0 = true,
                Expr::Lambda(_) => {}
                _ => walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_body(body);
    finder.0
}

/// What made the object `expr` names, by light local inference: a name assigned a call in
/// this function (or module), or `self.attr` assigned a call in the class's `__init__`.
/// Gives the call's qualified name (`threading.Lock`).
pub fn constructed_by(expr: &Expr, cx: &FileContext) -> Option<String> {
    let value = match expr {
        Expr::Name(_) => cx.follow(expr),
        Expr::Attribute(attribute) if matches!(attribute.value.as_ref(), Expr::Name(name) if name.id.as_str() == "self") => {
            init_assignment(attribute.attr.as_str(), cx)?
        }
        other => other,
    };
    let Expr::Call(call) = value else { return None };
    cx.qualified_name(&call.func)
}

/// The value `self.<attr> = value` gets in the enclosing class's `__init__`.
fn init_assignment<'a>(attr: &str, cx: &FileContext<'a>) -> Option<&'a Expr> {
    let class = cx.classes.last()?;
    let init = class.body.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(def) if def.name.as_str() == "__init__" => Some(def),
        _ => None,
    })?;
    init.body.iter().find_map(|stmt| {
        let (targets, value): (&[Expr], &Expr) = match stmt {
            Stmt::Assign(assign) => (&assign.targets, &assign.value),
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                value: Some(value),
                ..
            }) => (std::slice::from_ref(&**target), &**value),
            _ => return None,
        };
        targets
            .iter()
            .any(|target| {
                matches!(target, Expr::Attribute(a) if a.attr.as_str() == attr
                    && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self"))
            })
            .then_some(value)
    })
}
