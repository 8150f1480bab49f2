use rustc_hash::FxHashMap;

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a value repeated in the list of `@pytest.mark.parametrize` (the same expression,
    /// as ruff's `PT014` compares them), and an id repeated in its `ids=[...]` (which
    /// `PT014` does not check).
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): a repeated case runs the same test twice and adds
    /// nothing; it is usually a copy-paste where one value was meant to change, so the case
    /// the author wanted is not tested. Repeated ids make pytest add suffixes, and `-k`
    /// selections by id then pick the wrong case.
    ///
    /// ## Example
    /// ```python
    /// # file: tests/test_values.py
    /// import pytest
    ///
    /// @pytest.mark.parametrize("value", [1, 2, 2])
    /// def test_positive(value):
    ///     assert value > 0
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: tests/test_values.py
    /// import pytest
    ///
    /// @pytest.mark.parametrize("value", [1, 2, 3])
    /// def test_positive(value):
    ///     assert value > 0
    /// ```
    pub static PARAMETRIZE_DUPLICATE = Rule {
        code: "TST011",
        name: "parametrize-duplicate",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "PT014")],
        check: Check::Call { targets: &["pytest.mark.parametrize"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if let Some(values) = call.argument(1, "argvalues") {
        report_repeats(values, cx, "case");
    }
    if let Some(ids) = call.keyword_value("ids") {
        report_repeats(ids, cx, "id");
    }
}

fn report_repeats(list: &Expr, cx: &mut FileContext, what: &str) {
    let elements = match list {
        Expr::List(list) => &list.elts,
        Expr::Tuple(tuple) => &tuple.elts,
        _ => return,
    };
    let mut seen: FxHashMap<ast::comparable::ComparableExpr, usize> = FxHashMap::default();
    for (index, element) in elements.iter().enumerate() {
        let key = ast::comparable::ComparableExpr::from(element);
        if let Some(first) = seen.get(&key) {
            let text = cx.text(element.range()).to_string();
            let first = first + 1;
            let consequence = if what == "id" {
                "pytest renames both and `-k` by this id selects the wrong cases; give each case its own id"
            } else {
                "the same case runs twice; change or remove it"
            };
            cx.report(
                element.range(),
                format!(
                    "parametrize {what} `{text}` repeats {what} {first} of the list: {consequence}"
                ),
            );
        } else {
            seen.insert(key, index);
        }
    }
}
