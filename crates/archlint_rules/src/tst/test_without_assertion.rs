use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

use super::pytest_code::{is_test, markers_of};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a test (a function or method pytest or unittest collects) that checks nothing: no
    /// `assert`, no `pytest.raises`/`warns`/`fail`, no `self.assert*`/`self.fail`, no
    /// `mock.assert_*`, and no call to a helper whose name says it checks (`assert*`,
    /// `check*`, `verify*`, `expect*`) or to a function or method of the same module that
    /// asserts.
    ///
    /// Left alone: tests marked `skip` or `xfail`; tests that call `pytest.skip` or raise;
    /// tests with an empty body; tests with a decorator that checks around them
    /// (`@profiling.function_call_count()`) or a `benchmark` parameter (pytest-benchmark);
    /// and functions that return a value (not tests: pytest warns on them).
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): a test without an assertion passes whatever the code
    /// returns, so it counts towards coverage while catching only crashes. Suites grow such
    /// tests when a check is forgotten or moved into a helper that later stops asserting.
    ///
    /// ## Example
    /// ```python
    /// # file: tests/test_cart.py
    /// from shop.cart import Cart
    ///
    /// def test_total():
    ///     cart = Cart()
    ///     cart.add("apple", price=3)
    ///     cart.total()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: tests/test_cart.py
    /// from shop.cart import Cart
    ///
    /// def test_total():
    ///     cart = Cart()
    ///     cart.add("apple", price=3)
    ///     assert cart.total() == 3
    /// ```
    pub static TEST_WITHOUT_ASSERTION = Rule {
        code: "TST002",
        name: "test-without-assertion",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(def) = stmt else { return };
    if !is_test(def, cx) || trivial(&def.body) {
        return;
    }
    let markers = markers_of(def, cx);
    if markers
        .iter()
        .any(|m| matches!(m.as_str(), "skip" | "skipif" | "xfail" | "benchmark"))
    {
        return;
    }
    // A decorator that skips, or that checks around the call (`@profiling.function_call_count()`).
    let decorated = def.decorator_list.iter().any(|d| {
        let text = cx.text(d.expression.range()).to_ascii_lowercase();
        ["skip", "expectedfailure", "count", "profil", "benchmark"]
            .iter()
            .any(|word| text.contains(word))
            || checking_name(text.rsplit('.').next().unwrap_or_default())
    });
    // pytest-benchmark's fixture measures; a function that returns a value is not a test
    // (Jinja plugins' `TestModule.tests`, pytest warns on a test returning non-None).
    let benchmark = def
        .parameters
        .iter_non_variadic_params()
        .any(|p| p.parameter.name.as_str().starts_with("benchmark"));
    if decorated || benchmark || returns_value(&def.body) {
        return;
    }
    // Most tests check directly; the module's asserting helpers are found once per file, and
    // only for a test that does not.
    if checks(cx, &def.body, &[]) {
        return;
    }
    let helpers = cx.memo("TST002 asserting helpers", || asserting_helpers(cx));
    if !helpers.is_empty() && checks(cx, &def.body, &helpers) {
        return;
    }
    let name = def.name.as_str();
    cx.report(
        def.name.range(),
        format!(
            "test `{name}` asserts nothing: it passes whatever the code returns; assert on the result (`assert ...`, `pytest.raises`)"
        ),
    );
}

/// Whether `body` has a `return <value>` at its top level or in its blocks (not in nested
/// functions).
fn returns_value(body: &[Stmt]) -> bool {
    use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
    struct Returns(bool);
    impl<'b> StatementVisitor<'b> for Returns {
        fn visit_stmt(&mut self, stmt: &'b Stmt) {
            match stmt {
                Stmt::Return(ret) if ret.value.is_some() => self.0 = true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut returns = Returns(false);
    returns.visit_body(body);
    returns.0
}

/// `pass`, `...` or a docstring alone: a placeholder, not a forgotten check.
fn trivial(body: &[Stmt]) -> bool {
    body.iter().all(|stmt| match stmt {
        Stmt::Pass(_) => true,
        Stmt::Expr(expr) => matches!(
            expr.value.as_ref(),
            Expr::StringLiteral(_) | Expr::EllipsisLiteral(_)
        ),
        _ => false,
    })
}

/// Whether a called name says it checks something.
fn checking_name(name: &str) -> bool {
    let name = name.trim_start_matches('_').to_ascii_lowercase();
    [
        "assert", "check", "verify", "expect", "fail", "should", "validate", "ensure", "compare",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
        || name.contains("assert")
}

/// The module's functions and its classes' methods that assert (directly or through another
/// such helper, followed a few times): calling one is a check.
fn asserting_helpers(cx: &FileContext) -> Vec<String> {
    let mut defs: Vec<&ast::StmtFunctionDef> = Vec::new();
    for stmt in cx.module_body {
        match stmt {
            Stmt::FunctionDef(def) => defs.push(def),
            Stmt::ClassDef(class) => defs.extend(class.body.iter().filter_map(|s| match s {
                Stmt::FunctionDef(def) => Some(def),
                _ => None,
            })),
            _ => {}
        }
    }
    let mut helpers: Vec<String> = Vec::new();
    for _ in 0..3 {
        let mut added = false;
        for def in &defs {
            let name = def.name.to_string();
            if helpers.contains(&name) {
                continue;
            }
            if checks(cx, &def.body, &helpers) {
                helpers.push(name);
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    helpers
}

/// Whether `body` checks something: an assertion, or a call of one of `helpers`.
fn checks(cx: &FileContext, body: &[Stmt], helpers: &[String]) -> bool {
    let mut finder = Checks {
        cx,
        helpers,
        found: false,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

struct Checks<'c, 'a> {
    cx: &'c FileContext<'a>,
    helpers: &'c [String],
    found: bool,
}

impl<'b> Visitor<'b> for Checks<'_, '_> {
    fn visit_stmt(&mut self, stmt: &'b Stmt) {
        if self.found {
            return;
        }
        match stmt {
            Stmt::Assert(_) | Stmt::Raise(_) => self.found = true,
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'b Expr) {
        if self.found {
            return;
        }
        if let Expr::Call(call) = expr {
            let called = match call.func.as_ref() {
                Expr::Name(name) => Some(name.id.as_str()),
                Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
                _ => None,
            };
            if let Some(called) = called
                && (checking_name(called)
                    || self.helpers.iter().any(|h| h == called)
                    || matches!(
                        called,
                        "raises"
                            | "warns"
                            | "deprecated_call"
                            | "skip"
                            | "xfail"
                            | "skipTest"
                            | "snapshot"
                    ))
            {
                self.found = true;
                return;
            }
            if let Some(name) = self.cx.qualified_name(&call.func)
                && (name.starts_with("pytest.")
                    || name.starts_with("unittest.")
                    || name.contains(".testing."))
            {
                self.found = true;
                return;
            }
        }
        walk_expr(self, expr);
    }
}
