use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags mock "assertions" that cannot fail:
    /// - a call to a method a `Mock` does not have but creates on the fly, named like one of
    ///   its assertions without the `assert_` prefix: `m.called_once_with(...)`,
    ///   `m.called_with(...)`, `m.called_once()`, `m.has_calls(...)`, `m.any_call(...)`,
    ///   `m.not_called()` (also inside `assert`);
    /// - an assertion method named but not called: `m.assert_called_once` on its own line.
    ///
    /// ruff's `PGH005` checks the same names; this rule also knows `AsyncMock`'s
    /// `assert_awaited*` methods, and its receiver may be any expression
    /// (`m.mock_calls[0].called_with(...)`, whose `call` object is just as truthy).
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): a `Mock` answers every attribute with another
    /// `Mock`, which is truthy. `m.called_once_with(1)` returns a new mock and checks
    /// nothing, and `assert m.called_with(1)` always passes, so the test stays green when the
    /// code under test stops calling `m`. Python only rejects misspellings that start with
    /// `assert` (`assret_called_with`); these pass silently.
    ///
    /// ## Example
    /// ```python
    /// # file: tests/test_service.py
    /// from unittest import mock
    ///
    /// def test_notifies(service):
    ///     sender = mock.Mock()
    ///     service.run(sender)
    ///     sender.called_once_with("done")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: tests/test_service.py
    /// from unittest import mock
    ///
    /// def test_notifies(service):
    ///     sender = mock.Mock()
    ///     service.run(sender)
    ///     sender.assert_called_once_with("done")
    /// ```
    pub static MOCK_ASSERTION_NO_OP = Rule {
        code: "TST009",
        name: "mock-assertion-no-op",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "PGH005")],
        check: Check::Several(&[
            Check::Call { targets: &[
                ".called_once_with",
                ".called_with",
                ".called_once",
                ".has_calls",
                ".any_call",
                ".not_called",
            ], run: check_call },
            Check::Stmt { kinds: &[NodeKind::StmtExpr], run: check_uncalled },
        ]),
    };
}

/// The assertion methods of `unittest.mock.Mock`.
const ASSERTIONS: &[&str] = &[
    "assert_any_call",
    "assert_called",
    "assert_called_once",
    "assert_called_once_with",
    "assert_called_with",
    "assert_has_calls",
    "assert_not_called",
    "assert_awaited",
    "assert_awaited_once",
    "assert_awaited_with",
    "assert_awaited_once_with",
    "assert_any_await",
    "assert_has_awaits",
    "assert_not_awaited",
];

fn check_call(call: &CallSite, cx: &mut FileContext) {
    let Some(method) = call.method else { return };
    let Some(receiver) = call.receiver() else {
        return;
    };
    let receiver = cx.text(receiver.range());
    cx.report(
        call.range(),
        format!(
            "`{receiver}.{method}(...)` is not a mock assertion: the mock creates the attribute and the call checks nothing; use `{receiver}.assert_{method}(...)`"
        ),
    );
}

fn check_uncalled(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Expr(statement) = stmt else { return };
    let Expr::Attribute(attribute) = statement.value.as_ref() else {
        return;
    };
    let method = attribute.attr.as_str();
    if !ASSERTIONS.contains(&method) {
        return;
    }
    let receiver = cx.text(attribute.value.range());
    cx.report(
        statement.range(),
        format!(
            "`{receiver}.{method}` is named but not called, so it checks nothing; call it: `{receiver}.{method}()`"
        ),
    );
}
