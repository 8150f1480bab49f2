//! Statement blocks: the bodies a compound statement holds, for rules that reason about what
//! runs before or around a position (a lock taken earlier in the block, the next statement).

use ruff_python_ast::{self as ast, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// The blocks directly inside a compound statement, in source order; the bodies of nested
/// functions and classes are not blocks of the enclosing code.
pub fn child_blocks(stmt: &Stmt) -> Vec<&[Stmt]> {
    match stmt {
        Stmt::If(s) => std::iter::once(s.body.as_slice())
            .chain(s.elif_else_clauses.iter().map(|c| c.body.as_slice()))
            .collect(),
        Stmt::For(s) => vec![&s.body, &s.orelse],
        Stmt::While(s) => vec![&s.body, &s.orelse],
        Stmt::With(s) => vec![&s.body],
        Stmt::Try(s) => {
            let mut blocks = vec![s.body.as_slice()];
            for handler in &s.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = handler;
                blocks.push(&h.body);
            }
            blocks.push(&s.orelse);
            blocks.push(&s.finalbody);
            blocks
        }
        Stmt::Match(s) => s.cases.iter().map(|c| c.body.as_slice()).collect(),
        _ => vec![],
    }
}

/// The `def name` directly in `body` (a function of a module, a method of a class body).
pub fn function_in<'a>(body: &'a [Stmt], name: &str) -> Option<&'a ast::StmtFunctionDef> {
    body.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(def) if def.name.as_str() == name => Some(def),
        _ => None,
    })
}

/// The block of `stmt` that contains `at`.
pub fn block_containing(stmt: &Stmt, at: TextRange) -> Option<&[Stmt]> {
    child_blocks(stmt)
        .into_iter()
        .find(|block| block_range(block).is_some_and(|range| range.contains_range(at)))
}

/// The statement after the one at `target`, searching nested blocks.
pub fn next_statement(body: &[Stmt], target: TextRange) -> Option<&Stmt> {
    for (index, stmt) in body.iter().enumerate() {
        if stmt.range() == target {
            return body.get(index + 1);
        }
        if stmt.range().contains_range(target) {
            return block_containing(stmt, target).and_then(|block| next_statement(block, target));
        }
    }
    None
}

/// From the start of a block's first statement to the end of its last.
pub fn block_range(block: &[Stmt]) -> Option<TextRange> {
    Some(TextRange::new(block.first()?.start(), block.last()?.end()))
}

/// Whether a function body yields (`yield` or `yield from`), not counting nested functions,
/// classes and lambdas: whether the function is a generator.
pub fn yields(body: &[Stmt]) -> bool {
    use ruff_python_ast::Expr;
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if !self.0 && !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Yield(_) | Expr::YieldFrom(_) => self.0 = true,
                Expr::Lambda(_) => {}
                _ if !self.0 => walk_expr(self, expr),
                _ => {}
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_body(body);
    finder.0
}
