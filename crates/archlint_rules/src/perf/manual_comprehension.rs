use super::flow::{self, Binding, Kind};
use crate::prelude::*;
use archlint_facts::names::target_names;
use ruff_python_ast::comparable::ComparableExpr;
use rustc_hash::FxHashSet;

rule! {
    /// ## What it does
    /// Flags a `for` loop (or `async for`) whose body only adds to a list or dict, as ruff's
    /// PERF401, PERF402 and PERF403 do: the body is one statement, or one `if` without
    /// `elif`/`else` around one statement, and that statement is
    /// - `result.append(f(x))` on a list (bound to a display, a comprehension, `list()`, or
    ///   annotated `list`) that the appended value and the condition do not read: a list
    ///   comprehension, or `result.extend(...)` when the list is not a fresh empty one;
    /// - `result.append(x)` of the loop variable itself, with no condition: a copy,
    ///   `list(items)` or `result.extend(items)`;
    /// - `result[k] = v` on a dict (a display, a comprehension, `dict()`, or annotated
    ///   `dict`), where `k` and `v` are loop variables: a dict comprehension, or
    ///   `result.update(...)`.
    ///
    /// The loop variables must not be read after the loop (a comprehension keeps them to
    /// itself), and the collection's binding must be the name's first in the function (a
    /// name bound to something else before may still hold it on some path), as in ruff.
    ///
    /// Where this differs from ruff, on purpose: loops whose target is a tuple (`for key,
    /// value in pairs: out.append(key)`) are flagged, since the comprehension takes the same
    /// target, and so are loops that first unpack the loop variable into names used only
    /// there (`name, line = entry`, folded into the comprehension's target); a copy whose
    /// loop variable is read after the loop is not flagged (ruff's PERF402 does not check,
    /// and `list(items)` would leave that variable unbound).
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering, generator pipelines and comprehensions): a
    /// comprehension states that the loop only builds a collection, runs without the
    /// per-item `append` attribute lookup and call (about 10–25% faster on CPython 3.10 and
    /// 3.11), and keeps its variables out of the function's namespace. A copy is one C-level
    /// call with `list(items)`.
    ///
    /// ## Example
    /// ```python
    /// def names(users):
    ///     result = []
    ///     for user in users:
    ///         if user.active:
    ///             result.append(user.name)
    ///     return result
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def names(users):
    ///     return [user.name for user in users if user.active]
    /// ```
    pub static MANUAL_COMPREHENSION = Rule {
        code: "PERF015",
        name: "manual-comprehension",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[
            Peer::same("ruff", "PERF401"),
            Peer::same("ruff", "PERF402"),
            Peer::same("ruff", "PERF403"),
        ],
        check: Check::Stmt { kinds: &[NodeKind::StmtFor], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::For(for_stmt) = stmt else { return };
    let mut loop_names = FxHashSet::default();
    target_names(&for_stmt.target, &mut loop_names);
    if loop_names.is_empty() || !plain_target(&for_stmt.target) {
        return;
    }
    // `name, line = entry` first: the names join the target, `entry` must be one of it.
    let (unpacked, body) = match for_stmt.body.as_slice() {
        [Stmt::Assign(assign), rest @ ..] if !rest.is_empty() => match unpacking(assign) {
            Some((source, names)) if loop_names.contains(source) => (Some((source, names)), rest),
            _ => (None, &for_stmt.body[..]),
        },
        body => (None, body),
    };
    let (statement, condition) = match body {
        [Stmt::If(if_stmt)] => {
            let [inner] = if_stmt.body.as_slice() else {
                return;
            };
            if !if_stmt.elif_else_clauses.is_empty() {
                return;
            }
            (inner, Some(&*if_stmt.test))
        }
        [single] => (single, None),
        _ => return,
    };
    let mut used_names: Vec<&str> = loop_names.iter().copied().collect();
    if let Some((source, names)) = &unpacked {
        // The unpacked variable must be read nowhere but in the unpacking.
        if flow::mentions_stmt(statement, source)
            || condition.is_some_and(|c| flow::mentions(c, source))
        {
            return;
        }
        used_names.extend(names.iter().copied());
    }
    let finding = match statement {
        Stmt::Expr(expression) => appended(for_stmt, expression, condition, unpacked.is_some(), cx),
        Stmt::Assign(assign) => stored(for_stmt, assign, condition, &loop_names, cx),
        _ => None,
    };
    let Some((range, message)) = finding else {
        return;
    };
    // A comprehension's variables do not outlive it.
    if flow::read_after(flow::scope_body(cx), &used_names, for_stmt.end()) {
        return;
    }
    cx.report(range, message);
}

/// A target of names only (`x`, `key, value`, `(a, (b, c))`), no attributes or items.
fn plain_target(target: &Expr) -> bool {
    match target {
        Expr::Name(_) => true,
        Expr::Tuple(tuple) => tuple.elts.iter().all(plain_target),
        Expr::List(list) => list.elts.iter().all(plain_target),
        _ => false,
    }
}

/// `a, b = source` with names only on the left: the source name and the names bound.
fn unpacking(assign: &ast::StmtAssign) -> Option<(&str, Vec<&str>)> {
    let [target @ (Expr::Tuple(_) | Expr::List(_))] = assign.targets.as_slice() else {
        return None;
    };
    let Expr::Name(source) = assign.value.as_ref() else {
        return None;
    };
    if !plain_target(target) {
        return None;
    }
    let mut names = FxHashSet::default();
    target_names(target, &mut names);
    Some((source.id.as_str(), names.into_iter().collect()))
}

/// `result.append(value)`: PERF401, or PERF402 for a copy.
fn appended(
    for_stmt: &ast::StmtFor,
    expression: &ast::StmtExpr,
    condition: Option<&Expr>,
    unpacked: bool,
    cx: &FileContext,
) -> Option<(TextRange, String)> {
    let Expr::Call(call) = expression.value.as_ref() else {
        return None;
    };
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return None;
    };
    let [value] = call.arguments.args.as_ref() else {
        return None;
    };
    if attribute.attr.as_str() != "append"
        || !call.arguments.keywords.is_empty()
        || value.is_starred_expr()
    {
        return None;
    }
    let Expr::Name(list) = attribute.value.as_ref() else {
        return None;
    };
    let list = list.id.as_str();
    if flow::mentions(value, list) || condition.is_some_and(|c| flow::mentions(c, list)) {
        return None;
    }
    let fresh = fresh_collection(cx, list, for_stmt, Kind::List)?;
    let is_copy = !for_stmt.is_async
        && condition.is_none()
        && !unpacked
        && matches!((value, for_stmt.target.as_ref()), (Expr::Name(v), Expr::Name(t)) if v.id == t.id);
    let iterable = cx.text(for_stmt.iter.range());
    let comprehension = if for_stmt.is_async {
        "an async list comprehension"
    } else {
        "a list comprehension"
    };
    let message = match (is_copy, fresh) {
        (true, true) => format!(
            "the loop copies `{iterable}` into `{list}` one item at a time; use `{list} = list({iterable})`"
        ),
        (true, false) => format!(
            "the loop copies `{iterable}` into `{list}` one item at a time; use `{list}.extend({iterable})`"
        ),
        (false, true) => format!(
            "`{list}.append(...)` is all the loop does; build `{list}` with {comprehension}"
        ),
        (false, false) => format!(
            "`{list}.append(...)` is all the loop does; use `{list}.extend(...)` with {}",
            if for_stmt.is_async {
                "an async list comprehension"
            } else {
                "a generator expression"
            }
        ),
    };
    Some((call.range(), message))
}

/// `result[key] = value` with both loop variables: PERF403.
fn stored(
    for_stmt: &ast::StmtFor,
    assign: &ast::StmtAssign,
    condition: Option<&Expr>,
    loop_names: &FxHashSet<&str>,
    cx: &FileContext,
) -> Option<(TextRange, String)> {
    let [Expr::Subscript(subscript)] = assign.targets.as_slice() else {
        return None;
    };
    let Expr::Name(dict) = subscript.value.as_ref() else {
        return None;
    };
    let dict = dict.id.as_str();
    let is_loop_name = |e: &Expr| matches!(e, Expr::Name(n) if loop_names.contains(n.id.as_str()));
    // ruff's PERF403: the key and the value are items of the target as written.
    let items: Vec<&Expr> = match for_stmt.target.as_ref() {
        Expr::Tuple(tuple) => tuple.elts.iter().collect(),
        other => vec![other],
    };
    let is_item = |e: &Expr| {
        is_loop_name(e)
            && items
                .iter()
                .any(|i| ComparableExpr::from(*i) == ComparableExpr::from(e))
    };
    if !is_item(&subscript.slice) || !is_item(&assign.value) {
        return None;
    }
    if condition.is_some_and(|c| flow::mentions(c, dict)) {
        return None;
    }
    let fresh = fresh_collection(cx, dict, for_stmt, Kind::Dict)?;
    let comprehension = if for_stmt.is_async {
        "an async dict comprehension"
    } else {
        "a dict comprehension"
    };
    let message = if fresh {
        format!("`{dict}[...] = ...` is all the loop does; build `{dict}` with {comprehension}")
    } else {
        format!(
            "`{dict}[...] = ...` is all the loop does; use `{dict}.update(...)` with {comprehension}"
        )
    };
    Some((assign.range(), message))
}

/// Whether the name holds a collection of `kind` where the loop starts (`None` when it does
/// not, or is not known to), and whether it is a fresh empty one bound just before the loop
/// in the same block, unused in between (then the comprehension can replace its binding).
fn fresh_collection(
    cx: &FileContext,
    name: &str,
    for_stmt: &ast::StmtFor,
    kind: Kind,
) -> Option<bool> {
    let body = flow::scope_body(cx);
    let binding = flow::last_binding_before(body, name, for_stmt.start());
    // As ruff: only the name's first binding in the function says what it holds (a name bound
    // to something else earlier may still hold that on some path).
    if let Some((_, statement)) = binding
        && (flow::parameter(cx, name).is_some()
            || flow::first_binding(body, name)
                .is_some_and(|first| first.range() != statement.range()))
    {
        return None;
    }
    let (value, statement) = match binding {
        Some((Binding::Value { value, annotation }, statement)) => {
            let declared = annotation.and_then(|a| flow::annotation_kind(a, cx));
            if declared.or_else(|| flow::value_kind(value, cx)) != Some(kind) {
                return None;
            }
            (value, statement)
        }
        Some((Binding::Annotation(annotation), _)) => {
            return (flow::annotation_kind(annotation, cx) == Some(kind)).then_some(false);
        }
        Some((Binding::Other, _)) => return None,
        None => {
            let declared = match flow::parameter(cx, name) {
                Some(annotation) => annotation.and_then(|a| flow::annotation_kind(a, cx)),
                None => cx.local_value(name).and_then(|v| flow::value_kind(v, cx)),
            };
            return (declared == Some(kind)).then_some(false);
        }
    };
    // A kind the value's own expression confirms (an annotation may say `list` of a call).
    let single_target = !matches!(statement, Stmt::Assign(assign) if assign.targets.len() > 1);
    let empty = single_target
        && match value {
            Expr::List(list) => list.elts.is_empty(),
            Expr::Dict(dict) => dict.is_empty(),
            Expr::Call(call) => {
                call.arguments.is_empty() && cx.resolves_to(&call.func, &["list", "dict"])
            }
            _ => false,
        };
    let same_block = flow::block_of(cx, for_stmt.range());
    let in_same_block = same_block.iter().any(|s| s.range() == statement.range());
    let between = TextRange::new(statement.end(), for_stmt.start());
    let unused_between = !same_block
        .iter()
        .filter(|s| between.contains_range(s.range()))
        .any(|s| flow::mentions_stmt(s, name));
    Some(empty && in_same_block && unused_between)
}
