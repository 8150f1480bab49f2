use super::flow::{self, Binding, Kind};
use crate::prelude::*;

/// A list or tuple display shorter than this is cheap to scan: only longer ones are reported.
const LONG_DISPLAY: usize = 8;

rule! {
    /// ## What it does
    /// Flags, inside a loop (or a comprehension's element or condition), a linear scan of a
    /// list or tuple held in a name: `x in names`, `x not in names`, `names.index(x)`,
    /// `names.count(x)`, where `names` was bound before the loop to a list comprehension,
    /// `list(...)`, `sorted(...)`, `str.split(...)` (and `splitlines`, `readlines`,
    /// `re.split`, `re.findall`, `shlex.split`), or a list or tuple display of eight items or
    /// more, and the loop neither rebinds nor changes it.
    ///
    /// Not flagged: a name bound inside the loop (a new list each time), a list the loop
    /// changes (`seen.append(x)` after `if x not in seen` needs a set kept beside it, a
    /// different fix), short displays and splits of a short literal (`x in ("a", "b")`,
    /// `"a b c".split()`: a few comparisons), parameters and attributes whose type is not
    /// known. Nor `names.remove(x)` in a loop: it removes one occurrence per call, a multiset
    /// difference that filtering once does not reproduce. ruff's PLR6201 (preview) asks for
    /// set literals in place of inline tuple and list literals, a different case.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering, "use sets for membership testing"): `in` on a list
    /// compares against every item, so a loop over `n` items testing a list of `m` items is
    /// O(n·m); a `set` (or a `dict` from item to position for `index`, a
    /// `collections.Counter` for `count`) built once answers in O(1).
    ///
    /// ## Example
    /// ```python
    /// def unknown_users(events, users):
    ///     known = [user.name for user in users]
    ///     return [event for event in events if event.user not in known]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def unknown_users(events, users):
    ///     known = {user.name for user in users}
    ///     return [event for event in events if event.user not in known]
    /// ```
    pub static COLLECTION_SCAN_IN_LOOP = Rule {
        code: "PERF004",
        name: "collection-scan-in-loop",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "PLR6201")],
        check: Check::Several(&[
            Check::Expr { kinds: &[NodeKind::ExprCompare], run: check_membership },
            Check::Call { targets: &[".index", ".count"], run: check_method },
        ]),
    };
}

fn check_membership(expr: &Expr, cx: &mut FileContext) {
    let Expr::Compare(compare) = expr else { return };
    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
        if !matches!(op, ast::CmpOp::In | ast::CmpOp::NotIn) {
            continue;
        }
        let Expr::Name(name) = right else { continue };
        let Some(built) = scanned_collection(cx, name.id.as_str(), compare.range()) else {
            continue;
        };
        let operator = if matches!(op, ast::CmpOp::In) {
            "in"
        } else {
            "not in"
        };
        cx.report(
            compare.range(),
            format!(
                "`{operator} {}` scans {built} on every iteration; build a `set` of it once before the loop",
                name.id
            ),
        );
        return;
    }
}

fn check_method(call: &CallSite, cx: &mut FileContext) {
    let Some(Expr::Name(name)) = call.receiver() else {
        return;
    };
    let (Some(method), [_]) = (call.method, call.args()) else {
        return;
    };
    if !call.keywords().is_empty() {
        return;
    }
    let Some(built) = scanned_collection(cx, name.id.as_str(), call.range()) else {
        return;
    };
    let fix = if method == "index" {
        "build a `dict` from item to position once before the loop"
    } else {
        "count them all once before the loop with `collections.Counter`"
    };
    cx.report(
        call.range(),
        format!(
            "`{}.{method}(...)` scans {built} on every iteration; {fix}",
            name.id
        ),
    );
}

/// What `name` holds, described for the message, when it is a list or tuple built before the
/// loop that repeats `at`, which neither rebinds nor changes it.
fn scanned_collection(cx: &FileContext, name: &str, at: TextRange) -> Option<String> {
    let repeated = flow::enclosing_loop(cx, at);
    if repeated.is_none() && !flow::in_comprehension(cx, at) {
        return None;
    }
    let value = match flow::last_binding_before(flow::scope_body(cx), name, at.start()) {
        Some((Binding::Value { value, .. }, _)) => value,
        Some(_) => return None,
        None if flow::parameter(cx, name).is_some() => return None,
        None => cx.local_value(name)?,
    };
    if let Some(loop_stmt) = repeated {
        let body = flow::loop_body(loop_stmt);
        // Bound in the loop: a new collection each time, scanned once.
        if loop_stmt.range().contains_range(value.range())
            || flow::rebinds(body, name, &|_| false)
            || flow::mutates(body, name)
        {
            return None;
        }
    }
    let built = match (value, flow::value_kind(value, cx)?) {
        (Expr::List(list), Kind::List) if list.elts.len() >= LONG_DISPLAY => {
            format!("the {}-item list `{name}`", list.elts.len())
        }
        (Expr::Tuple(tuple), Kind::Tuple) if tuple.elts.len() >= LONG_DISPLAY => {
            format!("the {}-item tuple `{name}`", tuple.elts.len())
        }
        (Expr::List(_) | Expr::Tuple(_), _) => return None,
        (Expr::ListComp(_), _) => format!("the list `{name}` (a comprehension)"),
        (Expr::Call(call), Kind::List) => {
            if is_short_split(call) {
                return None;
            }
            if let Expr::Attribute(attribute) = call.func.as_ref()
                && let Some(text) = literal::str_ref(&attribute.value)
            {
                // `"GET HEAD POST".split()`: a display written as a string.
                let items = text.split_whitespace().count();
                if call.arguments.is_empty() && items >= LONG_DISPLAY {
                    return Some(format!("the {items}-item list `{name}`"));
                }
                return None;
            }
            let callee = match call.func.as_ref() {
                Expr::Attribute(attribute) if cx.imported_name(&call.func).is_none() => {
                    format!(".{}", attribute.attr)
                }
                func => cx.qualified_name(func)?,
            };
            format!("the list `{name}` (from `{callee}(...)`)")
        }
        _ => return None,
    };
    Some(built)
}

/// `text.split(",", 1)`: a split with a small literal `maxsplit` gives a list of a few items.
fn is_short_split(call: &ast::ExprCall) -> bool {
    let maxsplit = call
        .arguments
        .find_argument_value("maxsplit", 1)
        .and_then(literal::int);
    maxsplit.is_some_and(|n| (0..LONG_DISPLAY as i64).contains(&n))
}
