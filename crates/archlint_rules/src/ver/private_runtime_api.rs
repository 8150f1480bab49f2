use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags uses of the interpreter's private runtime functions: `sys._getframe`,
    /// `sys._current_frames`, `sys._is_gil_enabled`, `sys._clear_type_cache`,
    /// `sys._xoptions`, `sys._debugmallocstats`, and private names of `threading`
    /// (`threading._shutdown`, …). A module that tests for the name with
    /// `hasattr(..., "_name")`, or handles `AttributeError`, is taken as guarding its uses
    /// (a check on the whole file, not on the branch).
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions) and §2 (free-threading): private functions differ
    /// between CPython versions and other implementations (PyPy has no `sys._is_gil_enabled`
    /// before 3.13's API existed); public equivalents are stable: `inspect.currentframe()`,
    /// `sysconfig.get_config_var("Py_GIL_DISABLED")`.
    ///
    /// ## Example
    /// ```python
    /// import sys
    ///
    /// caller = sys._getframe(1).f_code.co_name
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import inspect
    ///
    /// caller = inspect.currentframe().f_back.f_code.co_name
    /// ```
    pub static PRIVATE_RUNTIME_API = Rule {
        code: "VER011",
        name: "private-runtime-api",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "SLF001")],
        check: Check::Expr { kinds: &[NodeKind::ExprAttribute, NodeKind::ExprName], run: check },
    };
}

fn replacement(name: &str) -> Option<&'static str> {
    Some(match name {
        "sys._getframe" => "`inspect.currentframe()` (and `.f_back`)",
        "sys._current_frames" => "`threading.enumerate()` with `faulthandler` for dumps",
        "sys._is_gil_enabled" => "`sysconfig.get_config_var(\"Py_GIL_DISABLED\")`",
        "sys._clear_type_cache" => "nothing: it is a CPython debugging aid",
        "sys._xoptions" => "`sys.flags` or an environment variable",
        "sys._debugmallocstats" => "`tracemalloc`",
        _ if name.starts_with("threading._") => "the public `threading` API",
        _ => return None,
    })
}

fn check(expr: &Expr, cx: &mut FileContext) {
    let Some(name) = cx.read_name(expr) else {
        return;
    };
    if name.starts_with("threading.__") {
        return;
    }
    let Some(use_instead) = replacement(&name) else {
        return;
    };
    if guarded(&name, cx) {
        return;
    }
    cx.report(
        expr.range(),
        format!("`{name}` is private to CPython and changes between versions; use {use_instead}"),
    );
}

/// A `hasattr(<module>, "<name>")` test or an `AttributeError` handler in the module: the
/// author expected the name to be missing somewhere.
fn guarded(name: &str, cx: &FileContext) -> bool {
    let Some((_, attribute)) = name.rsplit_once('.') else {
        return false;
    };
    let quoted = [format!("\"{attribute}\""), format!("'{attribute}'")];
    cx.source.contains("hasattr(") && quoted.iter().any(|q| cx.source.contains(q.as_str()))
        || cx.source.contains("except AttributeError")
}
