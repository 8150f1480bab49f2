use crate::prelude::*;
use archlint_facts::blocks::function_in;
use ruff_python_ast::visitor::{Visitor, walk_expr};

rule! {
    /// ## What it does
    /// Flags `future.add_done_callback(callback)` where the callback (a function defined in
    /// this module or the enclosing function, or a lambda) calls `.result()` or
    /// `.exception()` on the future before checking `.cancelled()`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): on a cancelled future both methods raise
    /// `CancelledError`, inside the callback, where the loop only logs it; the clean-up the
    /// callback was for does not happen.
    ///
    /// ## Example
    /// ```python
    /// def report(task):
    ///     if task.exception() is not None:
    ///         log_failure(task)
    ///
    /// def watch(task):
    ///     task.add_done_callback(report)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def report(task):
    ///     if task.cancelled():
    ///         return
    ///     if task.exception() is not None:
    ///         log_failure(task)
    ///
    /// def watch(task):
    ///     task.add_done_callback(report)
    /// ```
    pub static DONE_CALLBACK_UNCHECKED_CANCEL = Rule {
        code: "ASY020",
        name: "done-callback-unchecked-cancel",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call { targets: &[".add_done_callback"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(callback) = call.arg(0) else { return };
    let first_use = match callback {
        Expr::Lambda(lambda) => {
            let Some(parameter) = lambda.parameters.as_ref().and_then(|p| p.iter().next()) else {
                return;
            };
            first_future_call(parameter.name().as_str(), |finder| {
                finder.visit_expr(&lambda.body)
            })
        }
        Expr::Name(name) => {
            let Some(function) = find_function(name.id.as_str(), cx) else {
                return;
            };
            let Some(parameter) = function.parameters.iter_non_variadic_params().next() else {
                return;
            };
            first_future_call(parameter.parameter.name.as_str(), |finder| {
                for stmt in &function.body {
                    finder.visit_stmt(stmt);
                }
            })
        }
        _ => return,
    };
    if let Some(method @ ("result" | "exception")) = first_use {
        cx.report(
            call.range(),
            format!("the done callback calls `.{method}()` before checking `.cancelled()`; on a cancelled future it raises `CancelledError` inside the callback"),
        );
    }
}

/// A `def name` at the top of the module or of the enclosing function.
fn find_function<'a>(name: &str, cx: &FileContext<'a>) -> Option<&'a ast::StmtFunctionDef> {
    let local = cx
        .enclosing_function()
        .map(|f| f.body.as_slice())
        .unwrap_or_default();
    function_in(local, name).or_else(|| function_in(cx.module_body, name))
}

/// The first of `result`, `exception`, `cancelled` called on `future` in source order.
fn first_future_call(future: &str, walk: impl FnOnce(&mut Calls)) -> Option<&'static str> {
    let mut finder = Calls {
        future: future.to_string(),
        first: None,
    };
    walk(&mut finder);
    finder.first
}

struct Calls {
    future: String,
    first: Option<&'static str>,
}

impl Visitor<'_> for Calls {
    fn visit_expr(&mut self, expr: &Expr) {
        if self.first.is_some() {
            return;
        }
        if let Expr::Call(call) = expr
            && let Expr::Attribute(attribute) = call.func.as_ref()
            && matches!(attribute.value.as_ref(), Expr::Name(name) if name.id.as_str() == self.future)
        {
            // Arguments and receiver are evaluated first, but the receiver is the future
            // itself; nested calls in the arguments come before this one.
            walk_expr(self, expr);
            if self.first.is_none() {
                self.first = match attribute.attr.as_str() {
                    "result" => Some("result"),
                    "exception" => Some("exception"),
                    "cancelled" => Some("cancelled"),
                    _ => None,
                };
            }
            return;
        }
        walk_expr(self, expr);
    }
}
