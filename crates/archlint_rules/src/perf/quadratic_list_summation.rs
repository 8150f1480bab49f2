use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags flattening by repeated concatenation: `sum(lists, [])` (or `start=[]`, or
    /// `list()`), and `functools.reduce(operator.add, lists, [])` (with `operator.concat`,
    /// or a `lambda a, b: a + b`). Also with an empty tuple as the start, and
    /// `reduce(operator.concat, seqs)` without one (`concat` only takes sequences).
    ///
    /// ruff's RUF017 flags the `sum` form with a list start; the tuple start and the
    /// `reduce` forms are archlint's. `reduce(operator.iadd, lists, [])` extends one list in
    /// place and is linear: not flagged.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering: algorithmic improvements first): `a + b` on lists
    /// builds a new list, so each step copies everything accumulated so far and flattening n
    /// lists costs O(n²) copies. `itertools.chain.from_iterable` or a nested comprehension
    /// visits each item once.
    ///
    /// ## Example
    /// ```python
    /// def all_tags(posts):
    ///     return sum((post.tags for post in posts), [])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import itertools
    ///
    /// def all_tags(posts):
    ///     return list(itertools.chain.from_iterable(post.tags for post in posts))
    /// ```
    pub static QUADRATIC_LIST_SUMMATION = Rule {
        code: "PERF007",
        name: "quadratic-list-summation",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "RUF017")],
        check: Check::Call { targets: &["sum", "functools.reduce"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if call.is("sum") {
        if call.arg(0).is_none() {
            return;
        }
        let Some(start) = call.argument(1, "start") else {
            return;
        };
        if let Some(kind) = empty_sequence(start, cx) {
            cx.report(
                call.range(),
                format!(
                    "`sum(..., {kind})` copies the accumulated {} once per item (quadratic); use `list(itertools.chain.from_iterable(...))` or a nested comprehension",
                    sequence(kind)
                ),
            );
        }
        return;
    }
    // functools.reduce(function, iterable[, initial])
    let (Some(function), Some(_)) = (call.arg(0), call.arg(1)) else {
        return;
    };
    let operator = match cx.qualified_name(function).as_deref() {
        Some("operator.add") => "operator.add",
        Some("operator.concat") => "operator.concat",
        _ if is_adding_lambda(function) => "lambda a, b: a + b",
        _ => return,
    };
    let initial = call.argument(2, "initial");
    let kind = match initial {
        Some(initial) => match empty_sequence(initial, cx) {
            Some(kind) => kind,
            None => return,
        },
        None if operator == "operator.concat" => "[]",
        None => return,
    };
    cx.report(
        call.range(),
        format!(
            "`functools.reduce({operator}, ...)` copies the accumulated {} once per item (quadratic); use `list(itertools.chain.from_iterable(...))` or a nested comprehension",
            if initial.is_some() { sequence(kind) } else { "sequence" }
        ),
    );
}

/// `[]`, `list()`, `()` or `tuple()`, shown as written.
fn empty_sequence(expr: &Expr, cx: &FileContext) -> Option<&'static str> {
    match expr {
        Expr::List(list) if list.elts.is_empty() => Some("[]"),
        Expr::Tuple(tuple) if tuple.elts.is_empty() => Some("()"),
        Expr::Call(call) if call.arguments.is_empty() => {
            match cx.qualified_name(&call.func).as_deref() {
                Some("list") => Some("list()"),
                Some("tuple") => Some("tuple()"),
                _ => None,
            }
        }
        _ => None,
    }
}

fn sequence(kind: &str) -> &'static str {
    if kind.starts_with('(') || kind.starts_with("tuple") {
        "tuple"
    } else {
        "list"
    }
}

/// `lambda a, b: a + b`.
fn is_adding_lambda(expr: &Expr) -> bool {
    let Expr::Lambda(lambda) = expr else {
        return false;
    };
    let Some(parameters) = &lambda.parameters else {
        return false;
    };
    let names: Vec<&str> = parameters.iter().map(|p| p.name().as_str()).collect();
    let [first, second] = names.as_slice() else {
        return false;
    };
    matches!(lambda.body.as_ref(), Expr::BinOp(ast::ExprBinOp { left, op: ast::Operator::Add, right, .. })
        if matches!(left.as_ref(), Expr::Name(n) if n.id.as_str() == *first)
            && matches!(right.as_ref(), Expr::Name(n) if n.id.as_str() == *second))
}
