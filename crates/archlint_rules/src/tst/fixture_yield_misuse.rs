use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::visitor::{Visitor, walk_expr};

use super::pytest_code::is_fixture;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags two mistakes in `yield` fixtures (functions decorated with `@pytest.fixture`):
    /// - a second `yield`, or a `yield` inside a loop: pytest resumes the fixture once for
    ///   its teardown and fails the test with "fixture function has more than one 'yield'"
    ///   when it yields again;
    /// - an `except` clause of a `try` whose body is the fixture's `yield` alone: pytest does not
    ///   throw the test's exception into the fixture, so the handler never sees a failing
    ///   test (only `finally` and the code after `yield` run at teardown).
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): fixtures are where a suite sets up and tears down
    /// resources. An `except` written to clean up or roll back when the test fails is dead
    /// code, so the rollback never happens and state leaks into the next test; a second
    /// `yield` turns every test that uses the fixture into an error at teardown.
    ///
    /// ## Example
    /// ```python
    /// # file: tests/conftest.py
    /// import pytest
    ///
    /// @pytest.fixture
    /// def transaction(db):
    ///     tx = db.begin()
    ///     try:
    ///         yield tx
    ///     except Exception:
    ///         tx.rollback()
    ///         raise
    ///     tx.commit()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: tests/conftest.py
    /// import pytest
    ///
    /// @pytest.fixture
    /// def transaction(db):
    ///     tx = db.begin()
    ///     try:
    ///         yield tx
    ///     finally:
    ///         tx.rollback()
    /// ```
    pub static FIXTURE_YIELD_MISUSE = Rule {
        code: "TST012",
        name: "fixture-yield-misuse",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(def) = stmt else { return };
    if !is_fixture(def, cx) {
        return;
    }
    let mut finder = Yields::default();
    finder.visit_body(&def.body);
    let name = def.name.as_str();
    if let Some(range) = finder.in_loop {
        cx.report(
            range,
            format!(
                "fixture `{name}` yields inside a loop: pytest resumes it once for teardown and fails when it yields again; yield once"
            ),
        );
    } else if let [_, second, ..] = finder.yields.as_slice() {
        cx.report(
            *second,
            format!(
                "fixture `{name}` has a second `yield`: pytest fails at teardown (\"more than one 'yield'\"); yield once and put the teardown after it"
            ),
        );
    }
    for handler in finder.dead_handlers {
        cx.report(
            handler,
            format!(
                "this `except` around fixture `{name}`'s `yield` never runs when the test fails: pytest does not throw the test's exception into the fixture; use `finally`, or the code after `yield`"
            ),
        );
    }
}

#[derive(Default)]
struct Yields {
    yields: Vec<TextRange>,
    in_loop: Option<TextRange>,
    loops: usize,
    dead_handlers: Vec<TextRange>,
}

impl Yields {
    /// The `yield`s of a statement's own expressions (not of nested statements).
    fn yields_in(stmt: &Stmt) -> Vec<TextRange> {
        struct Finder(Vec<TextRange>);
        impl<'b> Visitor<'b> for Finder {
            fn visit_expr(&mut self, expr: &'b Expr) {
                match expr {
                    Expr::Yield(y) => self.0.push(y.range),
                    Expr::Lambda(_) => {}
                    _ => walk_expr(self, expr),
                }
            }
            fn visit_stmt(&mut self, stmt: &'b Stmt) {
                match stmt {
                    Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                    _ => ruff_python_ast::visitor::walk_stmt(self, stmt),
                }
            }
        }
        let mut finder = Finder(Vec::new());
        finder.visit_stmt(stmt);
        finder.0
    }
}

impl<'b> StatementVisitor<'b> for Yields {
    fn visit_stmt(&mut self, stmt: &'b Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::For(_) | Stmt::While(_) => {
                self.loops += 1;
                walk_stmt(self, stmt);
                self.loops -= 1;
            }
            Stmt::Try(try_stmt) => {
                let before = self.yields.len();
                self.visit_body(&try_stmt.body);
                // Only a `try` around the `yield` alone: with setup or teardown code beside
                // it, the handler still catches what that code raises.
                if self.yields.len() > before && try_stmt.body.len() == 1 {
                    self.dead_handlers.extend(
                        try_stmt
                            .handlers
                            .iter()
                            .map(Ranged::range)
                            .map(|r| TextRange::at(r.start(), ruff_text_size::TextSize::from(6))),
                    );
                }
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    self.visit_body(&handler.body);
                }
                self.visit_body(&try_stmt.orelse);
                self.visit_body(&try_stmt.finalbody);
            }
            // One branch runs: count the branch with the most `yield`s.
            Stmt::If(if_stmt) => {
                let before = std::mem::take(&mut self.yields);
                let mut most: Vec<TextRange> = Vec::new();
                let branches = std::iter::once(&if_stmt.body)
                    .chain(if_stmt.elif_else_clauses.iter().map(|c| &c.body));
                for body in branches {
                    self.visit_body(body);
                    let found = std::mem::take(&mut self.yields);
                    if found.len() > most.len() {
                        most = found;
                    }
                }
                self.yields = before;
                self.yields.extend(most);
            }
            Stmt::Expr(_) | Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::Return(_) => {
                let found = Self::yields_in(stmt);
                if self.loops > 0 && self.in_loop.is_none() {
                    self.in_loop = found.first().copied();
                }
                self.yields.extend(found);
            }
            _ => walk_stmt(self, stmt),
        }
    }
}
