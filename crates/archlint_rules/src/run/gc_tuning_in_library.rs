use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

use super::shared::is_entry_module;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags process-wide garbage-collector tuning in library code: `gc.set_threshold`,
    /// `gc.freeze`, `gc.set_debug`, and `gc.disable()` in a function (or module) with no
    /// `finally` block that calls `gc.enable()`. Entry points — a `__main__.py`, a module
    /// with an `if __name__ == "__main__":` block — and tests own their process and are left
    /// alone.
    ///
    /// ## Why it matters
    /// Guide §2 (garbage collection): the collector is one per process. A library that
    /// changes its thresholds, or disables it and returns early on an exception, changes
    /// memory behaviour for the whole application that imported it — and 3.14's incremental
    /// collector changed what the generation thresholds mean. The guide's
    /// `optimize_gc_thresholds` tunes them from a library class.
    ///
    /// ## Example
    /// ```python
    /// import gc
    ///
    /// def load_all(rows):
    ///     gc.disable()
    ///     result = [dict(row) for row in rows]
    ///     gc.enable()
    ///     return result
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import gc
    ///
    /// def load_all(rows):
    ///     gc.disable()
    ///     try:
    ///         return [dict(row) for row in rows]
    ///     finally:
    ///         gc.enable()
    /// ```
    pub static GC_TUNING_IN_LIBRARY = Rule {
        code: "RUN016",
        name: "gc-tuning-in-library",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call {
            targets: &["gc.set_threshold", "gc.freeze", "gc.set_debug", "gc.disable"],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if cx.role == Role::Tests || is_entry_module(cx) {
        return;
    }
    let name = call.name();
    if name == "gc.disable" {
        let body = cx
            .enclosing_function()
            .map_or(cx.module_body, |f| f.body.as_slice());
        if !enables_in_finally(body, cx) {
            cx.report(
                call.range(),
                "`gc.disable()` without `gc.enable()` in a `finally` leaves the collector off for the whole process if anything raises; re-enable it in `try`/`finally`",
            );
        }
        return;
    }
    cx.report(
        call.range(),
        format!("`{name}()` in a library changes the garbage collector for every part of the process that imports it; leave collector tuning to the application's entry point"),
    );
}

/// Whether a `finally` block in `body` calls `gc.enable()`.
fn enables_in_finally(body: &[Stmt], cx: &FileContext) -> bool {
    struct Finder<'c, 'a> {
        cx: &'c FileContext<'a>,
        in_finally: bool,
        found: bool,
    }
    impl Visitor<'_> for Finder<'_, '_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Try(try_stmt) => {
                    walk_stmt(self, stmt);
                    let outer = std::mem::replace(&mut self.in_finally, true);
                    self.visit_body(&try_stmt.finalbody);
                    self.in_finally = outer;
                }
                _ => walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &Expr) {
            if let Expr::Call(call) = expr
                && self.in_finally
                && self.cx.resolves_to(&call.func, &["gc.enable"])
            {
                self.found = true;
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        cx,
        in_finally: false,
        found: false,
    };
    finder.visit_body(body);
    finder.found
}
