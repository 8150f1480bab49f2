use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a task created and dropped on the spot: `asyncio.create_task(...)`,
    /// `asyncio.ensure_future(...)`, or `loop.create_task(...)`/`loop.run_in_executor(...)` on a
    /// loop from `asyncio.get_running_loop()`/`get_event_loop()`/`new_event_loop()`, used as
    /// a statement of its own. `TaskGroup.create_task` and nursery calls are fine: the group
    /// keeps the task.
    ///
    /// Like ruff's RUF006, the rule looks at statements that discard the task; a task kept
    /// in a local that is never awaited is not followed.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): the event loop keeps only a weak reference to
    /// tasks, so a task nobody holds can be garbage-collected before it finishes, and its
    /// exception is never seen. The guide's own signal handler drops its shutdown task this
    /// way.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def on_signal(app):
    ///     asyncio.create_task(app.shutdown())
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// background_tasks = set()
    ///
    /// async def on_signal(app):
    ///     task = asyncio.create_task(app.shutdown())
    ///     background_tasks.add(task)
    ///     task.add_done_callback(background_tasks.discard)
    /// ```
    pub static DANGLING_TASK = Rule {
        code: "ASY012",
        name: "dangling-task",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "RUF006")],
        check: Check::Stmt { kinds: &[NodeKind::StmtExpr], run: check },
    };
}

const LOOP_FACTORIES: &[&str] = &[
    "asyncio.get_running_loop",
    "asyncio.get_event_loop",
    "asyncio.new_event_loop",
];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Expr(statement) = stmt else { return };
    let Expr::Call(call) = statement.value.as_ref() else {
        return;
    };
    let shown = match cx.qualified_name(&call.func).as_deref() {
        Some(name @ ("asyncio.create_task" | "asyncio.ensure_future")) => name.to_string(),
        _ => {
            let Expr::Attribute(attribute) = call.func.as_ref() else {
                return;
            };
            let method = attribute.attr.as_str();
            if !matches!(method, "create_task" | "run_in_executor")
                || !is_event_loop(&attribute.value, cx)
            {
                return;
            }
            format!("loop.{method}")
        }
    };
    cx.report(
        call.range(),
        format!("the task from `{shown}` is dropped: it can be garbage-collected before it ends and its exception is lost; keep a reference (a set of tasks, a `TaskGroup`) or await it"),
    );
}

/// `asyncio.get_running_loop()` itself, or a local assigned from one of the loop factories.
fn is_event_loop(expr: &Expr, cx: &FileContext) -> bool {
    let value = cx.follow(expr);
    let Expr::Call(call) = value else {
        return false;
    };
    cx.qualified_name(&call.func)
        .is_some_and(|name| LOOP_FACTORIES.contains(&name.as_str()))
}
