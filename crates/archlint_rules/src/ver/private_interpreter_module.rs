use crate::prelude::*;
use archlint_facts::ImportKind;

rule! {
    /// ## What it does
    /// Flags imports of the interpreter's private modules, which are not API and change or
    /// vanish between releases: `_xxsubinterpreters`, `_xxinterpchannels`, `_xxinterpqueues`
    /// (renamed in 3.13, channels gone), `_interpreters`, `_interpchannels`,
    /// `_interpqueues`, `_testcapi`, `_testinternalcapi`, `_imp`, `_opcode`,
    /// `_posixsubprocess`, `_winapi`, `_overlapped`. The message gives the public module
    /// where there is one. Imports under `TYPE_CHECKING` are not flagged.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): the guide's own sub-interpreter example uses
    /// `_xxsubinterpreters`, which Python 3.13 renamed; code on private modules breaks on
    /// upgrade without a deprecation period. Python 3.14 has the public
    /// `concurrent.interpreters`.
    ///
    /// ## Example
    /// ```python
    /// import _xxsubinterpreters as interpreters
    ///
    /// interp = interpreters.create()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from concurrent import interpreters
    ///
    /// interp = interpreters.create()
    /// ```
    pub static PRIVATE_INTERPRETER_MODULE = Rule {
        code: "VER010",
        name: "private-interpreter-module",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "PLC2701")],
        check: Check::Import { modules: MODULES, run: check },
    };
}

const MODULES: &[&str] = &[
    "_xxsubinterpreters",
    "_xxinterpchannels",
    "_xxinterpqueues",
    "_interpreters",
    "_interpchannels",
    "_interpqueues",
    "_testcapi",
    "_testinternalcapi",
    "_imp",
    "_opcode",
    "_posixsubprocess",
    "_winapi",
    "_overlapped",
];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    if import.kind == ImportKind::TypeChecking || cx.already_reported(import.statement) {
        return;
    }
    let module = import.name.split('.').next().unwrap_or_default();
    let advice = match module {
        "_xxsubinterpreters" | "_interpreters" | "_xxinterpchannels" | "_interpchannels"
        | "_xxinterpqueues" | "_interpqueues" => {
            "use `concurrent.interpreters` (Python 3.14) or `InterpreterPoolExecutor`"
        }
        "_imp" => "use `importlib`",
        "_opcode" => "use `dis`",
        "_posixsubprocess" => "use `subprocess`",
        _ => "use a public API; private modules change without notice",
    };
    cx.report(
        import.statement,
        format!(
            "`{module}` is a private interpreter module that changes between releases; {advice}"
        ),
    );
}
