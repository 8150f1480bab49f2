//! The `except` clauses SEC110 and SEC112 look at: bare or `except Exception:` (any type with
//! `check-typed-exception = true`), whose whole body is one statement.

use crate::prelude::*;

/// Calls `found` for each handler of a `try` statement that catches everything (or, with
/// `check-typed-exception`, anything) and whose body is the single statement `only`.
fn handlers_with_only(
    stmt: &Stmt,
    cx: &FileContext,
    only: fn(&Stmt) -> bool,
    mut found: impl FnMut(&ast::ExceptHandlerExceptHandler),
) {
    let Stmt::Try(try_stmt) = stmt else { return };
    for handler in &try_stmt.handlers {
        let ast::ExceptHandler::ExceptHandler(handler) = handler;
        let catches_everything = match handler.type_.as_deref() {
            None => true,
            Some(Expr::Name(name)) => name.id.as_str() == "Exception",
            Some(_) => false,
        };
        if (catches_everything || cx.options.check_typed_exception)
            && let [statement] = handler.body.as_slice()
            && only(statement)
        {
            found(handler);
        }
    }
}

/// Reports each handler of `stmt` whose only statement is `only`, with `message`.
pub fn report(stmt: &Stmt, cx: &mut FileContext, only: fn(&Stmt) -> bool, message: &str) {
    let mut found = Vec::new();
    handlers_with_only(stmt, cx, only, |handler| found.push(handler.range()));
    for range in found {
        cx.report(range, message);
    }
}
