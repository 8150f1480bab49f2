use super::flow;
use crate::prelude::*;
use ruff_python_ast::visitor::{self, Visitor};

rule! {
    /// ## What it does
    /// Flags cache eviction by a full scan: `min(...)`, `max(...)` or `sorted(...)` over a
    /// long-lived container (`self.<attr>`, `cls.<attr>`, a module or closure variable, or
    /// its `.keys()`/`.values()`/`.items()`) whose result picks the entry to delete (`del
    /// cache[key]`, `cache.pop(key)`), in a function that also inserts into a long-lived
    /// container, so that every insert past the limit pays O(n).
    ///
    /// Not flagged: a scan whose result is not used to delete an entry, scans of local
    /// containers, and functions that only evict.
    ///
    /// ## Why it matters
    /// Guide §2 (`ThreadSafeCache.set`) and §6 (Performance Engineering: appropriate data
    /// structures): finding the least recently used key with `min(self._access_times,
    /// key=self._access_times.get)` walks the whole cache on each insert, so a full cache
    /// costs O(n) per write. `collections.OrderedDict` keeps the order (`move_to_end` on a
    /// hit, `popitem(last=False)` to evict) in O(1), `heapq` gives the smallest in O(log n),
    /// and `functools.lru_cache` does it all for function results.
    ///
    /// ## Example
    /// ```python
    /// import time
    ///
    /// class Cache:
    ///     def __init__(self, size):
    ///         self.size = size
    ///         self.data = {}
    ///         self.used = {}
    ///
    ///     def set(self, key, value):
    ///         if len(self.data) >= self.size:
    ///             oldest = min(self.used, key=self.used.get)
    ///             del self.data[oldest]
    ///             del self.used[oldest]
    ///         self.data[key] = value
    ///         self.used[key] = time.monotonic()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from collections import OrderedDict
    ///
    /// class Cache:
    ///     def __init__(self, size):
    ///         self.size = size
    ///         self.data = OrderedDict()
    ///
    ///     def set(self, key, value):
    ///         self.data[key] = value
    ///         self.data.move_to_end(key)
    ///         if len(self.data) > self.size:
    ///             self.data.popitem(last=False)
    /// ```
    pub static LINEAR_SCAN_EVICTION = Rule {
        code: "PERF010",
        name: "linear-scan-eviction",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Call { targets: &["min", "max", "sorted"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(function) = cx.enclosing_function() else {
        return;
    };
    let Some(scanned) = call.arg(0) else { return };
    let container = match scanned {
        Expr::Call(view) if view.arguments.is_empty() => match view.func.as_ref() {
            Expr::Attribute(a) if matches!(a.attr.as_str(), "keys" | "values" | "items") => {
                &*a.value
            }
            _ => return,
        },
        other => other,
    };
    if !long_lived(container, cx) {
        return;
    }
    let Some(evicted) = evicted_key(call, cx) else {
        return;
    };
    if !inserts(&function.body, cx) {
        return;
    }
    let more = if call.args().len() + call.keywords().len() > 1 {
        ", ..."
    } else {
        ""
    };
    let picked = evicted.map_or(String::new(), |name| format!(" (`{name}`)"));
    cx.report(
        call.range(),
        format!(
            "`{}({}{more})` scans the whole container to pick the entry to evict{picked}, on every insert past the limit (O(n) each); keep the order in a `collections.OrderedDict` (`move_to_end`, `popitem(last=False)`) or a `heapq`, or use `functools.lru_cache`",
            call.name(),
            cx.text(scanned.range())
        ),
    );
}

/// `self.x`, `cls.x`, or a name that outlives the call: a module or closure variable.
fn long_lived(expr: &Expr, cx: &FileContext) -> bool {
    match expr {
        Expr::Attribute(attribute) => {
            matches!(attribute.value.as_ref(), Expr::Name(n) if matches!(n.id.as_str(), "self" | "cls"))
        }
        Expr::Name(name) => {
            let name = name.id.as_str();
            cx.scopes.is_closure_variable(name)
                || cx.scopes.declared_global(name)
                || (flow::parameter(cx, name).is_none() && cx.scopes.module_value(name).is_some())
        }
        _ => false,
    }
}

/// Whether the scan picks an entry to delete: the call is the key of a `del` or `.pop(...)`
/// (`Some(None)`), or its value is assigned to a name (or iterated by a `for`, for `sorted`)
/// that one deletes (`Some(Some(name))`).
fn evicted_key(call: &CallSite, cx: &FileContext) -> Option<Option<String>> {
    let range = call.range();
    let statement = cx.stmt_parents.last()?;
    let body = flow::scope_body(cx);
    // `del cache[min(...)]`, `cache.pop(min(...))`.
    if deletes(body, &|key: &Expr| key.range() == range) {
        return Some(None);
    }
    let name = match statement {
        Stmt::Assign(assign) if assign.value.range() == range => match assign.targets.as_slice() {
            [Expr::Name(name)] => name.id.as_str(),
            _ => return None,
        },
        Stmt::For(for_stmt) if for_stmt.iter.range().contains_range(range) => {
            match for_stmt.target.as_ref() {
                Expr::Name(name) => name.id.as_str(),
                _ => return None,
            }
        }
        _ => return None,
    };
    deletes(
        body,
        &|key: &Expr| matches!(key, Expr::Name(n) if n.id.as_str() == name),
    )
    .then(|| Some(name.to_string()))
}

/// Whether `body` deletes an entry whose key `is_key` accepts: `del c[key]`, `c.pop(key)`.
fn deletes(body: &[Stmt], is_key: &dyn Fn(&Expr) -> bool) -> bool {
    struct Finder<'k> {
        is_key: &'k dyn Fn(&Expr) -> bool,
        found: bool,
    }
    impl Visitor<'_> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Delete(delete) => {
                    self.found |= delete.targets.iter().any(
                        |target| matches!(target, Expr::Subscript(s) if (self.is_key)(&s.slice)),
                    );
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Attribute(attribute) = call.func.as_ref()
                && matches!(attribute.attr.as_str(), "pop" | "remove")
                && call
                    .arguments
                    .args
                    .first()
                    .is_some_and(|key| (self.is_key)(key))
            {
                self.found = true;
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        is_key,
        found: false,
    };
    finder.visit_body(body);
    finder.found
}

/// Whether `body` inserts into a long-lived container: `self.x[k] = v`, `cache[k] = v` on a
/// module or closure variable, or `append`/`add`/`setdefault`/`insert` on one.
fn inserts(body: &[Stmt], cx: &FileContext) -> bool {
    struct Finder<'c, 'a> {
        cx: &'c FileContext<'a>,
        found: bool,
    }
    impl Visitor<'_> for Finder<'_, '_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::Subscript(subscript) if subscript.ctx.is_store() => {
                    self.found |= long_lived(&subscript.value, self.cx);
                }
                Expr::Call(call) => {
                    if let Expr::Attribute(attribute) = call.func.as_ref()
                        && matches!(
                            attribute.attr.as_str(),
                            "append" | "add" | "setdefault" | "insert" | "appendleft"
                        )
                    {
                        self.found |= long_lived(&attribute.value, self.cx);
                    }
                }
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder { cx, found: false };
    finder.visit_body(body);
    finder.found
}
