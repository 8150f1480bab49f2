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
    /// It also flags pytest's `asyncio_mode` or `trio_mode` setting when the plugin it
    /// configures (pytest-asyncio, pytest-trio) is named nowhere the project declares what
    /// to install: `pyproject.toml`, `setup.cfg`, `setup.py`, `tox.ini`, `noxfile.py`,
    /// `Pipfile`, the `.txt` files at the root and under `requirements/`, and the GitHub
    /// Actions workflows. The finding is at the setting's line.
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
        check: Check::Several(&[
            Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
            Check::Pyproject { run: check_plugin },
        ]),
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

/// Whether `plugin` (`pytest-asyncio`) is named in a file where the project declares what to
/// install (`_` read as `-`, case ignored).
fn declared(root: &std::path::Path, pyproject: &str, plugin: &str) -> bool {
    let names = |text: &str| text.to_ascii_lowercase().replace('_', "-").contains(plugin);
    if names(pyproject) {
        return true;
    }
    let mut paths: Vec<std::path::PathBuf> =
        ["setup.cfg", "setup.py", "tox.ini", "noxfile.py", "Pipfile"]
            .iter()
            .map(|name| root.join(name))
            .collect();
    for (dir, suffixes) in [
        (root.to_path_buf(), &[".txt", ".in"][..]),
        (root.join("requirements"), &[".txt", ".in"]),
        (root.join(".github").join("workflows"), &[".yml", ".yaml"]),
    ] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            paths.extend(entries.flatten().map(|e| e.path()).filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| suffixes.iter().any(|s| n.ends_with(s)))
            }));
        }
    }
    paths.iter().any(|path| {
        archlint_source::read::read_source(path, 10 * 1024 * 1024).is_ok_and(|text| names(&text))
    })
}

fn check_plugin(cx: &mut PyprojectContext) {
    let config = &cx.options.pytest;
    let Some(source) = config.source else {
        return;
    };
    let mut wanted = Vec::new();
    if config.asyncio_mode.is_some() {
        wanted.push(("asyncio_mode", "pytest-asyncio"));
    }
    if config.trio_mode {
        wanted.push(("trio_mode", "pytest-trio"));
    }
    let file = cx.file;
    let root = file.root().to_path_buf();
    for (key, plugin) in wanted {
        if declared(&root, &file.source, plugin) {
            continue;
        }
        let message = format!(
            "`{key}` configures {plugin}, but no dependency declaration of the project names `{plugin}`: without it pytest ignores the setting and does not run the `async def` tests; add it to the test dependencies"
        );
        if source == "pyproject.toml" {
            let table = file
                .item(&["tool", "pytest", "ini_options"])
                .filter(|t| t.get(key).is_some())
                .or_else(|| file.item(&["tool", "pytest"]));
            let range = table.map_or_else(TextRange::default, |t| file.key_range(t, key));
            cx.report(range, message);
            continue;
        }
        let section = if source == "setup.cfg" {
            "tool:pytest"
        } else {
            "pytest"
        };
        let path = root.join(source);
        let line = archlint_source::read::read_source(&path, 1024 * 1024)
            .ok()
            .and_then(|text| {
                let ini = archlint_project::ini::IniFile::parse(&text);
                ini.field(section, key)?.lines.first().map(|(l, _)| *l)
            })
            .unwrap_or(1);
        let rule = cx.rule.expect("a rule is running");
        let mut d = archlint_vocabulary::diagnostic::Diagnostic::for_file(
            rule,
            archlint_project::options::display_path(&path),
            message,
        );
        d.start.line = line;
        d.end = d.start;
        cx.diagnostics.push(d);
    }
}
