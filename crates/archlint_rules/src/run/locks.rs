//! Locks as several rules recognise them (the runtime and async chapters): the lock types,
//! what looks like a lock, and whether a position in the code holds one.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::FileContext;
use archlint_facts::blocks::{block_containing, block_range};
use archlint_facts::literal;

/// Locks and semaphores that block the thread: `threading` and `multiprocessing`.
pub const THREAD_LOCKS: &[&str] = &[
    "threading.Lock",
    "threading.RLock",
    "threading.Semaphore",
    "threading.BoundedSemaphore",
    "threading.Condition",
    "multiprocessing.Lock",
    "multiprocessing.RLock",
    "multiprocessing.Semaphore",
    "multiprocessing.BoundedSemaphore",
];

/// Locks and semaphores of `asyncio`.
pub const ASYNC_LOCKS: &[&str] = &[
    "asyncio.Lock",
    "asyncio.Semaphore",
    "asyncio.BoundedSemaphore",
    "asyncio.Condition",
];

/// Whether `expr` is a lock: built by one of the lock types above, or named like one
/// (`self._lock`, `cache_mutex`, `segment["lock"]`, `self._cond`, `lock_for(key)`), since
/// most locks are created where the rule cannot see them.
pub fn is_lock(expr: &Expr, cx: &FileContext) -> bool {
    if let Some(made_by) = cx.constructed_by(expr)
        && (THREAD_LOCKS.contains(&made_by.as_str()) || ASYNC_LOCKS.contains(&made_by.as_str()))
    {
        return true;
    }
    let name = match expr {
        Expr::Call(call) => return is_lock(&call.func, cx),
        Expr::Subscript(subscript) => match literal::str_ref(&subscript.slice) {
            Some(key) => key,
            None => return is_lock(&subscript.value, cx),
        },
        other => match literal::terminal_name(other) {
            Some(name) => name,
            None => return false,
        },
    };
    is_lock_name(name)
}

fn is_lock_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let word = name.trim_matches('_');
    (word.ends_with("lock")
        && !["block", "clock", "unlock"]
            .iter()
            .any(|w| word.ends_with(w)))
        || word.contains("mutex")
        || word.contains("semaphore")
        || word
            .split('_')
            .any(|part| matches!(part, "cond" | "condition" | "cv" | "sem" | "rlock"))
}

/// Whether the code at `at` runs with a lock held, as far as the enclosing function shows:
/// inside `with <lock>:`, after `<lock>.acquire()` in an enclosing block (and before its
/// `release()`), in the body of a `try` whose `finally` releases a lock, under
/// `if <lock>.acquire(...):`, or in a function decorated `@synchronized`-like or named
/// `*_locked` (the convention for helpers whose callers hold the lock) or documented as
/// called with the lock held.
pub fn under_lock(cx: &FileContext, at: TextRange) -> bool {
    let function = cx.enclosing_function();
    if let Some(function) = function {
        let name = function.name.as_str();
        if name.ends_with("_locked")
            || name.ends_with("_unlocked")
            || name.ends_with("_nolock")
            || documented_as_called_under_lock(function)
        {
            return true;
        }
        if function.decorator_list.iter().any(|decorator| {
            literal::terminal_name(&decorator.expression).is_some_and(|name| {
                name.to_ascii_lowercase().contains("synchron") || is_lock_name(name)
            }) || is_lock(&decorator.expression, cx)
        }) {
            return true;
        }
    }
    let body = function.map_or(cx.module_body, |f| f.body.as_slice());
    if acquired_before(body, at, cx) {
        return true;
    }
    // A lock held by an enclosing function does not cover a function defined under it.
    let inside = |stmt: &Stmt| {
        function.is_none_or(|f| f.range().contains_range(stmt.range()) && f.range() != stmt.range())
    };
    for parent in cx.stmt_parents.iter().copied().filter(|s| inside(s)) {
        match parent {
            Stmt::With(with)
                if with
                    .items
                    .iter()
                    .any(|item| is_lock(&item.context_expr, cx)) =>
            {
                return true;
            }
            Stmt::Try(try_stmt)
                if try_stmt.finalbody.iter().any(|s| releases_lock(s, cx))
                    && block_range_contains(&try_stmt.body, at) =>
            {
                return true;
            }
            Stmt::If(if_stmt)
                if acquires_lock(&if_stmt.test, cx) && block_range_contains(&if_stmt.body, at) =>
            {
                return true;
            }
            _ => {}
        }
        if let Some(block) = block_containing(parent, at)
            && acquired_before(block, at, cx)
        {
            return true;
        }
    }
    false
}

/// Whether the function's docstring says its callers hold the lock ("This must be called with
/// _shutdown_locks_lock acquired", "Caller must hold the lock").
fn documented_as_called_under_lock(function: &ast::StmtFunctionDef) -> bool {
    let Some(Stmt::Expr(first)) = function.body.first() else {
        return false;
    };
    let Expr::StringLiteral(docstring) = first.value.as_ref() else {
        return false;
    };
    let text = docstring.value.to_str().to_ascii_lowercase();
    text.contains("lock")
        && text.contains("call")
        && ["acquired", "held", "holding", "hold the", "holds the"]
            .iter()
            .any(|phrase| text.contains(phrase))
}

/// Whether a statement of `block` before `at` acquires a lock not released before `at`.
fn acquired_before(block: &[Stmt], at: TextRange, cx: &FileContext) -> bool {
    let mut held: Vec<&str> = Vec::new();
    for stmt in block.iter().take_while(|s| s.end() <= at.start()) {
        match lock_call(stmt, cx) {
            Some((LockCall::Acquire, lock)) => held.push(lock),
            Some((LockCall::Release, lock)) => held.retain(|held| *held != lock),
            None => {}
        }
    }
    !held.is_empty()
}

#[derive(Clone, Copy, PartialEq)]
pub enum LockCall {
    Acquire,
    Release,
}

/// A statement `<lock>.acquire()` / `<lock>.release()`, or a call of a function named for
/// taking or dropping a lock (logging's `_acquireLock()` / `_releaseLock()`), with the lock
/// it names.
pub fn lock_call<'a>(stmt: &Stmt, cx: &FileContext<'a>) -> Option<(LockCall, &'a str)> {
    let call = match stmt {
        Stmt::Expr(statement) => statement.value.as_ref(),
        // `if not lock.acquire(blocking=False): return`: the rest of the block holds it.
        Stmt::If(if_stmt)
            if if_stmt.elif_else_clauses.is_empty()
                && matches!(if_stmt.body.last(), Some(Stmt::Return(_) | Stmt::Raise(_))) =>
        {
            match if_stmt.test.as_ref() {
                Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not => unary.operand.as_ref(),
                _ => return None,
            }
        }
        _ => return None,
    };
    let Expr::Call(call) = call else {
        return None;
    };
    if let Expr::Attribute(method) = call.func.as_ref()
        && is_lock(&method.value, cx)
    {
        let lock = cx.text(method.value.range());
        return match method.attr.as_str() {
            "acquire" => Some((LockCall::Acquire, lock)),
            "release" => Some((LockCall::Release, lock)),
            _ => None,
        };
    }
    let name = literal::terminal_name(&call.func)?.to_ascii_lowercase();
    if !name.contains("lock") {
        return None;
    }
    if name.contains("acquire") {
        Some((LockCall::Acquire, "lock"))
    } else if name.contains("release") {
        Some((LockCall::Release, "lock"))
    } else {
        None
    }
}

fn acquires_lock(test: &Expr, cx: &FileContext) -> bool {
    matches!(test, Expr::Call(call) if matches!(call.func.as_ref(),
        Expr::Attribute(method) if method.attr.as_str() == "acquire" && is_lock(&method.value, cx)))
}

/// A statement that releases a lock.
pub fn releases_lock(stmt: &Stmt, cx: &FileContext) -> bool {
    lock_call(stmt, cx).is_some_and(|(call, _)| call == LockCall::Release)
}

fn block_range_contains(block: &[Stmt], at: TextRange) -> bool {
    block_range(block).is_some_and(|range| range.contains_range(at))
}
