use super::flow::{self, Binding};
use crate::prelude::*;
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};

/// Calls that read the wall clock.
const WALL_CLOCK: &[&str] = &[
    "time.time",
    "time.time_ns",
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "django.utils.timezone.now",
];

rule! {
    /// ## What it does
    /// Flags a subtraction of two wall-clock readings, a duration or an age measured with
    /// `time.time()` (or `time.time_ns()`, `datetime.now()`, `datetime.utcnow()`, django's
    /// `timezone.now()`): both sides are such a call, a local name assigned one, an attribute
    /// `self.<attr>` the class assigns one, or a name unpacked from a container the function
    /// fills with tuples holding one (`cache[key] = (result, now)` … `result, stamp =
    /// cache[key]`).
    ///
    /// Not flagged: differences with timestamps from elsewhere (a file's `st_mtime`, a
    /// database column, a parameter): comparing with those needs the wall clock.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering, `memoize_with_ttl` and the benchmarks): the wall
    /// clock is set by NTP, by an administrator, by daylight-saving changes for naive local
    /// `datetime.now()`, so a difference of two readings can be negative or hours long.
    /// `time.perf_counter()` is the clock for timing code (highest resolution), and
    /// `time.monotonic()` the clock for timeouts and cache TTLs; neither goes backwards.
    ///
    /// ## Example
    /// ```python
    /// import time
    ///
    /// def timed(func):
    ///     start = time.time()
    ///     func()
    ///     return time.time() - start
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import time
    ///
    /// def timed(func):
    ///     start = time.perf_counter()
    ///     func()
    ///     return time.perf_counter() - start
    /// ```
    pub static WALL_CLOCK_DURATION = Rule {
        code: "PERF014",
        name: "wall-clock-duration",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Expr { kinds: &[NodeKind::ExprBinOp], run: check },
    };
}

fn check(expr: &Expr, cx: &mut FileContext) {
    let Expr::BinOp(binop) = expr else { return };
    if binop.op != ast::Operator::Sub {
        return;
    }
    // Most subtractions are arithmetic: no clock module imported, nothing to follow.
    if !["time", "datetime", "django.utils.timezone"]
        .iter()
        .any(|module| cx.imports_module(module))
    {
        return;
    }
    let Some(late) = clock_read(&binop.left, cx, 0) else {
        return;
    };
    let Some(early) = clock_read(&binop.right, cx, 0) else {
        return;
    };
    let clock = if late.starts_with("time.") || early.starts_with("time.") {
        "`time.perf_counter()` for timing or `time.monotonic()` for timeouts and TTLs"
    } else {
        "`time.perf_counter()` for timing or `time.monotonic()` for timeouts and TTLs (a `datetime` only to show the moment)"
    };
    cx.report(
        binop.range(),
        format!(
            "`{}` measures a duration on the wall clock (`{late}`), which jumps when the system time is set; use {clock}",
            cx.text(binop.range())
        ),
    );
}

/// The wall-clock call `expr` reads, directly or through a local name, a `self` attribute or
/// a tuple stored in a container (followed `depth` steps so far).
fn clock_read(expr: &Expr, cx: &FileContext, depth: usize) -> Option<String> {
    if depth > 2 {
        return None;
    }
    match expr {
        Expr::Call(call) => wall_clock_call(call, cx),
        Expr::Name(name) => {
            let name = name.id.as_str();
            let body = flow::scope_body(cx);
            match flow::last_binding_before(body, name, expr.start()) {
                Some((
                    Binding::Value {
                        value: Expr::Call(call),
                        ..
                    },
                    _,
                )) => wall_clock_call(call, cx),
                Some((Binding::Other, stmt)) => unpacked_clock(body, stmt, name, cx, depth),
                _ => None,
            }
        }
        Expr::Attribute(attribute) if flow::is_self_attribute(expr, &attribute.attr) => {
            let class = cx.classes.last()?;
            let mut finder = SelfAssignments {
                attr: attribute.attr.as_str(),
                values: Vec::new(),
            };
            finder.visit_body(&class.body);
            // `self.started = None` (or `0`) until it starts: only the readings count.
            let mut clocks = finder
                .values
                .iter()
                .filter(|value| !literal::is_none(value) && !value.is_number_literal_expr())
                .map(|value| match value {
                    Expr::Call(call) => wall_clock_call(call, cx),
                    _ => None,
                });
            let first = clocks.next()??;
            clocks.all(|clock| clock.is_some()).then_some(first)
        }
        _ => None,
    }
}

fn wall_clock_call(call: &ast::ExprCall, cx: &FileContext) -> Option<String> {
    let name = cx.qualified_name(&call.func)?;
    WALL_CLOCK.contains(&name.as_str()).then_some(name)
}

/// The values of `self.<attr> = value` in a class's methods (every one, so that an attribute
/// set from anything else too is not taken for a clock reading).
struct SelfAssignments<'n, 'a> {
    attr: &'n str,
    values: Vec<&'a Expr>,
}

impl<'a> StatementVisitor<'a> for SelfAssignments<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ClassDef(_) => {}
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    if flow::is_self_attribute(target, self.attr) {
                        self.values.push(&assign.value);
                    }
                }
            }
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                value: Some(value),
                ..
            }) if flow::is_self_attribute(target, self.attr) => self.values.push(value),
            _ => walk_stmt(self, stmt),
        }
    }
}

/// `result, stamp = cache[key]` (or `cache.get(key)`), where the function stores tuples into
/// `cache` whose item at `stamp`'s position is a wall-clock reading.
fn unpacked_clock(
    body: &[Stmt],
    binding: &Stmt,
    name: &str,
    cx: &FileContext,
    depth: usize,
) -> Option<String> {
    let Stmt::Assign(assign) = binding else {
        return None;
    };
    let [Expr::Tuple(targets)] = assign.targets.as_slice() else {
        return None;
    };
    let position = targets
        .elts
        .iter()
        .position(|e| matches!(e, Expr::Name(n) if n.id.as_str() == name))?;
    let container = match assign.value.as_ref() {
        Expr::Subscript(subscript) => literal::dotted(&subscript.value)?,
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Attribute(a) if a.attr.as_str() == "get" => literal::dotted(&a.value)?,
            _ => return None,
        },
        _ => return None,
    };
    struct Stores<'c, 'a> {
        container: &'c str,
        values: Vec<&'a Expr>,
    }
    impl<'a> StatementVisitor<'a> for Stores<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Assign(assign) => {
                    let stores = assign.targets.iter().any(|target| {
                        matches!(target, Expr::Subscript(s)
                            if literal::dotted(&s.value).as_deref() == Some(self.container))
                    });
                    if stores {
                        self.values.push(&assign.value);
                    }
                }
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut stores = Stores {
        container: &container,
        values: Vec::new(),
    };
    stores.visit_body(body);
    let [Expr::Tuple(stored)] = stores.values.as_slice() else {
        return None;
    };
    if stored.elts.len() != targets.elts.len() {
        return None;
    }
    clock_read(&stored.elts[position], cx, depth + 1)
}
