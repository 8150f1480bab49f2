use super::pytest_code::is_fixture;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a call, by its name, to a function of the same module decorated with
    /// `@pytest.fixture`, unless the name is a parameter of an enclosing function (a test
    /// receiving the fixture's value by that name and calling it is fine).
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): a fixture is set up and torn down by pytest and
    /// requested by naming it as a parameter. Called directly, pytest refuses it at run time
    /// ("Fixtures are not meant to be called directly"), and code written that way also skips
    /// the fixture's teardown, its caching per scope and its dependencies.
    ///
    /// ## Example
    /// ```python
    /// # file: tests/test_user.py
    /// import pytest
    ///
    /// @pytest.fixture
    /// def user():
    ///     return {"name": "ada"}
    ///
    /// def test_name():
    ///     assert user()["name"] == "ada"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: tests/test_user.py
    /// import pytest
    ///
    /// @pytest.fixture
    /// def user():
    ///     return {"name": "ada"}
    ///
    /// def test_name(user):
    ///     assert user["name"] == "ada"
    /// ```
    pub static FIXTURE_CALLED_DIRECTLY = Rule {
        code: "TST010",
        name: "fixture-called-directly",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Expr { kinds: &[NodeKind::ExprCall], run: check },
    };
}

fn check(expr: &Expr, cx: &mut FileContext) {
    let Expr::Call(call) = expr else { return };
    let Expr::Name(name) = call.func.as_ref() else {
        return;
    };
    let name = name.id.as_str();
    let fixture = cx.module_body.iter().any(|stmt| {
        matches!(stmt, Stmt::FunctionDef(def) if def.name.as_str() == name && is_fixture(def, cx))
    });
    if !fixture {
        return;
    }
    // The module-level fixture must be what the name reads here: not a parameter, not a
    // local assignment of an enclosing function.
    let shadowed = cx.functions.iter().any(|def| {
        def.parameters.iter().any(|p| p.name().as_str() == name) || assigns(&def.body, name)
    });
    if shadowed {
        return;
    }
    cx.report(
        expr.range(),
        format!(
            "fixture `{name}` is called directly: pytest refuses it at run time; request it as a parameter (`def test_x({name}):`)"
        ),
    );
}

/// Whether `body` assigns `name` at its top level (`name = ...`, `def name`).
fn assigns(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Assign(assign) => assign
            .targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
        Stmt::FunctionDef(def) => def.name.as_str() == name,
        _ => false,
    })
}
