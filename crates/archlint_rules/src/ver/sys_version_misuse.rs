use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags version checks that break on some Python version: slicing or indexing the
    /// string `sys.version` (`sys.version[:3]` is `"3.1"` on Python 3.10), comparing
    /// `sys.version` with a string, testing `sys.version_info[0] == 3` (false on Python 4),
    /// and comparing the minor version alone (`sys.version_info[1] >= 8`,
    /// `sys.version_info.minor >= 8`), which is wrong on 4.0.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): these checks pick the wrong branch on 3.10+ or on
    /// a future major version, silently. `sys.version_info >= (3, 8)` compares tuples.
    ///
    /// ## Example
    /// ```python
    /// import sys
    ///
    /// if sys.version[:3] >= "3.8":
    ///     import importlib.metadata as metadata
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import sys
    ///
    /// if sys.version_info >= (3, 8):
    ///     import importlib.metadata as metadata
    /// ```
    pub static SYS_VERSION_MISUSE = Rule {
        code: "VER015",
        name: "sys-version-misuse",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "YTT101"), Peer::related("ruff", "YTT201"), Peer::related("ruff", "YTT204")],
        check: Check::Expr { kinds: &[NodeKind::ExprSubscript, NodeKind::ExprCompare], run: check },
    };
}

fn check(expr: &Expr, cx: &mut FileContext) {
    match expr {
        // `sys.version[...]`
        Expr::Subscript(subscript) if cx.resolves_to(&subscript.value, &["sys.version"]) => cx.report(
            subscript.range(),
            "`sys.version` is a string: slicing it breaks on two-digit minor versions (`\"3.1\"` on 3.10); use `sys.version_info`",
        ),
        Expr::Compare(compare) => {
            let operands: Vec<&Expr> = std::iter::once(&*compare.left).chain(&compare.comparators).collect();
            let orders = |op: Option<&ast::CmpOp>| {
                matches!(op, Some(ast::CmpOp::Lt | ast::CmpOp::LtE | ast::CmpOp::Gt | ast::CmpOp::GtE))
            };
            for (index, operand) in operands.iter().enumerate() {
                let op = compare.ops.get(index).or_else(|| index.checked_sub(1).and_then(|i| compare.ops.get(i)));
                // `"PyPy" in sys.version` looks for a word, which is right.
                if cx.resolves_to(operand, &["sys.version"]) && orders(op) {
                    cx.report(
                        compare.range(),
                        "`sys.version` compared as a string orders `\"3.10\"` before `\"3.9\"`; compare `sys.version_info` with a tuple",
                    );
                    return;
                }
                let Some(component) = version_info_component(operand, cx) else { continue };
                let other = operands.get(index + 1).or_else(|| index.checked_sub(1).and_then(|i| operands.get(i)));
                let Some(number) = other.and_then(|o| literal::int(o)) else {
                    continue;
                };
                let message = match (component, op) {
                    // `[0] == 2` stays right on Python 4; only `== 3` turns false there.
                    (0, Some(ast::CmpOp::Eq | ast::CmpOp::NotEq)) if number == 3 => {
                        "`sys.version_info[0] == 3` is false on Python 4; compare `sys.version_info >= (3,)`"
                    }
                    (1, _) => {
                        "comparing the minor version alone is wrong on Python 4.0; compare `sys.version_info` with a tuple such as `(3, 8)`"
                    }
                    _ => continue,
                };
                cx.report(compare.range(), message);
                return;
            }
        }
        _ => {}
    }
}

/// `sys.version_info[0]`/`[1]`, `sys.version_info.major`/`.minor`: which component.
fn version_info_component(expr: &Expr, cx: &FileContext) -> Option<i64> {
    match expr {
        Expr::Subscript(subscript) if cx.resolves_to(&subscript.value, &["sys.version_info"]) => {
            literal::int(&subscript.slice)
        }
        Expr::Attribute(attribute) if cx.resolves_to(&attribute.value, &["sys.version_info"]) => {
            match attribute.attr.as_str() {
                "major" => Some(0),
                "minor" => Some(1),
                _ => None,
            }
        }
        _ => None,
    }
}
