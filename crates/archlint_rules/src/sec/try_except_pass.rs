use super::swallowed_exceptions;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `except:` and `except Exception:` clauses whose whole body is `pass`. With
    /// `[tool.archlint.security] check-typed-exception = true`, clauses catching any type.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture) and §7 (error handling): an error swallowed without a
    /// trace hides failed security checks, half-done writes and attacks in progress; nobody
    /// learns that anything went wrong.
    ///
    /// ## Example
    /// ```python
    /// def load(path):
    ///     try:
    ///         return read_config(path)
    ///     except Exception:
    ///         pass
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import logging
    ///
    /// def load(path):
    ///     try:
    ///         return read_config(path)
    ///     except FileNotFoundError:
    ///         logging.info("no config at %s; using defaults", path)
    /// ```
    pub static TRY_EXCEPT_PASS = Rule {
        code: "SEC110",
        name: "try-except-pass",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B110"), Peer::same("ruff", "S110")],
        check: Check::Stmt { kinds: &[NodeKind::StmtTry], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    swallowed_exceptions::report(
        stmt,
        cx,
        |s| matches!(s, Stmt::Pass(_)),
        "`except` with only `pass` silences every error; catch the exceptions you expect and log or handle them",
    );
}
