use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags work sent to another process that cannot be pickled: a lambda, a function
    /// nested in another function (a closure or not), or `functools.partial` of one, passed
    /// to a process pool's `map`/`map_async`/`imap`/`imap_unordered`/`starmap`/
    /// `starmap_async`/`apply`/`apply_async` (`multiprocessing.Pool`, a context's `Pool`) or
    /// `ProcessPoolExecutor.submit`/`map`, or as `target=` of `multiprocessing.Process`.
    /// The pool is recognised where it is built in the same function or bound by `with … as`.
    /// Thread pools (`multiprocessing.dummy`, `ThreadPool`, `ThreadPoolExecutor`) pickle
    /// nothing and are left alone.
    ///
    /// ## Why it matters
    /// Guide §6 (parallel processing): the function travels to the worker by pickle, which
    /// stores a function by its importable name. A lambda or nested function has none, so the
    /// call fails with `PicklingError` (`Can't pickle local object`). `Process(target=…)`
    /// pickles it under the spawn and forkserver start methods: the default on macOS and
    /// Windows, and on Linux from Python 3.14. The guide's `chunked_parallel_map` passes its
    /// nested `process_chunk` to `Pool.map`.
    ///
    /// ## Example
    /// ```python
    /// import multiprocessing
    ///
    /// def parallel_map(data, func):
    ///     def process_chunk(chunk):
    ///         return [func(item) for item in chunk]
    ///
    ///     with multiprocessing.Pool() as pool:
    ///         return pool.map(process_chunk, data)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    /// import multiprocessing
    ///
    /// def process_chunk(func, chunk):
    ///     return [func(item) for item in chunk]
    ///
    /// def parallel_map(data, func):
    ///     with multiprocessing.Pool() as pool:
    ///         return pool.map(functools.partial(process_chunk, func), data)
    /// ```
    pub static UNPICKLABLE_PROCESS_TARGET = Rule {
        code: "RUN017",
        name: "unpicklable-process-target",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call {
            targets: &[
                ".map", ".map_async", ".imap", ".imap_unordered", ".starmap", ".starmap_async",
                ".apply", ".apply_async", ".submit", "multiprocessing.Process", ".Process",
            ],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let is_process = call.is("multiprocessing.Process")
        || (call.method == Some("Process")
            && call.receiver().is_some_and(|r| is_process_context(r, cx)));
    let function = if is_process {
        call.argument(1, "target")
    } else if call.method != Some("Process")
        && call.receiver().is_some_and(|r| is_process_pool(r, cx))
    {
        let name = if call.method == Some("submit") {
            "fn"
        } else {
            "func"
        };
        call.argument(0, name)
    } else {
        return;
    };
    let Some(function) = function else { return };
    let Some(what) = unpicklable(function, cx) else {
        return;
    };
    cx.report(
        function.range(),
        format!("{what} cannot be pickled to reach a worker process (`PicklingError: Can't pickle local object`); define the function at module level and pass what it needs as arguments or with `functools.partial`"),
    );
}

/// Why a callable cannot be pickled, if it cannot.
fn unpicklable(function: &Expr, cx: &FileContext) -> Option<String> {
    match function {
        Expr::Lambda(_) => Some("a lambda".to_string()),
        Expr::Name(name) => {
            let outer = cx
                .functions
                .iter()
                .rev()
                .find(|f| defines_function(&f.body, name.id.as_str()))?;
            Some(format!(
                "`{}`, a function nested in `{}()`,",
                name.id, outer.name
            ))
        }
        Expr::Call(call) if cx.resolves_to(&call.func, &["functools.partial"]) => {
            unpicklable(call.arguments.args.first()?, cx)
        }
        _ => None,
    }
}

/// Whether `body` (not the bodies of functions in it) defines a function `name`.
fn defines_function(body: &[Stmt], name: &str) -> bool {
    struct Finder<'n> {
        name: &'n str,
        found: bool,
    }
    impl StatementVisitor<'_> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::FunctionDef(def) => self.found |= def.name.as_str() == self.name,
                Stmt::ClassDef(_) => {}
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder { name, found: false };
    finder.visit_body(body);
    finder.found
}

/// The call that made `receiver`: an assignment in scope, or `with <call> as receiver:`.
/// The `with` form stays here rather than in `FileContext::constructed_by`: `as` binds what
/// `__enter__` returns, which is the pool itself for pools and executors but not in general
/// (a `threading.Lock` gives `True`).
fn made_by(receiver: &Expr, cx: &FileContext) -> Option<String> {
    if let Some(made_by) = cx.constructed_by(receiver) {
        return Some(made_by);
    }
    let Expr::Name(name) = receiver else {
        return None;
    };
    cx.stmt_parents.iter().rev().find_map(|stmt| match stmt {
        Stmt::With(with) => with.items.iter().find_map(|item| {
            let bound =
                matches!(item.optional_vars.as_deref(), Some(Expr::Name(n)) if n.id == name.id);
            match &item.context_expr {
                Expr::Call(call) if bound => cx
                    .qualified_name(&call.func)
                    .or_else(|| literal::dotted(&call.func)),
                _ => None,
            }
        }),
        _ => None,
    })
}

fn is_process_pool(receiver: &Expr, cx: &FileContext) -> bool {
    let Some(made_by) = made_by(receiver, cx) else {
        return false;
    };
    match made_by.as_str() {
        "multiprocessing.Pool"
        | "multiprocessing.pool.Pool"
        | "concurrent.futures.ProcessPoolExecutor"
        | "concurrent.futures.process.ProcessPoolExecutor" => true,
        // `ctx.Pool(...)` of `ctx = multiprocessing.get_context(...)`.
        other => other
            .strip_suffix(".Pool")
            .is_some_and(|context| is_process_context_name(context, cx)),
    }
}

/// A context from `multiprocessing.get_context(...)`.
fn is_process_context(receiver: &Expr, cx: &FileContext) -> bool {
    made_by(receiver, cx).is_some_and(|made_by| made_by == "multiprocessing.get_context")
}

fn is_process_context_name(context: &str, cx: &FileContext) -> bool {
    cx.local_value(context).is_some_and(|value| {
        matches!(value, Expr::Call(call) if cx.resolves_to(&call.func, &["multiprocessing.get_context"]))
    })
}
