use super::flow::{self, Binding, Kind};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `s += ...` and `s = s + ...` inside a loop when `s` is a local name that was
    /// bound before the loop to a string (a literal, an f-string, `str(...)`, an annotation
    /// `str`, or a parameter annotated `str`) or to bytes, and that the loop does not bind
    /// to anything else. One finding per name and loop, at the first concatenation.
    ///
    /// Not flagged: `+=` on numbers, lists or names whose type is not known; attributes
    /// (`self.text += ...`); a name the loop resets (`line = ""` when a line is full: the
    /// pieces are bounded, and a join would not read better); a string built inside the
    /// loop. pylint's R1713 (consider-using-join) flags only a loop whose whole body is
    /// `s += item`.
    ///
    /// ## Why it matters
    /// Guide §6 (Performance Engineering): strings and bytes are immutable, so each
    /// concatenation copies everything built so far: n pieces cost O(n²). CPython sometimes
    /// resizes a local string in place, but PEP 8 asks not to rely on it ("the optimization is
    /// fragile even in CPython", and absent in PyPy), and it never applies to `bytes`.
    /// Collecting the pieces in a list and joining once is linear everywhere.
    ///
    /// ## Example
    /// ```python
    /// def render(rows):
    ///     html = ""
    ///     for row in rows:
    ///         html += f"<tr><td>{row.name}</td></tr>"
    ///     return html
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def render(rows):
    ///     parts = []
    ///     for row in rows:
    ///         parts.append(f"<tr><td>{row.name}</td></tr>")
    ///     return "".join(parts)
    /// ```
    pub static STR_CONCAT_IN_LOOP = Rule {
        code: "PERF005",
        name: "str-concat-in-loop",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("pylint", "R1713")],
        check: Check::Stmt {
            kinds: &[NodeKind::StmtAugAssign, NodeKind::StmtAssign],
            run: check,
        },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Some(name) = concatenated(stmt) else {
        return;
    };
    // The cheap test first: the value last assigned in walk order, when it is a number, a
    // list or anything else but a string (`count += 1`, `items += [x]`).
    let not_a_string = cx.local_value(name).is_some_and(|value| {
        value.is_number_literal_expr()
            || flow::value_kind(value, cx)
                .is_some_and(|kind| !matches!(kind, Kind::Str | Kind::Bytes))
    });
    if not_a_string {
        return;
    }
    let Some(loop_stmt) = flow::enclosing_loop(cx, stmt.range()) else {
        return;
    };
    let body = flow::loop_body(loop_stmt);
    // Once per name and loop: at the first concatenation.
    let first = first_concatenation(body, name);
    if first.is_some_and(|first| first.range() != stmt.range()) {
        return;
    }
    if flow::rebinds(body, name, &|s| concatenated(s) == Some(name)) {
        return;
    }
    let kind = match flow::last_binding_before(flow::scope_body(cx), name, loop_stmt.start()) {
        Some((Binding::Value { value, annotation }, _)) => annotation
            .and_then(|a| flow::annotation_kind(a, cx))
            .or_else(|| flow::value_kind(value, cx)),
        Some((Binding::Annotation(annotation), _)) => flow::annotation_kind(annotation, cx),
        Some((Binding::Other, _)) => None,
        None => flow::parameter(cx, name)
            .flatten()
            .and_then(|a| flow::annotation_kind(a, cx)),
    };
    let written = match stmt {
        Stmt::AugAssign(_) => format!("{name} += ..."),
        _ => format!("{name} = {name} + ..."),
    };
    match kind {
        Some(Kind::Str) => cx.report(
            stmt.range(),
            format!(
                "`{written}` in a loop copies the string each time; collect the parts in a list and `''.join(parts)` (or write them to an `io.StringIO`)"
            ),
        ),
        Some(Kind::Bytes) => cx.report(
            stmt.range(),
            format!(
                "`{written}` in a loop copies the bytes each time; extend a `bytearray`, or collect the parts in a list and `b''.join(parts)`"
            ),
        ),
        _ => {}
    }
}

/// The name `stmt` concatenates to: `name += ...` or `name = name + ...`.
fn concatenated(stmt: &Stmt) -> Option<&str> {
    match stmt {
        Stmt::AugAssign(ast::StmtAugAssign {
            target,
            op: ast::Operator::Add,
            ..
        }) => match target.as_ref() {
            Expr::Name(name) => Some(name.id.as_str()),
            _ => None,
        },
        Stmt::Assign(assign) => {
            let [Expr::Name(target)] = assign.targets.as_slice() else {
                return None;
            };
            let Expr::BinOp(ast::ExprBinOp {
                left,
                op: ast::Operator::Add,
                ..
            }) = assign.value.as_ref()
            else {
                return None;
            };
            matches!(left.as_ref(), Expr::Name(n) if n.id == target.id).then(|| target.id.as_str())
        }
        _ => None,
    }
}

/// The first statement of `body` (nested blocks included, nested scopes not) that
/// concatenates to `name`.
fn first_concatenation<'a>(body: &'a [Stmt], name: &str) -> Option<&'a Stmt> {
    use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
    struct Finder<'a, 'n>(&'n str, Option<&'a Stmt>);
    impl<'a> StatementVisitor<'a> for Finder<'a, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.1.is_some() || matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                return;
            }
            if concatenated(stmt) == Some(self.0) {
                self.1 = Some(stmt);
                return;
            }
            walk_stmt(self, stmt);
        }
    }
    let mut finder = Finder(name, None);
    finder.visit_body(body);
    finder.1
}
