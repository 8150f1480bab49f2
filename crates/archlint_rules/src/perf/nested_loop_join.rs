use super::flow;
use crate::prelude::*;
use archlint_facts::names::target_names;
use rustc_hash::FxHashSet;

rule! {
    /// ## What it does
    /// Flags a `for` loop nested in another `for` loop whose whole body is one `if` (without
    /// `else`) testing that a field or key of the outer item equals one of the inner item:
    /// `a.id == b.order_id`, `a["sku"] == b["sku"]`, `a == b.parent` (alone or as one
    /// condition of an `and`). The inner iterable must not depend on the outer item (then
    /// it walks the item's own children, not a second collection).
    ///
    /// Not flagged: comparisons of the items themselves (`a == b`), inequalities, inner
    /// loops that do more than the guarded block, and loops under a `while`.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering: algorithmic improvements before
    /// micro-optimizations): testing every pair of `A` × `B` is O(n·m). Indexing one side in
    /// a `dict` keyed by the compared field (or grouping it in lists, when keys repeat) once,
    /// then looking each item of the other side up, is O(n + m): a hash join.
    ///
    /// ## Example
    /// ```python
    /// def attach_lines(orders, lines):
    ///     for order in orders:
    ///         for line in lines:
    ///             if line.order_id == order.id:
    ///                 order.lines.append(line)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from collections import defaultdict
    ///
    /// def attach_lines(orders, lines):
    ///     by_order = defaultdict(list)
    ///     for line in lines:
    ///         by_order[line.order_id].append(line)
    ///     for order in orders:
    ///         order.lines.extend(by_order[order.id])
    /// ```
    pub static NESTED_LOOP_JOIN = Rule {
        code: "PERF009",
        name: "nested-loop-join",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtFor], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::For(inner) = stmt else { return };
    let Some(Stmt::For(outer)) = flow::enclosing_loop(cx, stmt.range()) else {
        return;
    };
    let [Stmt::If(guard)] = inner.body.as_slice() else {
        return;
    };
    if !guard.elif_else_clauses.is_empty() {
        return;
    }
    let mut outer_names = FxHashSet::default();
    target_names(&outer.target, &mut outer_names);
    let mut inner_names = FxHashSet::default();
    target_names(&inner.target, &mut inner_names);
    if outer_names.is_empty()
        || inner_names.is_empty()
        || outer_names
            .iter()
            .any(|name| flow::mentions(&inner.iter, name))
    {
        return;
    }
    let conditions: Vec<&Expr> = match guard.test.as_ref() {
        Expr::BoolOp(bool_op) if bool_op.op == ast::BoolOp::And => bool_op.values.iter().collect(),
        other => vec![other],
    };
    for condition in conditions {
        let Expr::Compare(compare) = condition else {
            continue;
        };
        let ([ast::CmpOp::Eq], [right]) = (&*compare.ops, &*compare.comparators) else {
            continue;
        };
        let left = &*compare.left;
        let (inner_key, outer_key) = match (
            key_of(left, &outer_names),
            key_of(right, &outer_names),
            key_of(left, &inner_names),
            key_of(right, &inner_names),
        ) {
            (Some(outer_field), _, _, Some(inner_field)) => (inner_field, outer_field),
            (_, Some(outer_field), Some(inner_field), _) => (inner_field, outer_field),
            _ => continue,
        };
        // `a == b`: comparing the items themselves is a set intersection, not a join.
        if inner_key.is_plain && outer_key.is_plain {
            continue;
        }
        let iterable = cx.text(inner.iter.range());
        let iterable = if iterable.len() <= 40 {
            format!("`{iterable}`")
        } else {
            "the inner iterable".to_string()
        };
        cx.report(
            compare.range(),
            format!(
                "`{}` is tested for every pair of items of the two loops (O(n·m)); index {iterable} once in a `dict` keyed by `{}`, then look up `{}`",
                cx.text(compare.range()),
                cx.text(inner_key.expr.range()),
                cx.text(outer_key.expr.range()),
            ),
        );
        return;
    }
}

struct Key<'a> {
    expr: &'a Expr,
    /// The loop variable itself, not a field of it.
    is_plain: bool,
}

/// `expr` as a key of one of `names`: the name itself, or a chain of attributes, constant
/// subscripts and `.get(<constant>)` calls on it.
fn key_of<'a>(expr: &'a Expr, names: &FxHashSet<&str>) -> Option<Key<'a>> {
    let mut current = expr;
    let mut is_plain = true;
    loop {
        current = match current {
            Expr::Name(name) => {
                return names
                    .contains(name.id.as_str())
                    .then_some(Key { expr, is_plain });
            }
            Expr::Attribute(attribute) => &attribute.value,
            Expr::Subscript(subscript) if literal::is_constant(&subscript.slice) => {
                &subscript.value
            }
            Expr::Call(call) => {
                let Expr::Attribute(attribute) = call.func.as_ref() else {
                    return None;
                };
                let constant_get = attribute.attr.as_str() == "get"
                    && call.arguments.keywords.is_empty()
                    && call
                        .arguments
                        .args
                        .first()
                        .is_some_and(literal::is_constant);
                if !constant_get {
                    return None;
                }
                &attribute.value
            }
            _ => return None,
        };
        is_plain = false;
    }
}
