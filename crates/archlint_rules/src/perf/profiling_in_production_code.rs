use super::flow;
use crate::prelude::*;
use ruff_python_ast::visitor::{self, Visitor};

/// Functions that install a trace or profile hook.
const HOOKS: &[&str] = &[
    "sys.settrace",
    "sys.setprofile",
    "threading.settrace",
    "threading.setprofile",
    "threading.settrace_all_threads",
    "threading.setprofile_all_threads",
];

rule! {
    /// ## What it does
    /// Flags profilers and heap scans left in shipped code (the package; tests, scripts and
    /// benchmarks are not checked): `tracemalloc.start()`, `tracemalloc.take_snapshot()`,
    /// `cProfile.Profile().enable()` (and `runcall`, `with cProfile.Profile()`,
    /// `cProfile.run`), `sys.settrace`/`sys.setprofile`/`threading.settrace` with a
    /// function, `gc.get_objects()`/`gc.get_referrers()`, imports of `line_profiler` and
    /// `memory_profiler`, and the `@profile` decorator `kernprof` injects. Inside a loop,
    /// `tracemalloc.stop()` too: starting and stopping tracing per iteration measures the
    /// tracer.
    ///
    /// Not flagged: removing or restoring a hook (`sys.settrace(None)`, `sys.settrace(old)`),
    /// the calls of modules that install a trace function they define themselves: those
    /// are debuggers, tracers and profilers (`bdb`, `trace`, `profile`), where tracing is the
    /// feature; and measuring helpers shipped inside the package: modules or folders named
    /// `bench*`, `profil*` or `debug*`, and modules importing `pytest` or defining its
    /// `pytest_*` hooks (plugins and fixture libraries). Their imports of `line_profiler`/`memory_profiler` are still reported: a
    /// development tool as a dependency of shipped code.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering, "profiling adds overhead: don't profile in
    /// production unless necessary"): `tracemalloc` records a traceback per allocation, a
    /// trace or profile function runs Python code on every call or line, and a heap scan
    /// walks every live object while holding the GIL. Left on in a service they cost more
    /// than what they measure; `line_profiler`/`memory_profiler` are development tools that
    /// shipped code should not import, and `@profile` is a `NameError` without `kernprof`.
    ///
    /// ## Example
    /// ```python
    /// import tracemalloc
    ///
    /// def handle(request):
    ///     tracemalloc.start()
    ///     response = render(request)
    ///     current, peak = tracemalloc.get_traced_memory()
    ///     tracemalloc.stop()
    ///     return response
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def handle(request):
    ///     return render(request)
    /// ```
    pub static PROFILING_IN_PRODUCTION_CODE = Rule {
        code: "PERF013",
        name: "profiling-in-production-code",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Several(&[
            Check::Call {
                targets: &[
                    "tracemalloc.start",
                    "tracemalloc.take_snapshot",
                    "tracemalloc.stop",
                    "gc.get_objects",
                    "gc.get_referrers",
                    "cProfile.run",
                    "cProfile.runctx",
                    "profile.run",
                    "profile.runctx",
                    "cProfile.Profile",
                    "profile.Profile",
                    ".enable",
                    ".runcall",
                    "sys.settrace",
                    "sys.setprofile",
                    "threading.settrace",
                    "threading.setprofile",
                    "threading.settrace_all_threads",
                    "threading.setprofile_all_threads",
                ],
                run: check_call,
            },
            Check::Import { modules: &["line_profiler", "memory_profiler"], run: check_import },
            Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check_decorator },
        ]),
    };
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    let in_loop = flow::enclosing_loop(cx, call.range()).is_some()
        || flow::in_comprehension(cx, call.range());
    let message = match name.as_str() {
        "tracemalloc.start" | "tracemalloc.stop" if in_loop => format!(
            "`{name}()` on every iteration measures the tracer more than the code; trace once around the whole loop, in a benchmark rather than in shipped code"
        ),
        "tracemalloc.stop" => return,
        "tracemalloc.start" | "tracemalloc.take_snapshot" => format!(
            "`{name}()` in shipped code records a traceback for every allocation; keep memory tracing in tests and benchmarks"
        ),
        "gc.get_objects" | "gc.get_referrers" => format!(
            "`{name}()` walks every object on the heap; keep heap scans in debugging tools, not in shipped code"
        ),
        "cProfile.run" | "cProfile.runctx" | "profile.run" | "profile.runctx" => format!(
            "`{name}(...)` profiles every call in shipped code; run the profiler from a benchmark or `python -m cProfile`"
        ),
        "cProfile.Profile" | "profile.Profile" => {
            // `with cProfile.Profile():` turns profiling on for the block.
            let in_with = matches!(cx.stmt_parents.last(), Some(Stmt::With(with))
                if with.items.iter().any(|item| item.context_expr.range() == call.range()));
            if !in_with {
                return;
            }
            format!(
                "`with {name}()` profiles every call in shipped code; run the profiler from a benchmark or `python -m cProfile`"
            )
        }
        _ if HOOKS.contains(&name.as_str()) => {
            let Some(hook) = call.arg(0) else { return };
            if !installs_foreign_hook(hook, cx) {
                return;
            }
            format!(
                "`{name}(...)` in shipped code calls a Python function on every call or line; keep tracing in debugging and profiling tools"
            )
        }
        _ => {
            // `.enable()` / `.runcall(...)` of a `cProfile.Profile`.
            let Some(receiver) = call.receiver() else {
                return;
            };
            let profiler = match receiver {
                Expr::Call(made) => cx.qualified_name(&made.func),
                other => cx.constructed_by(other),
            };
            if !profiler
                .is_some_and(|p| matches!(p.as_str(), "cProfile.Profile" | "profile.Profile"))
            {
                return;
            }
            format!(
                "`{}.{}()` profiles every call in shipped code; run the profiler from a benchmark or `python -m cProfile`",
                cx.text(receiver.range()),
                call.method.unwrap_or("enable")
            )
        }
    };
    if is_tool_module(cx) || is_measurement_helper(cx) {
        return;
    }
    cx.report(call.range(), message);
}

fn check_import(import: &ImportedModule, cx: &mut FileContext) {
    let top = import.name.split('.').next().unwrap_or_default();
    cx.report(
        import.range,
        format!(
            "`{top}` is a development profiler; shipped code should not import it (profile from a benchmark or with `kernprof`/`mprof`)"
        ),
    );
}

fn check_decorator(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    for decorator in &function.decorator_list {
        // `profile` bound nowhere: the builtin `kernprof` and `memory_profiler` inject.
        let Expr::Name(name) = &decorator.expression else {
            continue;
        };
        if name.id.as_str() == "profile" && cx.scopes.lookup("profile").is_none() {
            cx.report(
                decorator.range(),
                "`@profile` is injected by `kernprof`/`memory_profiler`: without them shipped code fails with `NameError`; remove it before committing",
            );
        }
    }
}

/// Whether the hook installed is a function from elsewhere (imported, or a lambda): not
/// `None`, not a saved hook being restored, not one the module defines (see
/// [`is_tool_module`]).
fn installs_foreign_hook(hook: &Expr, cx: &FileContext) -> bool {
    match hook {
        Expr::Lambda(_) => true,
        Expr::Name(_) | Expr::Attribute(_) => cx.imported_name(hook).is_some(),
        _ => false,
    }
}

/// Whether the module installs a trace or profile function it defines itself (a method of
/// its class through `self`, or one of its functions by name): a debugger, tracer or profiler, whose
/// purpose is what this rule warns about elsewhere.
fn is_tool_module(cx: &FileContext) -> bool {
    struct Finder<'c, 'a> {
        cx: &'c FileContext<'a>,
        defined: rustc_hash::FxHashSet<&'a str>,
        found: bool,
    }
    impl Visitor<'_> for Finder<'_, '_> {
        fn visit_expr(&mut self, expr: &Expr) {
            if let Expr::Call(call) = expr
                && self
                    .cx
                    .qualified_name(&call.func)
                    .is_some_and(|name| HOOKS.contains(&name.as_str()))
                && let Some(hook) = call.arguments.args.first()
            {
                let own = match hook {
                    Expr::Name(name) => self.defined.contains(name.id.as_str()),
                    // A method, or a hook the instance picked among its own methods.
                    Expr::Attribute(attribute) => {
                        matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
                    }
                    _ => false,
                };
                self.found |= own;
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut defined = rustc_hash::FxHashSet::default();
    collect_functions(cx.module_body, &mut defined);
    let mut finder = Finder {
        cx,
        defined,
        found: false,
    };
    finder.visit_body(cx.module_body);
    finder.found
}

/// Whether the module is a measuring helper shipped with the package: a benchmark or profiling
/// module by its name or folder (`wagtail/test/benchmark.py`), or test infrastructure (a module
/// importing `pytest` or defining its `pytest_*` hooks: a plugin or fixture library), where
/// measuring is the point.
fn is_measurement_helper(cx: &FileContext) -> bool {
    let measuring = |name: &str| {
        let name = name.to_ascii_lowercase();
        ["bench", "profil", "debug"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
    };
    let named = cx.path.iter().any(|part| {
        let part = part.to_string_lossy();
        measuring(part.strip_suffix(".py").unwrap_or(&part))
    });
    let pytest_plugin = cx.module_body.iter().any(|stmt| match stmt {
        Stmt::Import(import) => import
            .names
            .iter()
            .any(|alias| alias.name.split('.').next() == Some("pytest")),
        Stmt::ImportFrom(from) => from
            .module
            .as_ref()
            .is_some_and(|m| m.split('.').next() == Some("pytest")),
        Stmt::FunctionDef(def) => def.name.starts_with("pytest_"),
        _ => false,
    });
    named || pytest_plugin
}

/// The names of every function and method defined in `body`, at any depth.
fn collect_functions<'a>(body: &'a [Stmt], names: &mut rustc_hash::FxHashSet<&'a str>) {
    use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
    struct Collector<'n, 'a>(&'n mut rustc_hash::FxHashSet<&'a str>);
    impl<'a> StatementVisitor<'a> for Collector<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::FunctionDef(def) = stmt {
                self.0.insert(def.name.as_str());
            }
            walk_stmt(self, stmt);
        }
    }
    Collector(names).visit_body(body);
}
