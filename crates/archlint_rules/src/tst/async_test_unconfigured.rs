use super::pytest_code::{decorator_name, in_class_with_bases, is_test, markers_of};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags an `async def` test that no plugin runs: none of `@pytest.mark.asyncio`,
    /// `anyio` or `trio` on the test, its class (decorator or `pytestmark`) or its module
    /// (`pytestmark`); no `anyio_backend` parameter; no `asyncio_mode = "auto"` (or
    /// `--asyncio-mode=auto` in `addopts`) nor pytest-trio's `trio_mode = true` in pytest's
    /// configuration; and no `conftest.py`
    /// that runs coroutines itself (`pytest_pyfunc_call`) or adds an async marker to the
    /// collected tests.
    ///
    /// Methods of classes with bases are left alone: `unittest.IsolatedAsyncioTestCase` and
    /// Django's test cases run coroutine methods themselves. A test with another decorator is
    /// left alone too (it may wrap the coroutine in a function that runs it).
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale) and §5 (Concurrency & Async Architecture): calling an
    /// `async def` test only creates a coroutine. Without a plugin that awaits it, pytest
    /// skips the test with a warning (pytest 8.4 and later fail it), so its assertions never
    /// run and a suite can be green while testing nothing async at all.
    ///
    /// ## Example
    /// ```python
    /// # file: tests/test_client.py
    /// async def test_fetch(client):
    ///     assert await client.fetch("/") == 200
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: tests/test_client.py
    /// import pytest
    ///
    /// @pytest.mark.asyncio
    /// async def test_fetch(client):
    ///     assert await client.fetch("/") == 200
    /// ```
    pub static ASYNC_TEST_UNCONFIGURED = Rule {
        code: "TST004",
        name: "async-test-unconfigured",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

/// Markers under which a plugin awaits the test.
const ASYNC_MARKERS: &[&str] = &[
    "asyncio",
    "anyio",
    "trio",
    "gen_test",
    "asyncio_cooperative",
];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(def) = stmt else { return };
    if !def.is_async || !is_test(def, cx) || in_class_with_bases(cx) {
        return;
    }
    let config = &cx.options.pytest;
    if config.asyncio_auto() || config.trio_mode || config.conftest_runs_coroutines {
        return;
    }
    if markers_of(def, cx)
        .iter()
        .any(|m| ASYNC_MARKERS.contains(&m.as_str()))
    {
        return;
    }
    let other_decorator = def
        .decorator_list
        .iter()
        .any(|d| !decorator_name(d, cx).is_some_and(|n| n.starts_with("pytest.mark.")));
    let anyio_backend = def
        .parameters
        .iter_non_variadic_params()
        .any(|p| p.parameter.name.as_str() == "anyio_backend");
    if other_decorator || anyio_backend {
        return;
    }
    let name = def.name.as_str();
    cx.report(
        def.name.range(),
        format!(
            "`async def {name}` is never awaited: no `@pytest.mark.asyncio` (or `anyio`, `trio`) on it, its class or module, and no `asyncio_mode = \"auto\"`; pytest skips it, so its checks never run"
        ),
    );
}
