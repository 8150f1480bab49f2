use crate::prelude::*;
use archlint_facts::names::Binding;

rule! {
    /// ## What it does
    /// Flags a coroutine function called as a statement of its own, without `await`: a
    /// known one (`asyncio.sleep`, `asyncio.wait_for`, `asyncio.open_connection`,
    /// `trio.sleep`, …), an `async def` defined at the top of the same module, or an
    /// `async def` method of the enclosing class called through `self`/`cls` — and, across
    /// the project, an `async def` of another module (imported, or reached through an
    /// `__init__` re-export) or of a project base class called through `self`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): calling a coroutine function only creates the
    /// coroutine; nothing runs, and Python warns "coroutine was never awaited" at garbage
    /// collection, far from the bug.
    ///
    /// ## Example
    /// ```python
    /// async def save(record):
    ///     ...
    ///
    /// async def handle(record):
    ///     save(record)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// async def save(record):
    ///     ...
    ///
    /// async def handle(record):
    ///     await save(record)
    /// ```
    pub static UNAWAITED_COROUTINE = Rule {
        code: "ASY011",
        name: "unawaited-coroutine",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("pylint", "W0104")],
        check: Check::Several(&[
            Check::Stmt { kinds: &[NodeKind::StmtExpr], run: check },
            Check::Project {
            run: check_project,
            reads: &[Analysis::CallGraph],
        },
        ]),
    };
}

const KNOWN_COROUTINES: &[&str] = &[
    "asyncio.sleep",
    "asyncio.wait_for",
    "asyncio.wait",
    "asyncio.open_connection",
    "asyncio.open_unix_connection",
    "asyncio.start_server",
    "asyncio.start_unix_server",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
    "asyncio.to_thread",
    "trio.sleep",
    "trio.sleep_forever",
    "trio.open_tcp_stream",
    "trio.run_process",
    "anyio.sleep",
    "anyio.sleep_forever",
    "anyio.connect_tcp",
    "anyio.run_process",
    "anyio.to_thread.run_sync",
];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Expr(statement) = stmt else { return };
    let Expr::Call(call) = statement.value.as_ref() else {
        return;
    };
    let name = match call.func.as_ref() {
        Expr::Name(name) if is_module_coroutine(name.id.as_str(), cx) => name.id.to_string(),
        Expr::Attribute(attribute)
            if matches!(attribute.value.as_ref(), Expr::Name(receiver) if matches!(receiver.id.as_str(), "self" | "cls"))
                && is_method_coroutine(attribute.attr.as_str(), cx) =>
        {
            format!("self.{}", attribute.attr)
        }
        _ => match cx.qualified_name(&call.func) {
            Some(name) if KNOWN_COROUTINES.contains(&name.as_str()) => name,
            _ => return,
        },
    };
    cx.report(
        call.range(),
        format!("`{name}(...)` makes a coroutine that never runs; `await` it (or schedule it with `asyncio.create_task` and keep the task)"),
    );
}

/// Coroutines of other modules (or of base classes) called as statements: the per-file
/// check above cannot see that they are coroutines.
fn check_project(cx: &mut ProjectContext) {
    let project = cx.project;
    let graph = project.calls();
    for (caller, function) in graph.functions.iter().enumerate() {
        let facts = &project.modules[function.module];
        for (call_index, callee) in graph.calls(caller) {
            let call = &facts.calls[call_index];
            let Some(callee) = callee.filter(|&c| graph.functions[c].is_async) else {
                continue;
            };
            let target = &graph.functions[callee];
            let target_facts = &project.modules[target.module];
            let target_path = format!(
                "{}.{}",
                target_facts.module.as_deref().unwrap_or_default(),
                target.qualname
            );
            // Same module, same name: the per-file check reports it.
            if !call.discarded
                || (target.module == function.module
                    && call.target.as_deref() == Some(target_path.as_str()))
            {
                continue;
            }
            let shown = project.shown(&target_facts.path);
            let message = format!(
                "`{}(...)` makes a coroutine that never runs: `{target_path}` is an `async def` ({}:{}); `await` it (or schedule it with `asyncio.create_task` and keep the task)",
                super::blocking_call_through_helper::written_callee(call, &target.qualname),
                shown,
                target.line
            );
            cx.report(&facts.path, call.line, call.column, message);
        }
    }
}

fn is_async_def(stmt: &Stmt, name: &str) -> bool {
    matches!(stmt, Stmt::FunctionDef(def) if def.is_async && def.name.as_str() == name)
}

/// A top-level `async def name` in this module, and `name` not a parameter or an import.
fn is_module_coroutine(name: &str, cx: &FileContext) -> bool {
    let is_parameter = cx.enclosing_function().is_some_and(|function| {
        function
            .parameters
            .iter()
            .any(|p| p.name().as_str() == name)
    });
    let is_import = matches!(cx.scopes.lookup(name), Some(Binding::Imported(_)));
    !is_parameter && !is_import && cx.module_body.iter().any(|stmt| is_async_def(stmt, name))
}

/// An `async def name` method of the class the walk is in.
fn is_method_coroutine(name: &str, cx: &FileContext) -> bool {
    cx.classes
        .last()
        .is_some_and(|class| class.body.iter().any(|stmt| is_async_def(stmt, name)))
}
