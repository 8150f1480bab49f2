//! Cyclomatic complexity as radon's `ComplexityVisitor` counts it.
//!
//! A function scores 1 plus its body's decision points: `if`, `elif` and conditional
//! expressions, `for`/`async for`/`while` (one more with an `else`), each `except` handler
//! and a `try`'s `else` (not `except*`: radon checks the node's name, and `TryStar` is not
//! `Try`), each operator of a boolean chain (`a and b or c` is two), each comprehension
//! clause and its `if`s, each `match` case but one irrefutable capture (`case _:` or
//! `case x:`), and each `assert` (whose condition radon does not look into). Decorators,
//! defaults and annotations of a `def` are not its body and do not count; nested functions
//! are scored on their own (closures) and add nothing to the function around them; lambdas
//! are not functions and their decisions count where they stand.
//!
//! A class's own score (`real`) is 1 plus the decisions of its body outside methods plus the
//! scores of its methods; radon reports it averaged: `real / methods` rounded down, plus one
//! when there is more than one method. A module's total, which the maintainability index
//! uses, is 1 plus its top-level decisions plus each top-level function's and class's score
//! less one; closures and inner classes are left out of it, as radon leaves them.

use ruff_python_ast::visitor::{Visitor, walk_comprehension, walk_expr, walk_stmt};
use ruff_python_ast::{
    Comprehension, Expr, Pattern, PatternMatchAs, Stmt, StmtClassDef, StmtFunctionDef,
};

/// A function or method with its score and what it defines inside.
#[derive(Debug)]
pub struct Function<'a> {
    pub def: &'a StmtFunctionDef,
    pub complexity: u32,
    pub closures: Vec<Function<'a>>,
    /// Classes defined in the body (radon scores them nowhere; they are listed as inner blocks).
    pub classes: Vec<Class<'a>>,
}

/// A class with its methods and the classes defined in its body.
#[derive(Debug)]
pub struct Class<'a> {
    pub class: &'a StmtClassDef,
    /// 1 + the class body's decisions + its methods' scores.
    pub real_complexity: u32,
    pub methods: Vec<Function<'a>>,
    pub inner_classes: Vec<Class<'a>>,
}

impl Class<'_> {
    /// The score radon reports: the methods' average, plus one when there are several.
    pub fn complexity(&self) -> u32 {
        match self.methods.len() as u32 {
            0 | 1 => self.real_complexity,
            n => self.real_complexity / n + 1,
        }
    }
}

/// The module's functions and classes, and the total the maintainability index uses.
#[derive(Debug)]
pub struct ModuleComplexity<'a> {
    pub functions: Vec<Function<'a>>,
    pub classes: Vec<Class<'a>>,
    pub total: u32,
}

/// Scores a module's syntax tree.
pub fn score(body: &[Stmt]) -> ModuleComplexity<'_> {
    let mut scope = Scope::default();
    scope.visit_body(body);
    let total = 1
        + scope.decisions
        + scope
            .functions
            .iter()
            .map(|f| f.complexity - 1)
            .sum::<u32>()
        + scope
            .classes
            .iter()
            .map(|c| c.real_complexity - 1)
            .sum::<u32>();
    ModuleComplexity {
        functions: scope.functions,
        classes: scope.classes,
        total,
    }
}

/// A function's own score (its closures scored apart), as [`score`] gives it, without
/// scoring what it defines.
pub fn function_complexity(def: &StmtFunctionDef) -> u32 {
    let mut body = Scope {
        count_only: true,
        ..Scope::default()
    };
    body.visit_body(&def.body);
    1 + body.decisions
}

fn function(def: &StmtFunctionDef) -> Function<'_> {
    let mut body = Scope::default();
    body.visit_body(&def.body);
    Function {
        def,
        complexity: 1 + body.decisions,
        closures: body.functions,
        classes: body.classes,
    }
}

fn class(class: &StmtClassDef) -> Class<'_> {
    let mut body = Scope::default();
    body.visit_body(&class.body);
    let methods_score: u32 = body.functions.iter().map(|m| m.complexity).sum();
    Class {
        class,
        real_complexity: 1 + body.decisions + methods_score,
        methods: body.functions,
        inner_classes: body.classes,
    }
}

/// What radon's visitor gathers over a stretch of code: its decisions, and the functions and
/// classes defined in it (scored separately).
#[derive(Default)]
struct Scope<'a> {
    /// Count the decisions only: what the code defines is skipped, not scored.
    count_only: bool,
    decisions: u32,
    functions: Vec<Function<'a>>,
    classes: Vec<Class<'a>>,
}

impl<'a> Visitor<'a> for Scope<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) if self.count_only => return,
            Stmt::FunctionDef(def) => {
                self.functions.push(function(def));
                return;
            }
            Stmt::ClassDef(definition) => {
                self.classes.push(class(definition));
                return;
            }
            Stmt::Assert(_) => {
                self.decisions += 1;
                return;
            }
            Stmt::If(stmt) => {
                let elifs = stmt
                    .elif_else_clauses
                    .iter()
                    .filter(|clause| clause.test.is_some())
                    .count();
                self.decisions += 1 + elifs as u32;
            }
            Stmt::For(stmt) => self.decisions += 1 + u32::from(!stmt.orelse.is_empty()),
            Stmt::While(stmt) => self.decisions += 1 + u32::from(!stmt.orelse.is_empty()),
            Stmt::Try(stmt) if !stmt.is_star => {
                self.decisions += stmt.handlers.len() as u32 + u32::from(!stmt.orelse.is_empty());
            }
            Stmt::Match(stmt) => {
                let irrefutable = stmt.cases.iter().any(|case| {
                    matches!(
                        &case.pattern,
                        Pattern::MatchAs(PatternMatchAs { pattern: None, .. })
                    )
                });
                self.decisions += (stmt.cases.len() as u32).saturating_sub(u32::from(irrefutable));
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::BoolOp(boolean) => self.decisions += boolean.values.len() as u32 - 1,
            Expr::If(_) => self.decisions += 1,
            _ => {}
        }
        walk_expr(self, expr);
    }

    fn visit_comprehension(&mut self, comprehension: &'a Comprehension) {
        self.decisions += 1 + comprehension.ifs.len() as u32;
        walk_comprehension(self, comprehension);
    }
}

/// radon's rank of a score: A (1–5), B (6–10), C (11–20), D (21–30), E (31–40), F (41+).
pub fn rank(complexity: u32) -> char {
    match complexity {
        0..=5 => 'A',
        6..=10 => 'B',
        11..=20 => 'C',
        21..=30 => 'D',
        31..=40 => 'E',
        _ => 'F',
    }
}
