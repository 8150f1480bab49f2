use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags SQL run from a string built at run time (f-string, `%`, `.format`, `+`), passed
    /// directly or through a local assigned in the same function, to
    /// `<cursor>.execute`/`executemany`/`executescript`, `sqlalchemy.text`, Django's
    /// `.raw(...)`, or `pandas.read_sql*`, whatever the string says. Bandit's B608 only fires
    /// when the literal parts spell `select ... from` and friends, so the guide's own
    /// `f"{query} LIMIT {n} OFFSET {o}"` escapes it.
    ///
    /// Unlike a keyword-free reading of the catalogue, a call that also passes query
    /// parameters (`execute(sql % names, params)`) is not flagged: the author is already
    /// binding the values, and what is formatted in is almost always quoted identifiers
    /// (table and column names), which cannot be parameters.
    ///
    /// Values known to be safe do not count: literals, `a if c else b` of literals, numbers,
    /// and calls that quote or escape (`quote_name(table)`, `connection.ops.quote_name(...)`,
    /// `qn(...)`, `escape(...)`, `int(...)`), directly or through a local assigned from one.
    ///
    /// DDL, session and transaction statements (`CREATE`, `DROP`, `ALTER`, `PRAGMA`,
    /// `BEGIN`, `SET`, ...) are not flagged: they take no bind parameters, so names have to be
    /// formatted in. `", ".join(...)` of quoted names counts as quoted.
    ///
    /// ## Why it matters
    /// Guide §5 (streaming from a database) and §8 (security, injection): values formatted
    /// into SQL are SQL; one quote in a user-supplied value rewrites the query. Drivers bind
    /// parameters safely.
    ///
    /// ## Example
    /// ```python
    /// def page(cursor, query, size, offset):
    ///     batch_query = f"{query} LIMIT {size} OFFSET {offset}"
    ///     cursor.execute(batch_query)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def page(cursor, size, offset):
    ///     cursor.execute("SELECT id FROM items LIMIT %s OFFSET %s", (size, offset))
    /// ```
    pub static NON_LITERAL_SQL_EXECUTE = Rule {
        code: "SEC816",
        name: "non-literal-sql-execute",
        severity: Severity::Error,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "S608")],
        check: Check::Call {
            targets: &[
                ".execute",
                ".executemany",
                ".executescript",
                ".raw",
                "sqlalchemy.text",
                "sqlalchemy.sql.text",
                "sqlalchemy.sql.expression.text",
                "pandas.read_sql",
                "pandas.read_sql_query",
            ],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(sql) = call.argument(0, "sql") else {
        return;
    };
    let Some(how) = cx.dynamic_string(sql) else {
        return;
    };
    let built = cx.follow(sql);
    if is_statement_without_parameters(&literal::string_parts(built)) {
        return;
    }
    if interpolated_values(built)
        .into_iter()
        .all(|value| is_safe_value(value, cx, 0))
    {
        return;
    }
    let method = call.qualified.is_none() || call.qualified.as_ref().is_some_and(|q| !q.imported);
    if method {
        // Parameters passed alongside: the values are bound; what is formatted in is names.
        if call.arg(1).is_some() || call.keyword("params").is_some() || call.has_unpacking() {
            return;
        }
        // `.raw` is also a common name outside SQL; require the receiver to look like a
        // Django manager or queryset (`Model.objects.raw`, `qs.raw`).
        if call.method == Some("raw")
            && !call
                .receiver()
                .and_then(literal::terminal_name)
                .is_some_and(|r| r == "objects" || r.ends_with("_set") || r.contains("queryset"))
        {
            return;
        }
    } else if call.keyword("params").is_some() {
        // `sqlalchemy.text(...)` binds later; `pandas.read_sql(sql, con, params=...)` binds here.
        return;
    }
    let name = if method {
        literal::dotted(&call.call.func).unwrap_or_else(|| call.name())
    } else {
        call.name()
    };
    cx.report(
        call.range(),
        format!("`{name}` runs SQL built with {}; pass the values as query parameters instead of formatting them in", how.describe()),
    );
}

/// The run-time values a built string formats in.
fn interpolated_values(expr: &Expr) -> Vec<&Expr> {
    let mut values = Vec::new();
    match expr {
        Expr::FString(fstring) => {
            for f in fstring.value.f_strings() {
                for element in &f.elements {
                    if let ast::InterpolatedStringElement::Interpolation(interpolation) = element {
                        values.push(&*interpolation.expression);
                    }
                }
            }
        }
        Expr::BinOp(binop) => match binop.op {
            ast::Operator::Mod => match binop.right.as_ref() {
                Expr::Tuple(tuple) => values.extend(tuple.elts.iter()),
                Expr::Dict(dict) => values.extend(dict.iter().map(|item| &item.value)),
                other => values.push(other),
            },
            _ => {
                for side in [&*binop.left, &*binop.right] {
                    if literal::is_literal_string_expr(side) {
                        continue;
                    }
                    if literal::dynamic_string(side).is_some() {
                        values.extend(interpolated_values(side));
                    } else {
                        values.push(side);
                    }
                }
            }
        },
        Expr::Call(call) => {
            values.extend(call.arguments.args.iter());
            values.extend(call.arguments.keywords.iter().map(|keyword| &keyword.value));
        }
        other => values.push(other),
    }
    values
}

/// Whether a formatted-in value cannot carry SQL: a literal, a number, a choice between
/// literals, or the result of a quoting/escaping call (also through one local).
fn is_safe_value(value: &Expr, cx: &FileContext, depth: u8) -> bool {
    match value {
        Expr::StringLiteral(_) | Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) => true,
        Expr::NoneLiteral(_) => true,
        Expr::FString(_) => {
            literal::dynamic_string(value).is_none()
                || interpolated_values(value)
                    .into_iter()
                    .all(|v| is_safe_value(v, cx, depth))
        }
        Expr::If(if_expr) => {
            is_safe_value(&if_expr.body, cx, depth) && is_safe_value(&if_expr.orelse, cx, depth)
        }
        Expr::Call(call) => {
            let callee = literal::terminal_name(&call.func).unwrap_or_default();
            let callee = callee.to_ascii_lowercase();
            if callee == "join" {
                // `", ".join(quote_name(c) for c in columns)`
                return call
                    .arguments
                    .args
                    .first()
                    .is_some_and(|items| match items {
                        Expr::Generator(generator) => is_safe_value(&generator.elt, cx, depth),
                        Expr::ListComp(list) => is_safe_value(&list.elt, cx, depth),
                        Expr::List(list) => list.elts.iter().all(|e| is_safe_value(e, cx, depth)),
                        Expr::Tuple(tuple) => {
                            tuple.elts.iter().all(|e| is_safe_value(e, cx, depth))
                        }
                        _ => false,
                    });
            }
            callee.contains("quote")
                || callee.contains("escape")
                || matches!(callee.as_str(), "qn" | "int" | "float" | "len")
        }
        Expr::Name(name) if depth == 0 => cx
            .local_value(&name.id)
            .is_some_and(|assigned| is_safe_value(assigned, cx, 1)),
        _ => false,
    }
}

/// Statements that take no bind parameters for what is formatted into them (DDL, session and
/// transaction statements): identifiers must be formatted in, so "use parameters" cannot apply.
fn is_statement_without_parameters(sql: &str) -> bool {
    let first = sql
        .trim_start_matches(|c: char| c.is_whitespace() || c == '(')
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    matches!(
        first.as_str(),
        "CREATE"
            | "DROP"
            | "ALTER"
            | "TRUNCATE"
            | "PRAGMA"
            | "DESCRIBE"
            | "BEGIN"
            | "SAVEPOINT"
            | "RELEASE"
            | "ROLLBACK"
            | "COMMIT"
            | "SET"
            | "GRANT"
            | "REVOKE"
            | "COMMENT"
            | "DECLARE"
            | "VACUUM"
            | "ANALYZE"
            | "REINDEX"
            | "USE"
            | "SHOW"
    )
}
