//! Cognitive complexity exactly as complexipy 8.3.0 reports it.
//!
//! Definition (read from complexipy 8.3.0's source, checked against the
//! installed complexipy on every rule; "n" is the nesting level, 0 for the
//! statements of a reported function):
//! - `if`: 1 + n plus its test's expression score; each `elif` and the `else`
//!   a flat 1 (an `elif` adds its test's score, scored at n); every branch
//!   body at n + 1.
//! - `for` / `while` (async too): 1 + n plus the score of the iterable or
//!   test; body at n + 1; the loop's `else` is free and its body stays at n.
//! - `try`: free; its body, `else` and `finally` stay at n; each `except`
//!   (or `except*`) clause 1 + n, its body at n + 1.
//! - `match`: 1 + n once, whatever the number of cases; case bodies at n + 1;
//!   subject, patterns and guards are not scored.
//! - `with` (async too): free and does not nest; its context expressions are
//!   scored.
//! - `break`, `continue`, `pass`, `del`, `global`, imports, `type`: nothing.
//! - Recursion: +1 once when the function's own body (outside nested `def`s,
//!   classes and lambdas, but anywhere else: keyword arguments, f-strings,
//!   comprehensions...) calls the function's bare name (`f(...)`, also from a
//!   method named `f`; `self.f(...)` does not count).
//! - Expressions are scored only in these slots: assignment values (`=`,
//!   augmented, annotated), `return`, `raise` (exception and cause), `assert`
//!   (test and message), expression statements, `for` iterables, `while`/
//!   `if`/`elif` tests and `with` context expressions. Inside an expression
//!   the walk only enters boolean operations, `not`, comparisons, ternaries,
//!   lambdas, comprehensions, positional call arguments, tuple/list/set
//!   elements and dict values. Everything else hides what it contains:
//!   callee, keyword arguments, attribute, subscript, arithmetic, `await`,
//!   `yield`, walrus, f-string, starred, dict keys.
//! - Boolean operators: +1 per sequence of like operators. A boolean
//!   operation starts a sequence unless it is the direct operand of one with
//!   the same operator; a `not` in between starts a new one. `a and b and c`
//!   = 1, `a and b or c` = 2, `a or b and c or d` = 2, `a and b or c and d or
//!   e` = 3, `a and not (b and c)` = 2. Only boolean operations and `not` are
//!   looked through here: `a and (x if c else y)` = 1.
//! - Ternary `x if c else y`: 1 + n, its test at n, both branches at n + 1
//!   (`1 if a else 2 if b else 3` = 1 + 2 at n = 0).
//! - Lambda: free; its body is scored at n + 1.
//! - Comprehension: each `for` clause 1 + n plus its iterable at n; each `if`
//!   filter a flat 1 plus its test at n + 1; the element (key and value of a
//!   dict comprehension) at n + 1.
//! - Nested functions are folded into the enclosing one: a `def` that is a
//!   direct statement of a function body is scored at n + 1 (its statements
//!   at n + 1); a `def` inside an `if`/loop/... body takes that body's level
//!   and nothing more; the `def` itself costs nothing. A class defined in a
//!   function adds only its direct methods, scored at the class's own level
//!   (no +1); its other statements and nested classes count nothing.
//! - "Decorator shape": a function whose body is exactly a `def` followed by
//!   a `return` (no docstring) is scored as that inner `def` alone at the
//!   outer level (the `return` is not scored), at every depth; recursion is
//!   still looked for in the outer body (the `return`).
//! - Decorators, default values and annotations are not scored.
//!
//! Departures from SonarSource's whitepaper: Sonar counts recursion per
//! method in any recursion cycle, complexipy +1 once for a direct bare-name
//! self-call only; Sonar nests every nested function and lambda,
//! complexipy nests only `def`s that are direct statements of a function
//! body (not methods of a local class) and skips wrapper bodies through the
//! decorator shape; comprehensions are charged like loops with flat-1
//! filters (no whitepaper rule); boolean sequences, ternaries, lambdas and
//! comprehensions are invisible under any expression node complexipy does
//! not walk (list above) and in decorators, defaults, `match` guards,
//! `except` types, `del`, `yield`, where Sonar would count them; a loop's
//! `else` is free. The rest matches the whitepaper: `elif`/`else` flat +1,
//! `try`/`finally`/`with` free, `except` like `catch` (+1 + n, nests),
//! `match` like `switch` (+1 + n once), ternary +1 + n and nests, no
//! increment for `break`/`continue` (Python has no labelled jumps).
//!
//! complexipy reports module-level functions and the methods of module-level classes (named
//! `Class::method`), at the line of their first decorator; `archlint metrics` gives the score
//! for every function, closures included (the score it would have on its own), at the line of
//! its `def`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, BoolOp, Expr, Stmt};

/// The score complexipy reports for `function` when it is a function it
/// reports (module-level `def` or method). For a `def` nested in another
/// function, this is the score it would get on its own, which complexipy
/// never reports: it folds it into the enclosing function instead.
pub fn cognitive_complexity(function: &ast::StmtFunctionDef) -> u32 {
    let scorer = Scorer;
    let mut score = scorer.def(function, 0);
    if calls_itself(function) {
        score += 1;
    }
    saturate(score)
}

fn saturate(score: u64) -> u32 {
    u32::try_from(score).unwrap_or(u32::MAX)
}

struct Scorer;

impl Scorer {
    fn def(&self, def: &ast::StmtFunctionDef, nesting: u64) -> u64 {
        // why: complexipy's "decorator" shortcut: `def outer(): def inner():
        // ...; return inner` is scored as `inner` alone, at outer's level.
        if let [Stmt::FunctionDef(inner), Stmt::Return(_)] = def.body.as_slice() {
            return self.def(inner, nesting);
        }
        def.body
            .iter()
            .map(|stmt| {
                // why: only a `def` that is a direct statement of a function
                // body gets an extra nesting level.
                let level = if matches!(stmt, Stmt::FunctionDef(_)) {
                    nesting + 1
                } else {
                    nesting
                };
                self.stmt(stmt, level)
            })
            .sum::<u64>()
    }

    fn block(&self, block: &[Stmt], nesting: u64) -> u64 {
        block
            .iter()
            .map(|stmt| self.stmt(stmt, nesting))
            .sum::<u64>()
    }

    fn stmt(&self, stmt: &Stmt, n: u64) -> u64 {
        match stmt {
            Stmt::FunctionDef(def) => self.def(def, n),
            Stmt::ClassDef(class) => class
                .body
                .iter()
                .filter_map(|child| match child {
                    // why: a class in a function contributes its direct
                    // methods only, at the class's own level.
                    Stmt::FunctionDef(def) => Some(self.def(def, n)),
                    _ => None,
                })
                .sum::<u64>(),
            Stmt::Assign(s) => expr(&s.value, n),
            Stmt::AugAssign(s) => expr(&s.value, n),
            Stmt::AnnAssign(s) => s.value.as_deref().map_or(0, |value| expr(value, n)),
            Stmt::Return(s) => s.value.as_deref().map_or(0, |value| expr(value, n)),
            Stmt::Expr(s) => expr(&s.value, n),
            Stmt::Raise(s) => {
                s.exc.as_deref().map_or(0, |e| expr(e, n))
                    + s.cause.as_deref().map_or(0, |e| expr(e, n))
            }
            Stmt::Assert(s) => expr(&s.test, n) + s.msg.as_deref().map_or(0, |e| expr(e, n)),
            Stmt::For(s) => {
                1 + n + expr(&s.iter, n) + self.block(&s.body, n + 1) + self.block(&s.orelse, n)
            }
            Stmt::While(s) => {
                1 + n + expr(&s.test, n) + self.block(&s.body, n + 1) + self.block(&s.orelse, n)
            }
            Stmt::If(s) => {
                let mut score = 1 + n + expr(&s.test, n) + self.block(&s.body, n + 1);
                for clause in &s.elif_else_clauses {
                    // why: elif/else cost a flat 1, with no nesting bonus.
                    score += 1 + clause.test.as_ref().map_or(0, |test| expr(test, n));
                    score += self.block(&clause.body, n + 1);
                }
                score
            }
            Stmt::Try(s) => {
                let mut score = self.block(&s.body, n);
                for handler in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    score += 1 + n + self.block(&handler.body, n + 1);
                }
                score + self.block(&s.orelse, n) + self.block(&s.finalbody, n)
            }
            Stmt::Match(s) => {
                1 + n
                    + s.cases
                        .iter()
                        .map(|case| self.block(&case.body, n + 1))
                        .sum::<u64>()
            }
            Stmt::With(s) => {
                s.items
                    .iter()
                    .map(|item| expr(&item.context_expr, n))
                    .sum::<u64>()
                    + self.block(&s.body, n)
            }
            _ => 0,
        }
    }
}

/// The score of an expression at nesting level `n`. Recursion follows the
/// expression's depth, through the node kinds complexipy walks only.
fn expr(e: &Expr, n: u64) -> u64 {
    match e {
        Expr::BoolOp(b) => sequences(b, None),
        Expr::UnaryOp(u) => operand_sequences(&u.operand, None),
        Expr::Compare(c) => {
            expr(&c.left, n) + c.comparators.iter().map(|c| expr(c, n)).sum::<u64>()
        }
        Expr::If(t) => 1 + n + expr(&t.test, n) + expr(&t.body, n + 1) + expr(&t.orelse, n + 1),
        Expr::Lambda(l) => expr(&l.body, n + 1),
        Expr::ListComp(c) => comprehension(&[&c.elt], &c.generators, n),
        Expr::SetComp(c) => comprehension(&[&c.elt], &c.generators, n),
        Expr::Generator(c) => comprehension(&[&c.elt], &c.generators, n),
        Expr::DictComp(c) => match c.key.as_deref() {
            Some(key) => comprehension(&[key, &c.value], &c.generators, n),
            None => comprehension(&[&c.value], &c.generators, n),
        },
        // why: complexipy looks at positional arguments only, never at the
        // callee or keyword arguments.
        Expr::Call(c) => c.arguments.args.iter().map(|a| expr(a, n)).sum(),
        Expr::Tuple(t) => t.elts.iter().map(|x| expr(x, n)).sum(),
        Expr::List(l) => l.elts.iter().map(|x| expr(x, n)).sum(),
        Expr::Set(s) => s.elts.iter().map(|x| expr(x, n)).sum(),
        // why: dict keys are not scored, values (and `**x` operands) are.
        Expr::Dict(d) => d.items.iter().map(|item| expr(&item.value, n)).sum(),
        _ => 0,
    }
}

fn comprehension(elements: &[&Expr], generators: &[ast::Comprehension], n: u64) -> u64 {
    let mut score = 0;
    for generator in generators {
        score += 1 + n + expr(&generator.iter, n);
        for filter in &generator.ifs {
            score += 1 + expr(filter, n + 1);
        }
    }
    score + elements.iter().map(|e| expr(e, n + 1)).sum::<u64>()
}

/// +1 when `b` starts a new sequence of like operators, plus the sequences
/// in its operands. Only boolean operations and `not` are looked through.
fn sequences(b: &ast::ExprBoolOp, enclosing: Option<BoolOp>) -> u64 {
    let starts = u64::from(enclosing != Some(b.op));
    starts
        + b.values
            .iter()
            .map(|v| operand_sequences(v, Some(b.op)))
            .sum::<u64>()
}

fn operand_sequences(e: &Expr, enclosing: Option<BoolOp>) -> u64 {
    match e {
        Expr::BoolOp(b) => sequences(b, enclosing),
        // why: a `not` breaks the sequence: its operand starts a new one.
        Expr::UnaryOp(u) => operand_sequences(&u.operand, None),
        _ => 0,
    }
}

/// Whether `def`'s body calls `def`'s own bare name, outside nested `def`s,
/// classes and lambdas. An explicit stack keeps long operator chains (deep
/// left-leaning `BinOp`s) from exhausting the call stack.
fn calls_itself(def: &ast::StmtFunctionDef) -> bool {
    let name = def.name.as_str();
    let mut pending: Vec<Node<'_>> = def.body.iter().map(Node::Stmt).collect();
    let mut children = Children::default();
    while let Some(node) = pending.pop() {
        match node {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) => {}
            Node::Expr(Expr::Lambda(_)) => {}
            Node::Expr(Expr::Call(call)) if matches!(call.func.as_ref(), Expr::Name(callee) if callee.id.as_str() == name) =>
            {
                return true;
            }
            Node::Stmt(stmt) => {
                visitor::walk_stmt(&mut children, stmt);
                pending.append(&mut children.0);
            }
            Node::Expr(e) => {
                visitor::walk_expr(&mut children, e);
                pending.append(&mut children.0);
            }
        }
    }
    false
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

/// Collects the immediate child statements and expressions of a node
/// (through parameters, arguments, comprehensions, patterns, f-string
/// parts ... which the default visitor walks) without descending further.
#[derive(Default)]
struct Children<'a>(Vec<Node<'a>>);

impl<'a> Visitor<'a> for Children<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.0.push(Node::Stmt(stmt));
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.0.push(Node::Expr(expr));
    }
}

#[cfg(test)]
mod tests;
