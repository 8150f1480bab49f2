use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use rustc_hash::FxHashSet;

use super::locks::is_lock;
use crate::prelude::*;
use archlint_facts::names::names_bound_in;

rule! {
    /// ## What it does
    /// Finds, across the module, two places that take the same two locks in opposite nesting
    /// order: one `with a:` holding `with b:`, another `with b:` holding `with a:` (or
    /// `with b, a:`). Locks are identified statically: module-level locks by name, and
    /// `self.<attr>` locks per class; locals are left out, since each call has its own.
    ///
    /// ## Why it matters
    /// Guide §2 (fine-grained locking; "can lead to deadlocks if not carefully designed"):
    /// a thread in the first path holds `a` and waits for `b` while a thread in the second
    /// holds `b` and waits for `a` — both wait forever. This is so on every build (the GIL
    /// never prevented it); free-threaded Python runs both paths truly at once, so the
    /// window is wide open.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// accounts_lock = threading.Lock()
    /// audit_lock = threading.Lock()
    ///
    /// def transfer():
    ///     with accounts_lock:
    ///         with audit_lock:
    ///             pass
    ///
    /// def report():
    ///     with audit_lock:
    ///         with accounts_lock:
    ///             pass
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// accounts_lock = threading.Lock()
    /// audit_lock = threading.Lock()
    ///
    /// def transfer():
    ///     with accounts_lock:
    ///         with audit_lock:
    ///             pass
    ///
    /// def report():
    ///     with accounts_lock:
    ///         with audit_lock:
    ///             pass
    /// ```
    pub static LOCK_ORDER_INVERSION = Rule {
        code: "RUN008",
        name: "lock-order-inversion",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Source { run: check },
    };
}

/// One lock taken while another is held.
struct Nesting {
    outer: String,
    inner: String,
    /// Where the inner lock is taken.
    range: TextRange,
}

fn check(cx: &mut FileContext) {
    let module_names = names_bound_in(cx.module_body);
    let mut walk = Walk {
        cx,
        module_names,
        class: None,
        held: Vec::new(),
        nestings: Vec::new(),
    };
    walk.visit_body(cx.module_body);
    let nestings = walk.nestings;
    let mut reported = FxHashSet::default();
    for (index, later) in nestings.iter().enumerate() {
        let Some(earlier) = nestings[..index]
            .iter()
            .find(|n| n.outer == later.inner && n.inner == later.outer)
        else {
            continue;
        };
        let pair = if later.outer < later.inner {
            (&later.outer, &later.inner)
        } else {
            (&later.inner, &later.outer)
        };
        if !reported.insert(pair) {
            continue;
        }
        let line = cx.location(earlier.range.start()).line;
        let message = format!(
            "takes `{}` while holding `{}`, but line {line} takes `{}` while holding `{}`: two threads on these paths can each hold one lock and wait for the other forever; take the two locks in one order everywhere",
            later.inner, later.outer, earlier.inner, earlier.outer
        );
        cx.report(later.range, message);
    }
}

struct Walk<'c, 'a> {
    cx: &'c FileContext<'a>,
    module_names: FxHashSet<&'a str>,
    /// The class whose methods are being walked, for `self.<attr>` locks.
    class: Option<&'a str>,
    held: Vec<String>,
    nestings: Vec<Nesting>,
}

impl<'a> Walk<'_, 'a> {
    /// A name for a lock that is the same object wherever it is written.
    fn identity(&self, lock: &Expr) -> Option<String> {
        match lock {
            Expr::Name(name) if self.module_names.contains(name.id.as_str()) => {
                Some(name.id.to_string())
            }
            Expr::Attribute(attribute) => match attribute.value.as_ref() {
                Expr::Name(owner) if owner.id.as_str() == "self" => {
                    Some(format!("{}.{}", self.class?, attribute.attr))
                }
                // `node.lock` may be a different lock on every call.
                _ => None,
            },
            _ => None,
        }
    }
}

impl<'a> StatementVisitor<'a> for Walk<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ClassDef(class) => {
                let outer = self.class.replace(class.name.as_str());
                self.visit_body(&class.body);
                self.class = outer;
            }
            Stmt::FunctionDef(def) => {
                // A nested function runs later: it does not hold its definer's locks.
                let held = std::mem::take(&mut self.held);
                self.visit_body(&def.body);
                self.held = held;
            }
            Stmt::With(with) => {
                let depth = self.held.len();
                for item in &with.items {
                    if !is_lock(&item.context_expr, self.cx) {
                        continue;
                    }
                    let Some(lock) = self.identity(&item.context_expr) else {
                        continue;
                    };
                    for outer in &self.held {
                        if *outer != lock {
                            self.nestings.push(Nesting {
                                outer: outer.clone(),
                                inner: lock.clone(),
                                range: item.context_expr.range(),
                            });
                        }
                    }
                    self.held.push(lock);
                }
                self.visit_body(&with.body);
                self.held.truncate(depth);
            }
            _ => walk_stmt(self, stmt),
        }
    }
}
