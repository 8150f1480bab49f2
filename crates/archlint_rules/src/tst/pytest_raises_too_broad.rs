use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `pytest.raises` that would pass for the wrong failure:
    /// - a broad exception (`Exception`, `BaseException`, `ValueError`, `OSError`, `IOError`,
    ///   `EnvironmentError`, `socket.error`) without `match=` (or with an empty `match`), as
    ///   ruff's `PT011` does with its default list (the function form,
    ///   `pytest.raises(ValueError, parse, "")`, checks one call and takes no `match`);
    /// - a `with pytest.raises(...)` block holding more than one statement, or one compound
    ///   statement (`if`, `for`, `while`, `try`, `match`; a `with` holding more than one
    ///   simple statement), as ruff's `PT012` does: a definition (testing a decorator) and a
    ///   `for` loop whose body is `pass` (testing an iterator) are fine.
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): `pytest.raises(ValueError)` around three statements
    /// passes when any of them raises any `ValueError`, including one from a typo in the
    /// test's own setup. The test then proves nothing about the line it was written for.
    ///
    /// ## Example
    /// ```python
    /// # file: tests/test_parser.py
    /// import pytest
    ///
    /// def test_parse_rejects_empty(parser):
    ///     with pytest.raises(ValueError):
    ///         config = parser.load("settings.toml")
    ///         parser.parse(config, "")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: tests/test_parser.py
    /// import pytest
    ///
    /// def test_parse_rejects_empty(parser):
    ///     config = parser.load("settings.toml")
    ///     with pytest.raises(ValueError, match="empty input"):
    ///         parser.parse(config, "")
    /// ```
    pub static PYTEST_RAISES_TOO_BROAD = Rule {
        code: "TST007",
        name: "pytest-raises-too-broad",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "PT011"), Peer::same("ruff", "PT012")],
        check: Check::Several(&[
            Check::Call { targets: &["pytest.raises"], run: check_call },
            Check::Stmt { kinds: &[NodeKind::StmtWith], run: check_with },
        ]),
    };
}

/// ruff's default `raises-require-match-for`.
const BROAD: &[&str] = &[
    "Exception",
    "BaseException",
    "ValueError",
    "OSError",
    "IOError",
    "EnvironmentError",
    "socket.error",
];

fn check_call(call: &CallSite, cx: &mut FileContext) {
    // The function form (`pytest.raises(ValueError, parse, "")`) takes no `match=`: it
    // checks one call already.
    if call.args().len() > 1 {
        return;
    }
    let Some(expected) = call.argument(0, "expected_exception") else {
        return;
    };
    let Some(name) = cx.qualified_name(expected) else {
        return;
    };
    let name = name.trim_start_matches("builtins.");
    if !BROAD.contains(&name) {
        return;
    }
    let matched = call.keyword_value("match").is_some_and(|m| match m {
        Expr::StringLiteral(s) => !s.value.to_str().is_empty(),
        Expr::FString(f) => !f.value.iter().all(|p| match p {
            ast::FStringPart::Literal(l) => l.is_empty(),
            ast::FStringPart::FString(f) => f.elements.is_empty(),
        }),
        _ => true,
    });
    if matched {
        return;
    }
    cx.report(
        expected.range(),
        format!(
            "`pytest.raises({name})` passes for any `{name}`, from any line; add `match=` with the message the test is about"
        ),
    );
}

fn check_with(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::With(with) = stmt else { return };
    let raises = with.items.iter().any(|item| {
        matches!(&item.context_expr, Expr::Call(call) if cx.resolves_to(&call.func, &["pytest.raises"]))
    });
    if !raises {
        return;
    }
    let too_much = match with.body.as_slice() {
        [single] => too_complex(single),
        _ => true,
    };
    if !too_much {
        return;
    }
    cx.report(
        stmt.range(),
        "`with pytest.raises(...)` holds more than one simple statement: it passes when any of them raises; keep only the call that should raise inside the block".to_string(),
    );
}

/// Whether the one statement of a `pytest.raises` block is more than the call that should
/// raise. As ruff's `PT012`: a `with` holding one simple statement is fine (entering a
/// context is often what raises), so are a definition (testing a decorator) and a `for` loop
/// whose body is `pass` or `...` (testing an iterator).
fn too_complex(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::With(with) => match with.body.as_slice() {
            [single] => compound(single),
            _ => true,
        },
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) => false,
        Stmt::For(for_stmt) => match for_stmt.body.as_slice() {
            [Stmt::Pass(_)] => false,
            [Stmt::Expr(expr)] => !expr.value.is_ellipsis_literal_expr(),
            _ => true,
        },
        other => compound(other),
    }
}

fn compound(stmt: &Stmt) -> bool {
    matches!(
        stmt,
        Stmt::If(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::With(_)
            | Stmt::Try(_)
            | Stmt::Match(_)
            | Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
    )
}
