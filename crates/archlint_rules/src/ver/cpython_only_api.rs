use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags APIs whose behaviour exists only on CPython: `sys.getrefcount`,
    /// `ctypes.pythonapi`, `ctypes.py_object`, `gc.get_referrers`, `gc.get_referents`,
    /// `gc.freeze`, `sys.setswitchinterval`. Advice (`info`): the project's claims about
    /// other implementations (PyPy, GraalPy) are not read yet, so this cannot tell whether
    /// portability matters to it.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions) and §2 (memory): PyPy and GraalPy have no
    /// reference counts to report, no CPython C API to call and a different collector; code
    /// relying on these runs differently or not at all there.
    ///
    /// ## Example
    /// ```python
    /// import sys
    ///
    /// def is_shared(obj):
    ///     return sys.getrefcount(obj) > 2
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import weakref
    ///
    /// registry = weakref.WeakSet()
    ///
    /// def is_shared(obj):
    ///     return obj in registry
    /// ```
    pub static CPYTHON_ONLY_API = Rule {
        code: "VER012",
        name: "cpython-only-api",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Expr { kinds: &[NodeKind::ExprAttribute, NodeKind::ExprName], run: check },
    };
}

const CPYTHON_ONLY: &[&str] = &[
    "sys.getrefcount",
    "ctypes.pythonapi",
    "ctypes.py_object",
    "gc.get_referrers",
    "gc.get_referents",
    "gc.freeze",
    "sys.setswitchinterval",
];

fn check(expr: &Expr, cx: &mut FileContext) {
    let Some(name) = cx.read_name(expr) else {
        return;
    };
    if CPYTHON_ONLY.contains(&name.as_str()) {
        cx.report(
            expr.range(),
            format!("`{name}` behaves this way only on CPython (PyPy and GraalPy differ); avoid it in code meant to be portable"),
        );
    }
}
