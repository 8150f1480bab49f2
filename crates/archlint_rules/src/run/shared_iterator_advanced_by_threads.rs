use super::locks::under_lock;
use super::shared::module_runs_threads;
use crate::prelude::*;
use archlint_facts::blocks::yields;

rule! {
    /// ## What it does
    /// Flags `next(it)` or a `for` loop over `it` inside a function, in a module that imports
    /// a threading API, when `it` is one iterator made at module level: a generator
    /// expression, a call of a generator function of the module, or `iter()`, `map()`,
    /// `zip()`, `filter()`, `enumerate()`, `reversed()` or an `itertools` iterator
    /// (`itertools.count()` excepted: the usual source of unique numbers, whose `next()` is a
    /// single C call). Code under `with <lock>:` is left alone.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): the free-threading HOWTO ("Python support for free
    /// threading", § Known limitations, Iterators) says "it is generally not thread-safe to
    /// access the same iterator object from multiple threads concurrently, and threads may see
    /// duplicate or missing elements". A generator advanced by two threads at once raises
    /// `ValueError: generator already executing` on every build. A work list shared as an
    /// iterator is the usual way in.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// jobs = iter(range(100))
    ///
    /// def worker():
    ///     for job in jobs:
    ///         print(job)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import queue
    /// import threading
    ///
    /// jobs = queue.SimpleQueue()
    /// for job in range(100):
    ///     jobs.put(job)
    ///
    /// def worker():
    ///     while True:
    ///         try:
    ///             job = jobs.get_nowait()
    ///         except queue.Empty:
    ///             return
    ///         print(job)
    /// ```
    pub static SHARED_ITERATOR_ADVANCED_BY_THREADS = Rule {
        code: "RUN019",
        name: "shared-iterator-advanced-by-threads",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Stmt { kinds: &[NodeKind::StmtFor], run: check_loop },
            Check::Call { targets: &["next", "builtins.next"], run: check_next },
        ]),
    };
}

/// Built-ins whose result is an iterator over their argument.
const ITERATOR_BUILTINS: &[&str] = &["iter", "map", "zip", "filter", "enumerate", "reversed"];

fn check_loop(stmt: &Stmt, cx: &mut FileContext) {
    if let Stmt::For(for_stmt) = stmt {
        check_advance(&for_stmt.iter, "iterates", cx);
    }
}

fn check_next(call: &CallSite, cx: &mut FileContext) {
    if let Some(iterator) = call.argument(0, "iterator") {
        check_advance(iterator, "calls `next()` on", cx);
    }
}

fn check_advance(iterator: &Expr, verb: &str, cx: &mut FileContext) {
    let Expr::Name(name) = iterator else { return };
    let Some(function) = cx.enclosing_function() else {
        return;
    };
    let id = name.id.as_str();
    let Some(value) = cx.scopes.module_value(id) else {
        return;
    };
    let Some(kind) = iterator_kind(value, cx) else {
        return;
    };
    if !module_runs_threads(cx) || under_lock(cx, iterator.range()) {
        return;
    }
    let what_happens = match kind {
        IteratorKind::Generator => {
            "two threads advancing it at once raise `ValueError: generator already executing`"
        }
        IteratorKind::Iterator => "threads advancing it at once can see duplicate or missing items",
    };
    cx.report(
        iterator.range(),
        format!(
            "`{}()` {verb} the module-level iterator `{id}`, one object for every thread: {what_happens}; hand the items out through a `queue.Queue`, or hold a lock around each `next()`",
            function.name
        ),
    );
}

enum IteratorKind {
    Generator,
    Iterator,
}

/// What kind of one-pass iterator `value` makes, if it makes one.
fn iterator_kind(value: &Expr, cx: &FileContext) -> Option<IteratorKind> {
    match value {
        Expr::Generator(_) => Some(IteratorKind::Generator),
        Expr::Call(call) => {
            if let Expr::Name(function) = call.func.as_ref()
                && is_generator_function(function.id.as_str(), cx)
            {
                return Some(IteratorKind::Generator);
            }
            let name = cx.qualified_name(&call.func)?;
            (ITERATOR_BUILTINS.contains(&name.as_str())
                || (name.starts_with("itertools.") && name != "itertools.count"))
                .then_some(IteratorKind::Iterator)
        }
        _ => None,
    }
}

/// Whether the module defines `name` at its top level as a function that yields.
fn is_generator_function(name: &str, cx: &FileContext) -> bool {
    cx.module_body.iter().any(|stmt| {
        matches!(stmt, Stmt::FunctionDef(function)
            if function.name.as_str() == name && !function.is_async && yields(&function.body))
    })
}
