use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags Django's `RawSQL(sql, params)` expression when `sql` is not a string literal
    /// (including `RawSQL(*args)`, whose SQL cannot be seen).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, input validation): the SQL of `RawSQL` goes to the
    /// database as written; a value formatted into it is SQL injection. Values belong in
    /// `params`.
    ///
    /// ## Example
    /// ```python
    /// from django.db.models.expressions import RawSQL
    ///
    /// def ranked(queryset, column):
    ///     return queryset.annotate(rank=RawSQL(f"SELECT {column} FROM stats", []))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from django.db.models.expressions import RawSQL
    ///
    /// def ranked(queryset, minimum):
    ///     return queryset.annotate(rank=RawSQL("SELECT score FROM stats WHERE score > %s", [minimum]))
    /// ```
    pub static DJANGO_RAWSQL = Rule {
        code: "SEC611",
        name: "django-rawsql",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: bandit(Medium, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B611"), Peer::same("ruff", "S611")],
        check: Check::Call {
            targets: &["django.db.models.expressions.RawSQL", "django.db.models.RawSQL"],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    // `RawSQL(*args)` counts as non-literal, as in bandit.
    let sql = call.args().first().or_else(|| call.keyword_value("sql"));
    if sql.is_some_and(|sql| literal::str_ref(sql).is_none()) {
        cx.report(
            call.range(),
            "`RawSQL` with SQL built at run time can be injected; keep the SQL literal and pass values in `params`",
        );
    }
}
