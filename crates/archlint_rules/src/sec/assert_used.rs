use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `assert` statements outside test files (the `test-files` globs: `tests/`,
    /// `test_*.py`, `*_test.py`, `conftest.py` by default).
    ///
    /// Unlike bandit, which flags every `assert` unless told to skip paths, archlint leaves
    /// test files alone: there `assert` is how pytest works, and flagging it is noise.
    ///
    /// ## Why it matters
    /// Guide §8 (security, input validation): Python removes `assert` statements when run
    /// with `-O`, so a permission or input check written as an `assert` silently disappears
    /// in an optimised deployment.
    ///
    /// ## Example
    /// ```python
    /// def withdraw(account, amount):
    ///     assert account.owner == current_user(), "not your account"
    ///     account.balance -= amount
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def withdraw(account, amount):
    ///     if account.owner != current_user():
    ///         raise PermissionError("not your account")
    ///     account.balance -= amount
    /// ```
    pub static ASSERT_USED = Rule {
        code: "SEC101",
        name: "assert-used",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B101"), Peer::same("ruff", "S101")],
        check: Check::Stmt { kinds: &[NodeKind::StmtAssert], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    if cx.role == Role::Tests {
        return;
    }
    cx.report(
        stmt.range(),
        "`assert` is removed when Python runs with `-O`; raise an exception for checks that must hold in production",
    );
}
