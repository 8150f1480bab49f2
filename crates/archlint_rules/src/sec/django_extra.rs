use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags Django's `QuerySet.extra(...)` (any `.extra(...)` call, as bandit does) when its
    /// `where` or `tables` are not lists of string literals, or its `select` is not a dict of
    /// string literals: SQL built at run time.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, input validation): `extra()` pastes its strings into
    /// the SQL as they are; a value from a request in them is SQL injection.
    ///
    /// ## Example
    /// ```python
    /// def search(queryset, column, term):
    ///     return queryset.extra(where=[f"{column} = '{term}'"])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def search(queryset, term):
    ///     return queryset.extra(where=["name = %s"], params=[term])
    /// ```
    pub static DJANGO_EXTRA = Rule {
        code: "SEC610",
        name: "django-extra",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: bandit(Medium, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B610"), Peer::same("ruff", "S610")],
        check: Check::Call { targets: &[".extra", "django.db.models.QuerySet.extra"], run: check },
    };
}

/// Positions of `extra(select, where, params, tables, order_by, select_params)`.
const PARAMETERS: [&str; 6] = [
    "select",
    "where",
    "params",
    "tables",
    "order_by",
    "select_params",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let argument = |name: &str| {
        let position = PARAMETERS.iter().position(|p| *p == name)?;
        call.argument(position, name)
    };
    let all_literal = |items: &[Expr]| items.iter().all(|item| literal::str_ref(item).is_some());
    let mut built_at_run_time = ["where", "tables"]
        .into_iter()
        .any(|name| match argument(name) {
            Some(Expr::List(list)) => !all_literal(&list.elts),
            Some(_) => true,
            None => false,
        });
    if !built_at_run_time && let Some(select) = argument("select") {
        built_at_run_time = match select {
            Expr::Dict(dict) => !dict.items.iter().all(|item| {
                item.key
                    .as_ref()
                    .is_some_and(|k| literal::str_ref(k).is_some())
                    && literal::str_ref(&item.value).is_some()
            }),
            _ => true,
        };
    }
    if built_at_run_time {
        cx.report(
            call.range(),
            "`extra()` with SQL built at run time can be injected; use the ORM, or pass values through `params=`",
        );
    }
}
