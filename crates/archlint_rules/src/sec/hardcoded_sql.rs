use crate::prelude::*;
use regex::Regex;
use std::sync::LazyLock;

rule! {
    /// ## What it does
    /// Flags SQL statements built as strings: a string holding `SELECT … FROM`,
    /// `DELETE FROM`, `INSERT INTO … VALUES` or `UPDATE … SET` that is joined with `+`,
    /// filled with `%`, `.format()` or `.replace()`, or written as an f-string. Passed straight
    /// to `execute()`/`executemany()` it is an error (bandit's MEDIUM confidence); elsewhere a
    /// warning (LOW confidence), since the values may be trusted.
    ///
    /// This follows bandit's reading of the code exactly, so findings land on the same lines:
    /// for `"SELECT … " + column + " FROM …"` the statement is judged from the literal pieces
    /// around the first one. SEC816 catches SQL without these keywords that reaches `execute`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, input validation) and §5 (data access): a value
    /// formatted into SQL can close the string and add SQL of its own. The database driver's
    /// parameters (`%s`, `?`, `:name`) keep values out of the statement.
    ///
    /// ## Example
    /// ```python
    /// def find_user(cursor, name):
    ///     cursor.execute(f"SELECT id FROM users WHERE name = '{name}'")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def find_user(cursor, name):
    ///     cursor.execute("SELECT id FROM users WHERE name = %s", [name])
    /// ```
    pub static HARDCODED_SQL = Rule {
        code: "SEC608",
        name: "hardcoded-sql",
        severity: Severity::Error,
        confidence: Some(Medium),
        bandit: bandit(Medium, Medium),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B608"), Peer::same("ruff", "S608")],
        check: Check::Expr { kinds: &[NodeKind::ExprStringLiteral, NodeKind::ExprFString], run: check },
    };
}

static SQL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)(select\s.*from\s|delete\s+from\s|insert\s+into\s.*values[\s(]|update\s.*set\s)",
    )
    .unwrap()
});

fn check(expr: &Expr, cx: &mut FileContext) {
    let parents = cx.expr_parents.as_slice();
    let (statement, wrapper, replaced) = match (expr, parents.last()) {
        // `"SELECT … %s" % value`, `"SELECT " + column + " FROM t"`.
        (Expr::StringLiteral(string), Some(Expr::BinOp(_))) => {
            let chain = parents
                .iter()
                .rev()
                .take_while(|p| p.is_bin_op_expr())
                .count();
            let root = parents[parents.len() - chain];
            let stop = parents[parents.len() - 1];
            let mut bits = vec![string.value.to_str().to_string()];
            if !std::ptr::eq(root, stop) {
                collect_literals(root, stop, &mut bits);
            }
            let wrapper = parents.len().checked_sub(chain + 1).map(|i| parents[i]);
            (bits.join(" "), wrapper, false)
        }
        // `"SELECT … {}".format(value)`, `"… WHERE a = $a".replace("$a", value)`.
        (Expr::StringLiteral(string), Some(Expr::Attribute(attribute)))
            if matches!(attribute.attr.as_str(), "format" | "replace")
                && std::ptr::eq(&*attribute.value, expr) =>
        {
            let is_call = parents.len() >= 2 && parents[parents.len() - 2].is_call_expr();
            if !is_call {
                return;
            }
            let wrapper = parents.len().checked_sub(3).map(|i| parents[i]);
            (
                string.value.to_str().to_string(),
                wrapper,
                attribute.attr.as_str() == "replace",
            )
        }
        // `f"SELECT … {value}"`: its literal pieces, once.
        (Expr::FString(fstring), parent) => {
            let mut pieces = String::new();
            for part in fstring.value.iter() {
                match part {
                    ast::FStringPart::Literal(literal) => pieces.push_str(&literal.value),
                    ast::FStringPart::FString(f) => {
                        for element in &f.elements {
                            if let ast::InterpolatedStringElement::Literal(literal) = element {
                                pieces.push_str(&literal.value);
                            }
                        }
                    }
                }
            }
            (pieces, parent.copied(), false)
        }
        _ => return,
    };
    if !SQL.is_match(&statement) {
        return;
    }
    let range = expr.range();
    let executed = wrapper.is_some_and(is_execute_call) && !replaced;
    if executed {
        cx.report(
            range,
            "SQL built from a string goes straight to `execute()`; pass the values as query parameters (`%s`, `?`) instead of formatting them in",
        );
    } else {
        cx.report_rated(
            range,
            "SQL statement built from a string; if any value in it comes from outside, pass it as a query parameter (`%s`, `?`) instead",
            Some(Severity::Warning),
            Some(Low),
        );
    }
}

/// Bandit's walk of a `+`/`%` chain from its root: the string literals below, except those
/// under `stop` (the string's own operation, already counted).
fn collect_literals(node: &Expr, stop: &Expr, bits: &mut Vec<String>) {
    if std::ptr::eq(node, stop) {
        return;
    }
    let Expr::BinOp(binop) = node else { return };
    for side in [&*binop.left, &*binop.right] {
        match side {
            Expr::BinOp(_) => collect_literals(side, stop, bits),
            Expr::StringLiteral(string) => bits.push(string.value.to_str().to_string()),
            _ => {}
        }
    }
}

/// `<anything>.execute(...)` or `executemany(...)`, by the called name alone (as bandit).
fn is_execute_call(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    let name = match call.func.as_ref() {
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        Expr::Name(name) => name.id.as_str(),
        _ => return false,
    };
    matches!(name, "execute" | "executemany")
}
