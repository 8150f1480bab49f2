use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use rustc_hash::FxHashSet;

use super::locks::is_lock;
use crate::prelude::*;
use archlint_facts::blocks::child_blocks;
use archlint_facts::names::{ScopeKind, names_bound_in};

rule! {
    /// ## What it does
    /// Flags a `__del__` method that does what a finalizer cannot do safely: store `self`
    /// somewhere (`registry.append(self)`, `Cache.last = self` — resurrection, an error);
    /// take a lock, start a thread or touch an event loop (anywhere in it); and, outside
    /// `try`/`except`, do I/O or logging (`open`, `print`, `logging`/`logger` calls) or read
    /// a module global (an import, a module-level function or variable). One finding per
    /// kind of problem, at its first occurrence; a global read is reported only when nothing
    /// else is.
    ///
    /// ## Why it matters
    /// Guide §2 (reference counting and garbage collection): `__del__` runs whenever the
    /// last reference goes — in the middle of other code, on whichever thread dropped it,
    /// inside the cyclic collector, or during interpreter shutdown when module globals have
    /// been set to `None`. A lock it takes may be held by the code it interrupted (deadlock);
    /// an exception is printed and ignored; storing `self` resurrects the object. The guide's
    /// best practices recommend cleanup in `__del__`; `weakref.finalize` or a context manager
    /// does it without these traps. The data model's note on `__del__` says as much
    /// ("`__del__()` can be executed during interpreter shutdown", "can be invoked when
    /// arbitrary code is being executed, including from any arbitrary thread"), on every
    /// build.
    ///
    /// ## Example
    /// ```python
    /// import logging
    ///
    /// class Connection:
    ///     def __del__(self):
    ///         logging.info("closing %s", self)
    ///         self.close()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import weakref
    ///
    /// class Connection:
    ///     def __init__(self, sock):
    ///         self._finalizer = weakref.finalize(self, sock.close)
    ///
    ///     def close(self):
    ///         self._finalizer()
    /// ```
    pub static FRAGILE_DEL_FINALIZER = Rule {
        code: "RUN010",
        name: "fragile-del-finalizer",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Problem {
    Resurrection,
    Locking,
    IoOrLogging,
    ModuleGlobal,
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(def) = stmt else { return };
    if def.name.as_str() != "__del__" || cx.scopes.current_kind() != ScopeKind::Class {
        return;
    }
    let module_names = names_bound_in(cx.module_body);
    let mut walk = Walk {
        cx,
        module_names: &module_names,
        in_try: false,
        found: Vec::new(),
    };
    walk.visit_body(&def.body);
    // A global read is worth its own finding only when nothing worse was found (the logger
    // or lock the other findings name is usually that global).
    let only_globals = walk.found.iter().all(|(p, ..)| *p == Problem::ModuleGlobal);
    let mut seen = FxHashSet::default();
    let findings: Vec<(Problem, TextRange, String)> = walk
        .found
        .into_iter()
        .filter(|(problem, ..)| only_globals || *problem != Problem::ModuleGlobal)
        .filter(|(problem, ..)| seen.insert(*problem))
        .collect();
    for (problem, range, what) in findings {
        let (message, severity) = match problem {
            Problem::Resurrection => (
                format!(
                    "`__del__` stores `self` ({what}): the object comes back to life after its finalizer ran, and is never finalized again; release resources without keeping the object"
                ),
                Severity::Error,
            ),
            Problem::Locking => (
                format!(
                    "`__del__` {what}: it runs whenever the last reference drops, on any thread and inside other code, so it can deadlock or run during shutdown; use `weakref.finalize` or a context manager"
                ),
                Severity::Warning,
            ),
            Problem::IoOrLogging => (
                format!(
                    "`__del__` {what} outside `try`: at interpreter shutdown the stream or logger may be gone and the error is only printed; use `weakref.finalize` or a context manager"
                ),
                Severity::Warning,
            ),
            Problem::ModuleGlobal => (
                format!(
                    "`__del__` reads the module global `{what}` outside `try`: during interpreter shutdown module globals may already be `None`; bind what it needs at creation (`weakref.finalize` arguments) or guard it"
                ),
                Severity::Warning,
            ),
        };
        cx.report_rated(range, message, Some(severity), None);
    }
}

struct Walk<'c, 'a, 'n> {
    cx: &'c FileContext<'a>,
    module_names: &'n FxHashSet<&'a str>,
    in_try: bool,
    found: Vec<(Problem, TextRange, String)>,
}

impl<'a> Visitor<'a> for Walk<'_, 'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Try(try_stmt) if !try_stmt.handlers.is_empty() => {
                let outer = std::mem::replace(&mut self.in_try, true);
                self.visit_body(&try_stmt.body);
                self.in_try = outer;
                // The handlers, `else` and `finally`: the blocks after the body.
                for block in child_blocks(stmt).into_iter().skip(1) {
                    self.visit_body(block);
                }
            }
            Stmt::With(with) => {
                if let Some(item) = with
                    .items
                    .iter()
                    .find(|i| is_lock(&i.context_expr, self.cx))
                {
                    let lock = self.cx.text(item.context_expr.range());
                    self.found.push((
                        Problem::Locking,
                        item.context_expr.range(),
                        format!("takes the lock `{lock}`"),
                    ));
                }
                walk_stmt(self, stmt);
            }
            Stmt::Assign(assign) if is_self(&assign.value) => {
                if let Some(target) = assign.targets.iter().find(|t| !matches!(t, Expr::Name(_))) {
                    let target = self.cx.text(target.range());
                    self.found.push((
                        Problem::Resurrection,
                        stmt.range(),
                        format!("in `{target}`"),
                    ));
                }
                walk_stmt(self, stmt);
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => return,
            Expr::Name(name)
                if name.ctx.is_load()
                    && !self.in_try
                    && self.module_names.contains(name.id.as_str()) =>
            {
                self.found
                    .push((Problem::ModuleGlobal, expr.range(), name.id.to_string()));
            }
            Expr::Call(call) => self.call(call),
            _ => {}
        }
        walk_expr(self, expr);
    }
}

impl Walk<'_, '_, '_> {
    fn call(&mut self, call: &ast::ExprCall) {
        let callee = self
            .cx
            .qualified_name(&call.func)
            .or_else(|| literal::dotted(&call.func))
            .unwrap_or_default();
        let method = match call.func.as_ref() {
            Expr::Attribute(attribute) => attribute.attr.as_str(),
            _ => "",
        };
        let range = call.range();
        if call.arguments.args.iter().any(is_self)
            && matches!(
                method,
                "append" | "add" | "insert" | "appendleft" | "setdefault" | "put"
            )
        {
            self.found.push((
                Problem::Resurrection,
                range,
                format!("`{}`", self.cx.text(range)),
            ));
        }
        let locking = (method == "acquire"
            && matches!(call.func.as_ref(), Expr::Attribute(a) if is_lock(&a.value, self.cx)))
            || callee.starts_with("threading.")
            || callee.starts_with("asyncio.")
            || matches!(
                method,
                "call_soon" | "call_soon_threadsafe" | "run_until_complete" | "create_task"
            );
        if locking {
            self.found.push((
                Problem::Locking,
                range,
                format!("calls `{}`", self.cx.text(call.func.range())),
            ));
            return;
        }
        if self.in_try {
            return;
        }
        let logs = callee.starts_with("logging.")
            || (matches!(
                method,
                "debug" | "info" | "warning" | "warn" | "error" | "exception" | "critical" | "log"
            ) && matches!(call.func.as_ref(), Expr::Attribute(a)
                    if literal::terminal_name(&a.value).is_some_and(|n| n.to_ascii_lowercase().contains("log"))));
        if logs
            || matches!(
                callee.as_str(),
                "open" | "print" | "builtins.open" | "builtins.print"
            )
        {
            self.found.push((
                Problem::IoOrLogging,
                range,
                format!("calls `{}`", self.cx.text(call.func.range())),
            ));
        }
    }
}

fn is_self(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(name) if name.id.as_str() == "self")
}
