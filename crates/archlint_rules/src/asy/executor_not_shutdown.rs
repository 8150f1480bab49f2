use crate::prelude::*;
use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

rule! {
    /// ## What it does
    /// Flags a `concurrent.futures.ThreadPoolExecutor`/`ProcessPoolExecutor` or
    /// `multiprocessing.Pool` assigned to a local variable in a function that never shuts it
    /// down (`shutdown()`, `close()`, `terminate()`), never uses it in a `with`, and does not
    /// hand it on (return, yield, store on an object, pass to a call). Executors kept at
    /// module level or on `self` are long-lived by design and not flagged.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): an executor left open keeps its worker threads or
    /// processes alive; created per call, it leaks them until the program exits, and
    /// interpreter shutdown blocks on them.
    ///
    /// ## Example
    /// ```python
    /// from concurrent.futures import ThreadPoolExecutor
    ///
    /// def resize_all(images):
    ///     pool = ThreadPoolExecutor(max_workers=4)
    ///     return list(pool.map(resize, images))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from concurrent.futures import ThreadPoolExecutor
    ///
    /// def resize_all(images):
    ///     with ThreadPoolExecutor(max_workers=4) as pool:
    ///         return list(pool.map(resize, images))
    /// ```
    pub static EXECUTOR_NOT_SHUTDOWN = Rule {
        code: "ASY029",
        name: "executor-not-shutdown",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("pylint", "R1732")],
        check: Check::Stmt { kinds: &[NodeKind::StmtAssign], run: check },
    };
}

const EXECUTORS: &[&str] = &[
    "concurrent.futures.ThreadPoolExecutor",
    "concurrent.futures.ProcessPoolExecutor",
    "concurrent.futures.thread.ThreadPoolExecutor",
    "concurrent.futures.process.ProcessPoolExecutor",
    "multiprocessing.Pool",
    "multiprocessing.pool.Pool",
    "multiprocessing.pool.ThreadPool",
];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Assign(assign) = stmt else { return };
    let [Expr::Name(target)] = assign.targets.as_slice() else {
        return;
    };
    let Expr::Call(call) = assign.value.as_ref() else {
        return;
    };
    let Some(function) = cx.enclosing_function() else {
        return;
    };
    let Some(made_by) = cx.qualified_name(&call.func) else {
        return;
    };
    if !EXECUTORS.contains(&made_by.as_str()) {
        return;
    }
    let mut uses = Uses {
        name: target.id.as_str(),
        managed: false,
    };
    uses.visit_body(&function.body);
    if !uses.managed {
        cx.report(
            assign.range(),
            format!("`{}` (a `{made_by}`) is never shut down; use it in a `with` block or call `shutdown()` in a `finally`", target.id),
        );
    }
}

/// Whether the function shuts the executor down, manages it with `with`, or hands it on.
struct Uses<'n> {
    name: &'n str,
    managed: bool,
}

impl Uses<'_> {
    fn is_it(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(name) if name.id.as_str() == self.name)
    }
}

impl Visitor<'_> for Uses<'_> {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Return(ast::StmtReturn {
                value: Some(value), ..
            }) if self.is_it(value) => {
                self.managed = true;
            }
            Stmt::With(with) if with.items.iter().any(|item| self.is_it(&item.context_expr)) => {
                self.managed = true;
            }
            Stmt::Assign(assign)
                if self.is_it(&assign.value)
                    && assign.targets.iter().any(|t| !matches!(t, Expr::Name(_))) =>
            {
                self.managed = true;
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Call(call) => {
                if let Expr::Attribute(attribute) = call.func.as_ref()
                    && self.is_it(&attribute.value)
                    && matches!(
                        attribute.attr.as_str(),
                        "shutdown" | "close" | "terminate" | "__exit__"
                    )
                {
                    self.managed = true;
                }
                // Passed on: someone else owns it now.
                if call.arguments.args.iter().any(|arg| self.is_it(arg))
                    || call.arguments.keywords.iter().any(|k| self.is_it(&k.value))
                {
                    self.managed = true;
                }
                walk_expr(self, expr);
            }
            Expr::Yield(ast::ExprYield {
                value: Some(value), ..
            }) if self.is_it(value) => {
                self.managed = true;
            }
            _ => walk_expr(self, expr),
        }
    }
}
