use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use rustc_hash::{FxHashMap, FxHashSet};

use super::locks::{LockCall, is_lock, lock_call, releases_lock};
use super::shared::{construction_methods, is_property_getter};
use super::thread_safety::is_changing_method;
use crate::prelude::*;
use archlint_facts::blocks::child_blocks;

rule! {
    /// ## What it does
    /// Looks at each class the way RacerD does: an attribute of `self` that one method
    /// writes while holding a lock (`with self._lock:`, between `acquire()` and `release()`,
    /// or in a `try` whose `finally` releases) is guarded by that lock, and every read or
    /// write of it elsewhere without a lock is flagged — including `return self._value` just
    /// after the `with` block and an unlocked `@property` getter. Unlocked writes are
    /// flagged in every method; unlocked reads in methods that take the lock elsewhere and in
    /// properties — a method that never locks, reading a flag published once under the lock,
    /// is a common idiom left alone. `async with` takes an asyncio lock, which orders
    /// coroutines rather than threads, and guards nothing here. `__init__`, `__new__`,
    /// `__del__`, `__post_init__` and `*_locked` helpers (whose callers hold the lock) are
    /// left alone, and so are nested functions; a private helper that the class only calls
    /// with the lock held (`self._set(...)` inside `with self._lock:`) counts as locked. Each attribute is reported once per method.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): a lock only protects state if every access takes
    /// it. An unlocked read sees a half-updated object or a stale value, and an unlocked write
    /// races the locked ones; free-threaded Python (3.13t, 3.14t) makes this routine. The
    /// guide's `AtomicCounter` returns `self._value` after leaving its lock and exposes it
    /// through an unlocked property. CPython's "Thread Safety Guarantees" page covers
    /// built-in containers only: the attributes of a user-defined object have no per-object
    /// lock, and the class's own lock is the only thing that orders them, so even a single
    /// unlocked access is reported here.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// class AtomicCounter:
    ///     def __init__(self):
    ///         self._value = 0
    ///         self._lock = threading.Lock()
    ///
    ///     def increment(self):
    ///         with self._lock:
    ///             self._value += 1
    ///         return self._value
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// class AtomicCounter:
    ///     def __init__(self):
    ///         self._value = 0
    ///         self._lock = threading.Lock()
    ///
    ///     def increment(self):
    ///         with self._lock:
    ///             self._value += 1
    ///             return self._value
    /// ```
    pub static GUARDED_FIELD_ACCESSED_UNLOCKED = Rule {
        code: "RUN005",
        name: "guarded-field-accessed-unlocked",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtClassDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::ClassDef(class) = stmt else { return };
    let construction = construction_methods(class, cx);
    let methods: Vec<&ast::StmtFunctionDef> = class
        .body
        .iter()
        .filter_map(|s| match s {
            Stmt::FunctionDef(def) => Some(def),
            _ => None,
        })
        .filter(|def| {
            let name = def.name.as_str();
            // `__del__` runs when no other reference is left.
            name != "__del__" && !construction.contains(name) && !name.ends_with("_locked")
        })
        .collect();
    let walks: Vec<MethodWalk> = methods.iter().map(|def| walk_method(def, cx)).collect();
    let called_locked = called_under_lock(&methods, &walks);
    let accesses: Vec<Vec<Access>> = methods
        .iter()
        .zip(walks)
        .map(|(def, walk)| {
            let mut accesses = walk.accesses;
            if called_locked.contains(def.name.as_str()) {
                for access in &mut accesses {
                    access.locked_by = access.locked_by.or(Some("the caller's lock"));
                }
            }
            accesses
        })
        .collect();
    // The lock of each guarded attribute, from the locked writes.
    let guarded: FxHashMap<&str, &str> = accesses
        .iter()
        .flatten()
        .filter_map(|a| Some((a.attr, a.locked_by?)).filter(|_| a.write))
        .collect();
    if guarded.is_empty() {
        return;
    }
    for (def, accesses) in methods.iter().zip(&accesses) {
        // Reads count where the method knows about the lock (it takes it elsewhere) or
        // presents the value (a property); a method that never locks reading a flag set
        // once under the lock is the publish-once idiom, too common to flag.
        let reads_count =
            accesses.iter().any(|a| a.locked_by.is_some()) || is_property_getter(def, cx);
        let mut reported = FxHashSet::default();
        for access in accesses {
            let Some(lock) = guarded.get(access.attr) else {
                continue;
            };
            if access.locked_by.is_some()
                || !(access.write || reads_count)
                || !reported.insert(access.attr)
            {
                continue;
            }
            let verb = if access.write { "writes" } else { "reads" };
            cx.report(
                access.range,
                format!(
                    "`{}()` {verb} `self.{}` without holding `{lock}`, which guards it elsewhere in `{}`; take the lock here too (or read the value while still holding it)",
                    def.name, access.attr, class.name
                ),
            );
        }
    }
}

/// Private helpers (`self._set(...)`) called only with a lock held, directly or from other
/// such helpers: their accesses are locked by their callers.
fn called_under_lock<'a>(
    methods: &[&'a ast::StmtFunctionDef],
    walks: &[MethodWalk],
) -> FxHashSet<&'a str> {
    let mut locked: FxHashSet<&str> = FxHashSet::default();
    loop {
        let before = locked.len();
        for def in methods {
            let name = def.name.as_str();
            if !name.starts_with('_') || name.starts_with("__") || locked.contains(name) {
                continue;
            }
            let call_sites: Vec<bool> = methods
                .iter()
                .zip(walks)
                .flat_map(|(caller, walk)| {
                    let caller_locked = locked.contains(caller.name.as_str());
                    walk.calls
                        .iter()
                        .filter(|call| call.0 == name)
                        .map(move |call| call.1 || caller_locked)
                })
                .collect();
            if !call_sites.is_empty() && call_sites.iter().all(|&is_locked| is_locked) {
                locked.insert(name);
            }
        }
        if locked.len() == before {
            return locked;
        }
    }
}

struct MethodWalk<'a> {
    accesses: Vec<Access<'a>>,
    /// `self.<method>(...)` calls, with whether a lock is held.
    calls: Vec<(&'a str, bool)>,
}

struct Access<'a> {
    attr: &'a str,
    write: bool,
    /// The lock held at the access, as written (`self._lock`).
    locked_by: Option<&'a str>,
    range: TextRange,
}

/// Every `self.<attr>` in a method, with whether it writes and which lock is held, and the
/// method's calls of other methods.
fn walk_method<'a>(def: &'a ast::StmtFunctionDef, cx: &FileContext<'a>) -> MethodWalk<'a> {
    struct Walk<'c, 'a> {
        cx: &'c FileContext<'a>,
        locks: Vec<&'a str>,
        accesses: Vec<Access<'a>>,
        calls: Vec<(&'a str, bool)>,
    }
    impl<'a> Walk<'_, 'a> {
        fn record(&mut self, expr: &'a Expr, write: bool) {
            if let Expr::Attribute(attribute) = expr
                && matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
                && !is_lock(expr, self.cx)
            {
                self.accesses.push(Access {
                    attr: attribute.attr.as_str(),
                    write,
                    locked_by: self.locks.last().copied(),
                    range: expr.range(),
                });
            }
        }
        fn with_lock(&mut self, lock: &'a str, body: &'a [Stmt]) {
            self.locks.push(lock);
            self.visit_body(body);
            self.locks.pop();
        }
    }
    impl<'a> Visitor<'a> for Walk<'_, 'a> {
        fn visit_body(&mut self, body: &'a [Stmt]) {
            let depth = self.locks.len();
            for stmt in body {
                self.visit_stmt(stmt);
                match lock_call(stmt, self.cx) {
                    Some((LockCall::Acquire, lock)) => self.locks.push(lock),
                    Some((LockCall::Release, _)) if self.locks.len() > depth => {
                        self.locks.pop();
                    }
                    _ => {}
                }
            }
            self.locks.truncate(depth);
        }
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::With(with) => {
                    // `async with` takes an asyncio lock: it orders coroutines, not threads.
                    let lock = with
                        .items
                        .iter()
                        .find(|item| !with.is_async && is_lock(&item.context_expr, self.cx))
                        .map(|item| self.cx.text(item.context_expr.range()));
                    for item in &with.items {
                        self.visit_expr(&item.context_expr);
                    }
                    match lock {
                        Some(lock) => self.with_lock(lock, &with.body),
                        None => self.visit_body(&with.body),
                    }
                }
                Stmt::Try(try_stmt) => {
                    match try_stmt
                        .finalbody
                        .iter()
                        .find(|s| releases_lock(s, self.cx))
                    {
                        Some(release) => {
                            let lock = lock_call(release, self.cx).map_or("the lock", |(_, l)| l);
                            self.with_lock(lock, &try_stmt.body);
                        }
                        None => self.visit_body(&try_stmt.body),
                    }
                    // The handlers, `else` and `finally`: the blocks after the body.
                    for block in child_blocks(stmt).into_iter().skip(1) {
                        self.visit_body(block);
                    }
                }
                Stmt::Assign(assign) => {
                    self.visit_expr(&assign.value);
                    for target in &assign.targets {
                        self.visit_target(target);
                    }
                }
                Stmt::AugAssign(assign) => {
                    self.visit_expr(&assign.value);
                    self.visit_target(&assign.target);
                }
                Stmt::AnnAssign(ast::StmtAnnAssign { target, value, .. }) => {
                    if let Some(value) = value {
                        self.visit_expr(value);
                    }
                    self.visit_target(target);
                }
                Stmt::Delete(delete) => {
                    for target in &delete.targets {
                        self.visit_target(target);
                    }
                }
                _ => walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => {}
                Expr::Attribute(_) => {
                    self.record(expr, false);
                    walk_expr(self, expr);
                }
                Expr::Call(call) => {
                    if let Expr::Attribute(method) = call.func.as_ref()
                        && matches!(method.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
                    {
                        self.calls
                            .push((method.attr.as_str(), !self.locks.is_empty()));
                    }
                    if let Expr::Attribute(method) = call.func.as_ref()
                        && is_changing_method(method.attr.as_str())
                        && matches!(method.value.as_ref(), Expr::Attribute(_))
                    {
                        self.record(&method.value, true);
                        for argument in call.arguments.args.iter() {
                            self.visit_expr(argument);
                        }
                        for keyword in call.arguments.keywords.iter() {
                            self.visit_expr(&keyword.value);
                        }
                        return;
                    }
                    walk_expr(self, expr);
                }
                _ => walk_expr(self, expr),
            }
        }
    }
    impl<'a> Walk<'_, 'a> {
        /// An assignment or deletion target: `self.x` and `self.x[k]` write `x`.
        fn visit_target(&mut self, target: &'a Expr) {
            match target {
                Expr::Attribute(_) => self.record(target, true),
                Expr::Subscript(subscript)
                    if matches!(subscript.value.as_ref(), Expr::Attribute(_)) =>
                {
                    self.record(&subscript.value, true);
                    self.visit_expr(&subscript.slice);
                }
                Expr::Tuple(tuple) => tuple.elts.iter().for_each(|e| self.visit_target(e)),
                Expr::List(list) => list.elts.iter().for_each(|e| self.visit_target(e)),
                other => self.visit_expr(other),
            }
        }
    }
    let mut walk = Walk {
        cx,
        locks: Vec::new(),
        accesses: Vec::new(),
        calls: Vec::new(),
    };
    walk.visit_body(&def.body);
    MethodWalk {
        accesses: walk.accesses,
        calls: walk.calls,
    }
}
