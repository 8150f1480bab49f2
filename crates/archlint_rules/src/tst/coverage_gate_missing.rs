use toml_edit::{Item, Value};

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reads `pyproject.toml` and flags coverage that is measured but never enforced: a
    /// `[tool.coverage]` table, or `--cov` in pytest's `addopts`, with no
    /// `[tool.coverage.report] fail_under` and no `--cov-fail-under` in `addopts`. It also
    /// flags `[tool.coverage.run] source` or `source_pkgs` entries naming the test suite
    /// (`tests`, `test`, or a `testpaths` folder).
    ///
    /// Coverage settings in `.coveragerc`, `setup.cfg` or `tox.ini` are not checked by this
    /// rule.
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale), and the `[tool.coverage]` sample of its §7 (Modern
    /// Python Packaging & Distribution), which measures `tests` among its sources and sets no
    /// `fail_under`: a report nobody fails on drifts down one pull request at a time, and
    /// counting the tests themselves (every line of a test runs) inflates the figure the
    /// team reads.
    ///
    /// ## Example
    /// ```toml
    /// [tool.coverage.run]
    /// source_pkgs = ["shop", "tests"]
    /// branch = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [tool.coverage.run]
    /// source_pkgs = ["shop"]
    /// branch = true
    ///
    /// [tool.coverage.report]
    /// fail_under = 90
    /// ```
    pub static COVERAGE_GATE_MISSING = Rule {
        code: "TST008",
        name: "coverage-gate-missing",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Pyproject { run: check },
    };
}

fn check(cx: &mut PyprojectContext) {
    let file = cx.file;
    let addopts = &cx.options.pytest.addopts;
    let pytest_here = cx.options.pytest.source == Some("pyproject.toml");
    let cov_in_addopts = pytest_here && addopts.iter().any(|w| w.starts_with("--cov"));
    let coverage = file.item(&["tool", "coverage"]);
    if coverage.is_none() && !cov_in_addopts {
        return;
    }
    let gate_in_addopts = pytest_here && addopts.iter().any(|w| w.starts_with("--cov-fail-under"));
    let gate = file
        .item(&["tool", "coverage", "report", "fail_under"])
        .is_some();
    if !gate && !gate_in_addopts {
        let range = if coverage.is_some() {
            first_table_range(file)
        } else {
            file.item(&["tool", "pytest", "ini_options", "addopts"])
                .map(|i| file.range(i))
                .unwrap_or_default()
        };
        cx.report(
            range,
            "coverage is measured but never enforced: no `fail_under` in `[tool.coverage.report]` and no `--cov-fail-under`; set the floor the suite must keep",
        );
    }
    let mut suites: Vec<String> = vec!["tests".into(), "test".into()];
    suites.extend(cx.options.pytest.testpaths.iter().cloned());
    for key in ["source", "source_pkgs"] {
        let Some(Item::Value(Value::Array(array))) = file.item(&["tool", "coverage", "run", key])
        else {
            continue;
        };
        for value in array.iter() {
            let Some(entry) = value.as_str() else {
                continue;
            };
            let trimmed = entry.trim_start_matches("./").trim_end_matches('/');
            if suites.iter().any(|s| s.trim_end_matches('/') == trimmed) {
                cx.report(
                    file.value_range(value),
                    format!(
                        "`[tool.coverage.run] {key}` includes the test suite `{entry}`: every test line runs, so it inflates the figure; measure the package only"
                    ),
                );
            }
        }
    }
}

/// The header of the first `[tool.coverage...]` table.
fn first_table_range(file: &archlint_project::pyproject_file::PyprojectFile) -> TextRange {
    for name in [
        "tool.coverage",
        "tool.coverage.run",
        "tool.coverage.report",
        "tool.coverage.paths",
    ] {
        let range = file.table_range(name);
        if range != TextRange::default() {
            return range;
        }
    }
    TextRange::default()
}
