use crate::prelude::*;
use archlint_facts::ImportKind;

rule! {
    /// ## What it does
    /// Flags unguarded imports of modules that exist only on one Python implementation:
    /// `__pypy__`, `pypyjit`, `rpython` (PyPy), `micropython`, `machine`, `utime`, `ustruct`,
    /// `uasyncio`, `ucollections` (MicroPython), `java` (Jython/GraalPy) and `clr`
    /// (IronPython/pythonnet). Imports inside `try`/`if` are guarded and not flagged.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): on CPython the import fails and takes the whole
    /// module down; the guide's PyPy examples guard such imports with
    /// `try/except ImportError` or `sys.implementation.name`.
    ///
    /// ## Example
    /// ```python
    /// import __pypy__
    ///
    /// strategy = __pypy__.strategy(items)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// try:
    ///     import __pypy__
    /// except ImportError:
    ///     __pypy__ = None
    /// ```
    pub static UNGUARDED_IMPLEMENTATION_MODULE = Rule {
        code: "VER013",
        name: "unguarded-implementation-module",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Import { modules: MODULES, run: check },
    };
}

const MODULES: &[&str] = &[
    "__pypy__",
    "pypyjit",
    "rpython",
    "micropython",
    "machine",
    "utime",
    "ustruct",
    "uasyncio",
    "ucollections",
    "java",
    "clr",
];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    if matches!(
        import.kind,
        ImportKind::Conditional | ImportKind::TypeChecking
    ) || cx.already_reported(import.statement)
    {
        return;
    }
    let module = import.name.split('.').next().unwrap_or_default();
    cx.report(
        import.statement,
        format!("`{module}` exists on one Python implementation only; import it in `try`/`except ImportError` or behind a `sys.implementation.name` check"),
    );
}
