use super::version_range::{oldest, show};
use crate::prelude::*;
use archlint_facts::versions::version_tuple;

rule! {
    /// ## What it does
    /// Flags `if` tests on `sys.version_info` whose result is already fixed by the project's
    /// oldest supported Python: `sys.version_info >= (3, 8)` is always true when the project
    /// needs 3.9 or later, `sys.version_info < (3, 8)` always false. Advice (`info`): one
    /// branch is dead code.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): compatibility branches for Pythons the project no
    /// longer supports are code nobody runs or tests, and they hide which code path is real.
    ///
    /// ## Example
    /// ```python
    /// import sys
    ///
    /// if sys.version_info >= (3, 8):
    ///     from importlib import metadata
    /// else:
    ///     import importlib_metadata as metadata
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from importlib import metadata
    /// ```
    pub static OUTDATED_VERSION_BLOCK = Rule {
        code: "VER016",
        name: "outdated-version-block",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "UP036")],
        check: Check::Stmt { kinds: &[NodeKind::StmtIf], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::If(if_stmt) = stmt else { return };
    let tests = std::iter::once(&*if_stmt.test).chain(
        if_stmt
            .elif_else_clauses
            .iter()
            .filter_map(|clause| clause.test.as_ref()),
    );
    for test in tests {
        let Expr::Compare(compare) = test else {
            continue;
        };
        let ([op], [right]) = (compare.ops.as_ref(), compare.comparators.as_ref()) else {
            continue;
        };
        // `sys.version_info` or its `[:2]` / `[:1]` prefix.
        let (info, sliced) = match compare.left.as_ref() {
            Expr::Subscript(subscript)
                if matches!(subscript.slice.as_ref(), Expr::Slice(slice)
                if slice.lower.is_none() && slice.step.is_none()) =>
            {
                (&*subscript.value, true)
            }
            other => (other, false),
        };
        if !cx.resolves_to(info, &["sys.version_info"]) {
            continue;
        }
        let Some(version) = version_tuple(right) else {
            continue;
        };
        let supported = oldest(cx);
        // Only what the lower bound decides: versions up to and including the oldest. The
        // running version is a longer tuple, so `> (3, 9)` already holds on 3.9.0 — but
        // `[:2] > (3, 9)` does not.
        let decided = |strict: bool| {
            if strict && sliced {
                version < supported
            } else {
                version <= supported
            }
        };
        let always = match op {
            ast::CmpOp::GtE if decided(false) => true,
            ast::CmpOp::Gt if decided(true) => true,
            ast::CmpOp::Lt if decided(false) => false,
            ast::CmpOp::LtE if decided(true) => false,
            _ => continue,
        };
        cx.report(
            test.range(),
            format!("this `sys.version_info` test is always `{}` on the supported Pythons ({} and later); remove the dead branch", if always { "True" } else { "False" }, show(supported)),
        );
    }
}
