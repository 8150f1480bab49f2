use super::flow::{self, Kind};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags, inside a loop, operations at the front of a list that shift every other item:
    /// `items.pop(0)`, `del items[0]`, `items.insert(0, x)`, `items = items[1:]`, when the
    /// list outlives the iteration (bound before the loop, or an attribute, not the loop
    /// variable or an item of it).
    ///
    /// `pop(0)` and `del items[0]` are flagged unless the receiver is known to be something
    /// else (a `deque`, a `dict`, a `bytearray`); `insert(0, x)` and `items = items[1:]`
    /// only when the receiver is known to be a list (a display, a comprehension, `list(...)`,
    /// `sorted(...)`, `str.split(...)`, an annotation, an attribute set to one in
    /// `__init__`): widgets have `insert(0, text)`, and `text = text[1:]` is a string. Not
    /// flagged: a list bound inside the loop or by its target (a new list each time, shifted
    /// once), and lists of modules such as `sys.path`, whose order is their meaning.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering, "use `collections.deque` for queue operations,
    /// O(1) append/pop from both ends"): a list stores its items contiguously, so removing or
    /// inserting at index 0 moves all the others; draining a list of n items from the front
    /// costs O(n²). `collections.deque` does `popleft()`/`appendleft()` in O(1), and an index
    /// that walks forward avoids the copies of `items[1:]`.
    ///
    /// ## Example
    /// ```python
    /// def breadth_first(root):
    ///     queue = [root]
    ///     while queue:
    ///         node = queue.pop(0)
    ///         queue.extend(node.children)
    ///         yield node
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from collections import deque
    ///
    /// def breadth_first(root):
    ///     queue = deque([root])
    ///     while queue:
    ///         node = queue.popleft()
    ///         queue.extend(node.children)
    ///         yield node
    /// ```
    pub static LIST_FRONT_OPERATION_IN_LOOP = Rule {
        code: "PERF008",
        name: "list-front-operation-in-loop",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Call { targets: &[".pop", ".insert"], run: check_call },
            Check::Stmt { kinds: &[NodeKind::StmtDelete, NodeKind::StmtAssign], run: check_stmt },
        ]),
    };
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    let Some(receiver) = call.receiver() else {
        return;
    };
    if !call.keywords().is_empty() {
        return;
    }
    let shown = cx.text(receiver.range());
    let (operation, must_be_list, fix) = match (call.method, call.args()) {
        (Some("pop"), [index]) if literal::int(index) == Some(0) => (
            format!("{shown}.pop(0)"),
            false,
            "`collections.deque` and `popleft()`",
        ),
        (Some("insert"), [index, _]) if literal::int(index) == Some(0) => (
            format!("{shown}.insert(0, ...)"),
            true,
            "`collections.deque` and `appendleft()`",
        ),
        _ => return,
    };
    report(cx, receiver, call.range(), &operation, must_be_list, fix);
}

fn check_stmt(stmt: &Stmt, cx: &mut FileContext) {
    match stmt {
        Stmt::Delete(delete) => {
            for target in &delete.targets {
                let Expr::Subscript(subscript) = target else {
                    continue;
                };
                if literal::int(&subscript.slice) == Some(0) {
                    let operation = format!("del {}[0]", cx.text(subscript.value.range()));
                    let fix = "`collections.deque` and `popleft()`";
                    report(cx, &subscript.value, stmt.range(), &operation, false, fix);
                }
            }
        }
        Stmt::Assign(assign) => {
            let [Expr::Name(target)] = assign.targets.as_slice() else {
                return;
            };
            let Expr::Subscript(subscript) = assign.value.as_ref() else {
                return;
            };
            let Expr::Slice(slice) = subscript.slice.as_ref() else {
                return;
            };
            let drops_front = slice.lower.as_deref().and_then(literal::int) == Some(1)
                && slice.upper.is_none()
                && slice.step.is_none();
            if drops_front && matches!(subscript.value.as_ref(), Expr::Name(n) if n.id == target.id)
            {
                let operation = format!("{0} = {0}[1:]", target.id);
                let fix = "an index that moves forward, or `collections.deque` and `popleft()`";
                report(cx, &subscript.value, stmt.range(), &operation, true, fix);
            }
        }
        _ => {}
    }
}

/// Reports `operation` on `receiver` at `range` when it runs in a loop on a list that
/// outlives the iteration.
fn report(
    cx: &mut FileContext,
    receiver: &Expr,
    range: TextRange,
    operation: &str,
    must_be_list: bool,
    fix: &str,
) {
    let Some(loop_stmt) = flow::enclosing_loop(cx, range) else {
        return;
    };
    // `for seq in sequences: del seq[0]`: another list each iteration, shifted once.
    if let Stmt::For(for_stmt) = loop_stmt {
        let mut names = rustc_hash::FxHashSet::default();
        archlint_facts::names::target_names(&for_stmt.target, &mut names);
        if names.iter().any(|name| flow::mentions(receiver, name)) {
            return;
        }
    }
    // `del sys.path[0]`: a module's list, whose order is its meaning.
    if cx.imported_name(receiver).is_some() {
        return;
    }
    let kind = match receiver {
        Expr::Name(name) => {
            let name = name.id.as_str();
            let is_slice = |s: &Stmt| matches!(s, Stmt::Assign(a) if a.range() == range);
            if flow::rebinds(flow::loop_body(loop_stmt), name, &is_slice) {
                return;
            }
            flow::name_kind(cx, name, loop_stmt.start())
        }
        Expr::Attribute(attribute) if flow::is_self_attribute(receiver, &attribute.attr) => {
            flow::init_value(cx, &attribute.attr).and_then(|value| flow::value_kind(value, cx))
        }
        // An attribute or an item of something: a list kept across iterations, whose type
        // is not known.
        Expr::Attribute(_) | Expr::Subscript(_) if !must_be_list => None,
        _ => return,
    };
    match kind {
        Some(Kind::List) => {}
        None if !must_be_list => {}
        _ => return,
    }
    cx.report(
        range,
        format!("`{operation}` in a loop moves every other item of the list each time; use {fix}"),
    );
}
