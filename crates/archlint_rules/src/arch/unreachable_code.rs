use crate::prelude::*;
use archlint_facts::blocks::{block_range, child_blocks};

rule! {
    /// ## What it does
    /// Reports code that can never run: statements after a `return`, `raise`, `continue` or
    /// `break` in the same block, after an `if` whose every branch leaves, after a `try`
    /// whose body and handlers all leave (or whose `finally` does), and after a
    /// `while True:` loop with no `break`; and the bodies of `if`/`while` statements whose
    /// condition is a false literal (`if False:`, `while 0:`). One finding per block, from
    /// the first dead statement to the end of the block, as vulture reports it.
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns): shipped code should be code that runs. Dead
    /// statements usually mean a bug — a clean-up that was meant to run, a `return` left in
    /// while debugging, a branch disabled "temporarily" — and they are still read, reviewed
    /// and kept compatible.
    ///
    /// ## Example
    /// ```python
    /// def close(connection):
    ///     return connection.close()
    ///     connection.release()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def close(connection):
    ///     connection.release()
    ///     return connection.close()
    /// ```
    pub static UNREACHABLE_CODE = Rule {
        code: "ARCH014",
        name: "unreachable-code",
        severity: Severity::Warning,
        confidence: Some(Confidence::High),
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("vulture", "V201"), Peer::same("pylint", "W0101")],
        check: Check::Source { run: check },
    };
}

fn check(cx: &mut FileContext) {
    let body = cx.module_body;
    check_block(body, cx);
}

/// Checks one block and every block nested in it (function and class bodies included).
fn check_block(block: &[Stmt], cx: &mut FileContext) {
    if let Some(index) = block.iter().position(|stmt| !falls_through(stmt))
        && let Some(range) = block_range(&block[index + 1..])
        && !only_makes_a_generator(&block[index + 1..])
    {
        let message = format!(
            "this code never runs: it follows a `{}` that always leaves the block; remove it or fix the control flow",
            keyword(&block[index])
        );
        cx.report(range, message);
    }
    for stmt in block {
        match stmt {
            Stmt::FunctionDef(def) => check_block(&def.body, cx),
            Stmt::ClassDef(class) => check_block(&class.body, cx),
            Stmt::If(if_stmt) if literal::is_falsy_literal(&if_stmt.test) => {
                cx.report(
                    if_stmt.test.range(),
                    "this `if` condition is always false, so its body never runs; remove the block",
                );
                for clause in &if_stmt.elif_else_clauses {
                    check_block(&clause.body, cx);
                }
            }
            Stmt::While(while_stmt) if literal::is_falsy_literal(&while_stmt.test) => {
                cx.report(
                    while_stmt.test.range(),
                    "this `while` condition is always false, so its body never runs; remove the loop",
                );
            }
            _ => {
                for inner in child_blocks(stmt) {
                    check_block(inner, cx);
                }
            }
        }
    }
}

/// `raise NotImplementedError` followed by a bare `yield`: the dead `yield` is there on purpose,
/// to make the function a generator (or an async generator) whatever its body does.
fn only_makes_a_generator(dead: &[Stmt]) -> bool {
    dead.iter().all(|stmt| {
        matches!(stmt, Stmt::Expr(expr) if matches!(*expr.value, Expr::Yield(_) | Expr::YieldFrom(_)))
    })
}

fn keyword(stmt: &Stmt) -> &'static str {
    match stmt {
        Stmt::Return(_) => "return",
        Stmt::Raise(_) => "raise",
        Stmt::Continue(_) => "continue",
        Stmt::Break(_) => "break",
        Stmt::If(_) => "if",
        Stmt::Try(_) => "try",
        Stmt::While(_) => "while",
        _ => "statement",
    }
}

fn block_falls_through(block: &[Stmt]) -> bool {
    block.iter().all(falls_through)
}

/// Whether running `stmt` can continue with the next statement.
fn falls_through(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_) => false,
        Stmt::If(if_stmt) => {
            if literal::is_truthy_literal(&if_stmt.test) {
                return block_falls_through(&if_stmt.body);
            }
            let has_else = if_stmt
                .elif_else_clauses
                .last()
                .is_some_and(|c| c.test.is_none());
            !has_else
                || block_falls_through(&if_stmt.body)
                || if_stmt
                    .elif_else_clauses
                    .iter()
                    .any(|clause| block_falls_through(&clause.body))
        }
        Stmt::Try(try_stmt) => {
            if !try_stmt.finalbody.is_empty() && !block_falls_through(&try_stmt.finalbody) {
                return false;
            }
            block_falls_through(&try_stmt.body)
                || try_stmt.handlers.iter().any(|handler| {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    block_falls_through(&handler.body)
                })
        }
        Stmt::While(while_stmt) => {
            !literal::is_truthy_literal(&while_stmt.test) || breaks_out(&while_stmt.body)
        }
        _ => true,
    }
}

/// Whether a loop body holds a `break` of this loop (not of a nested loop or function).
fn breaks_out(body: &[Stmt]) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Break(_) => true,
        Stmt::For(_) | Stmt::While(_) | Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
            // A nested loop's `else` still belongs to this loop.
            match stmt {
                Stmt::For(s) => breaks_out(&s.orelse),
                Stmt::While(s) => breaks_out(&s.orelse),
                _ => false,
            }
        }
        other => child_blocks(other).into_iter().any(breaks_out),
    })
}
