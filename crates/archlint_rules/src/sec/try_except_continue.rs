use super::swallowed_exceptions;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `except:` and `except Exception:` clauses whose whole body is `continue`. With
    /// `[tool.archlint.security] check-typed-exception = true`, clauses catching any type.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture) and §7 (error handling): skipping an item on any
    /// error hides failures and attacks alike; a loop that quietly drops what it cannot
    /// process loses data without a trace.
    ///
    /// ## Example
    /// ```python
    /// def import_rows(rows):
    ///     for row in rows:
    ///         try:
    ///             save(row)
    ///         except Exception:
    ///             continue
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import logging
    ///
    /// def import_rows(rows):
    ///     for row in rows:
    ///         try:
    ///             save(row)
    ///         except ValueError:
    ///             logging.warning("skipping invalid row %r", row)
    /// ```
    pub static TRY_EXCEPT_CONTINUE = Rule {
        code: "SEC112",
        name: "try-except-continue",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B112"), Peer::same("ruff", "S112")],
        check: Check::Stmt { kinds: &[NodeKind::StmtTry], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    swallowed_exceptions::report(
        stmt,
        cx,
        |s| matches!(s, Stmt::Continue(_)),
        "`except` with only `continue` skips every error silently; catch the exceptions you expect and log them",
    );
}
