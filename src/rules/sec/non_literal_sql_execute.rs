use crate::rules::prelude::*;

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
        default_enabled: true,
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
    let Some(sql) = call.argument(0, "sql") else { return };
    let Some(how) = cx.dynamic_string(sql) else { return };
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
