use super::pytest_code::marker;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `pytest.mark.<name>` where `<name>` is not one of pytest's own markers, not a
    /// marker of a well-known plugin (pytest-asyncio, anyio, pytest-django, pytest-timeout,
    /// pytest-rerunfailures, pytest-xdist, pytest-order, ...), and not registered in pytest's
    /// `markers` setting or by a `conftest.py` (`config.addinivalue_line("markers", ...)`).
    /// It is an error when `--strict-markers` is in `addopts`.
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): markers select what runs (`-m "not slow"`). A typo
    /// (`@pytest.mark.slwo`) is a new marker, so the test silently escapes the selection meant
    /// for it; pytest only warns (`PytestUnknownMarkWarning`). With `--strict-markers` the
    /// module fails to collect instead.
    ///
    /// ## Example
    /// ```python
    /// # file: tests/test_import.py
    /// import pytest
    ///
    /// @pytest.mark.slwo
    /// def test_full_import():
    ///     assert True
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: tests/test_import.py
    /// import pytest
    ///
    /// @pytest.mark.skip(reason="slow")
    /// def test_full_import():
    ///     assert True
    /// ```
    /// and register the project's own markers in `[tool.pytest.ini_options] markers`.
    pub static UNREGISTERED_MARKER = Rule {
        code: "TST005",
        name: "unregistered-marker",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Expr { kinds: &[NodeKind::ExprAttribute], run: check },
    };
}

/// pytest's own markers, and those of well-known plugins that register them when installed.
const KNOWN: &[&str] = &[
    // pytest
    "parametrize",
    "skip",
    "skipif",
    "xfail",
    "usefixtures",
    "filterwarnings",
    "tryfirst",
    "trylast",
    // pytest-asyncio, anyio, pytest-trio, pytest-tornado, pytest-asyncio-cooperative
    "asyncio",
    "anyio",
    "trio",
    "gen_test",
    "asyncio_cooperative",
    // pytest-django
    "django_db",
    "urls",
    "ignore_template_errors",
    // pytest-timeout, pytest-rerunfailures, flaky, pytest-repeat, pytest-forked
    "timeout",
    "flaky",
    "repeat",
    "forked",
    // pytest-xdist, pytest-order, pytest-ordering, pytest-dependency, pytest-randomly
    "xdist_group",
    "order",
    "run",
    "first",
    "last",
    "dependency",
    // pytest-benchmark, pytest-httpx, respx, pytest-recording/vcr, pytest-socket
    "benchmark",
    "httpx_mock",
    "respx",
    "vcr",
    "default_cassette",
    "block_network",
    "allow_hosts",
    "enable_socket",
    "disable_socket",
    // pytest-freezer/freezegun, pytest-env, hypothesis, pytest-cov, celery, pytest-memray
    "freeze_time",
    "env",
    "hypothesis",
    "no_cover",
    "celery",
    "limit_memory",
    "limit_leaks",
];

fn check(expr: &Expr, cx: &mut FileContext) {
    let Some(name) = marker(expr, cx) else { return };
    let config = &cx.options.pytest;
    if KNOWN.contains(&name.as_str()) || config.markers.contains(&name) {
        return;
    }
    let strict = config.strict_markers();
    let source = config.source.unwrap_or("pyproject.toml");
    let consequence = if strict {
        "`--strict-markers` makes the module fail to collect"
    } else {
        "pytest only warns, and `-m` selections silently miss the test"
    };
    let severity = strict.then_some(Severity::Error);
    cx.report_rated(
        expr.range(),
        format!(
            "marker `{name}` is not registered: {consequence}; add it to `markers` in `{source}` or fix the name"
        ),
        severity,
        None,
    );
}
