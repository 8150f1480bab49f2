use super::locks::under_lock;
use super::shared::{MUTATORS, is_mutable_container, module_runs_threads, owning_class};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a function that changes a module-level container (a dict, list, set,
    /// `defaultdict`, `deque`, `Counter`, weak container, …) or a container held by a class
    /// body (through `cls.`, `mcs.` or the class's name) without holding a lock: item
    /// assignment or deletion, `+=` on an item, or a mutating method (`append`, `update`,
    /// `setdefault`, `pop`, `add`, `discard`, …). A warning in modules that import a threading
    /// API (`threading`, `concurrent.futures`, thread pools), information elsewhere. Code
    /// under `with <lock>:`, after `<lock>.acquire()`, or in `*_locked` helpers is left alone;
    /// import-time code (module level) is too.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): a module-level container is one object shared by
    /// every thread. Under the GIL most single operations happened to be atomic; on
    /// free-threaded Python (3.13t, 3.14t) concurrent `append`/`update`/item writes race, and
    /// compound updates lose writes even with the GIL. The guide's own metaclass keeps its
    /// `_class_registry` this way.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// _handlers = {}
    ///
    /// def register(name, handler):
    ///     _handlers[name] = handler
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// _handlers = {}
    /// _handlers_lock = threading.Lock()
    ///
    /// def register(name, handler):
    ///     with _handlers_lock:
    ///         _handlers[name] = handler
    /// ```
    pub static MUTABLE_GLOBAL_MUTATED = Rule {
        code: "RUN001",
        name: "mutable-global-mutated",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("pylint", "W0603")],
        check: Check::Several(&[
            Check::Stmt {
                kinds: &[NodeKind::StmtAssign, NodeKind::StmtAugAssign, NodeKind::StmtDelete],
                run: check_statement,
            },
            Check::AnyCall { run: check_call },
        ]),
    };
}

fn check_statement(stmt: &Stmt, cx: &mut FileContext) {
    let targets: &[Expr] = match stmt {
        Stmt::Assign(assign) => &assign.targets,
        Stmt::AugAssign(assign) => std::slice::from_ref(&*assign.target),
        Stmt::Delete(delete) => &delete.targets,
        _ => return,
    };
    let verb = match stmt {
        Stmt::Delete(_) => "deletes an item of",
        Stmt::AugAssign(_) => "updates an item of",
        _ => "assigns an item of",
    };
    for target in targets {
        if let Expr::Subscript(subscript) = target {
            report(&subscript.value, target.range(), verb, cx);
        }
    }
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    let (Some(method), Some(receiver)) = (call.method, call.receiver()) else {
        return;
    };
    if !MUTATORS.contains(&method) {
        return;
    }
    let verb = format!("calls `.{method}()` on");
    report(receiver, call.range(), &verb, cx);
}

fn report(container: &Expr, at: TextRange, verb: &str, cx: &mut FileContext) {
    let Some(function) = cx.enclosing_function() else {
        return;
    };
    let Some(shared) = shared_container(container, cx) else {
        return;
    };
    if under_lock(cx, at) {
        return;
    }
    let threaded = module_runs_threads(cx);
    let (severity, context) = if threaded {
        (Severity::Warning, ", in a module that runs threads")
    } else {
        (Severity::Info, "")
    };
    let message = format!(
        "`{}()` {verb} {shared} without a lock{context}: every thread shares it and the change races under free-threaded Python; take a lock around it or keep the state per instance or call",
        function.name
    );
    cx.report_rated(at, message, Some(severity), None);
}

/// Describes `expr` when it is a container bound at module level or in a class body.
fn shared_container(expr: &Expr, cx: &FileContext) -> Option<String> {
    match expr {
        Expr::Name(name) => {
            let id = name.id.as_str();
            if id.starts_with("__") {
                return None;
            }
            let value = cx.scopes.module_value(id)?;
            is_mutable_container(value, cx).then(|| format!("the module-level `{id}`"))
        }
        Expr::Attribute(attribute) => {
            let Expr::Name(owner) = attribute.value.as_ref() else {
                return None;
            };
            let class = owning_class(owner.id.as_str(), cx)?;
            let value = class_body_value(class, attribute.attr.as_str())?;
            is_mutable_container(value, cx).then(|| {
                format!(
                    "`{}.{}`, a container in the class body",
                    class.name, attribute.attr
                )
            })
        }
        _ => None,
    }
}

/// The value a class body assigns to `name`.
fn class_body_value<'a>(class: &'a ast::StmtClassDef, name: &str) -> Option<&'a Expr> {
    class.body.iter().find_map(|stmt| match stmt {
        Stmt::Assign(assign) => assign
            .targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name))
            .then_some(&*assign.value),
        Stmt::AnnAssign(ast::StmtAnnAssign {
            target,
            value: Some(value),
            ..
        }) => matches!(target.as_ref(), Expr::Name(n) if n.id.as_str() == name).then_some(&**value),
        _ => None,
    })
}
