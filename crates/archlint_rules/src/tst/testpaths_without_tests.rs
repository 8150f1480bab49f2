use std::path::Path;

use toml_edit::Item;

use archlint_facts::context::SettingAt;

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reads `testpaths` in the file pytest reads (`pytest.ini`, `.pytest.ini`,
    /// `[tool.pytest.ini_options]` or `[tool.pytest]` in `pyproject.toml`, `tox.ini`'s
    /// `[pytest]`, `setup.cfg`'s `[tool:pytest]`) and flags a `testpaths` entry
    /// that does not exist, or `testpaths` under which no file matches `python_files`
    /// (`test_*.py` and `*_test.py` by default), looked for up to eight folders deep.
    /// The rule runs on projects with a `pyproject.toml`.
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): when pytest collects nothing it exits with code 5,
    /// which many CI scripts treat as success or silence (`pytest || true`, `-p no:...`), and
    /// a `testpaths` folder that was renamed makes pytest fall back to the current folder or
    /// run nothing. Either way the suite that was meant to run does not.
    ///
    /// ## Example
    /// ```toml
    /// [tool.pytest.ini_options]
    /// testpaths = ["test"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// # file: pyproject.toml
    /// [tool.pytest.ini_options]
    /// testpaths = ["tests"]
    /// # file: tests/test_app.py
    /// def test_app():
    ///     assert True
    /// ```
    pub static TESTPATHS_WITHOUT_TESTS = Rule {
        code: "TST001",
        name: "testpaths-without-tests",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Pyproject { run: check },
    };
}

/// The `testpaths` entries of the file pytest reads, each with where it is, and where the
/// whole setting is.
fn testpaths(cx: &PyprojectContext) -> Option<(Vec<(String, SettingAt)>, SettingAt)> {
    let file = cx.file;
    let source = cx.options.pytest.source?;
    if source == "pyproject.toml" {
        let options = file
            .item(&["tool", "pytest", "ini_options"])
            .or_else(|| file.item(&["tool", "pytest"]))?;
        let testpaths = options.get("testpaths")?;
        let entries = match testpaths {
            Item::Value(toml_edit::Value::Array(array)) => array
                .iter()
                .filter_map(|v| {
                    Some((
                        v.as_str()?.to_string(),
                        SettingAt::Toml(file.value_range(v)),
                    ))
                })
                .collect(),
            item => item
                .as_str()
                .map(|s| {
                    s.split_whitespace()
                        .map(|w| (w.to_string(), SettingAt::Toml(file.range(item))))
                        .collect()
                })
                .unwrap_or_default(),
        };
        return Some((entries, SettingAt::Toml(file.range(testpaths))));
    }
    // pytest's INI files: `pytest.ini`/`.pytest.ini`/`tox.ini` hold `[pytest]`, `setup.cfg`
    // holds `[tool:pytest]`.
    let section = if source == "setup.cfg" {
        "tool:pytest"
    } else {
        "pytest"
    };
    let path = file.root().join(source);
    let text = archlint_source::read::read_source(&path, 1024 * 1024).ok()?;
    let ini = archlint_project::ini::IniFile::parse(&text);
    let field = ini.field(section, "testpaths")?;
    let shown = archlint_project::options::display_path(&path);
    let entries = field
        .lines
        .iter()
        .flat_map(|(line, text)| {
            let shown = shown.clone();
            text.split_whitespace()
                .take_while(|w| !w.starts_with(['#', ';']))
                .map(move |w| (w.to_string(), SettingAt::Line(shown.clone(), *line)))
                .collect::<Vec<_>>()
        })
        .collect();
    let first = field.lines.first().map_or(1, |(line, _)| *line);
    Some((entries, SettingAt::Line(shown, first)))
}

fn check(cx: &mut PyprojectContext) {
    let Some((entries, whole)) = testpaths(cx) else {
        return;
    };
    let root = cx.file.root().to_path_buf();
    let patterns = if cx.options.pytest.python_files.is_empty() {
        vec!["test_*.py".to_string(), "*_test.py".to_string()]
    } else {
        cx.options.pytest.python_files.clone()
    };
    let matcher = globset_of(&patterns);
    let mut any_test = false;
    for (entry, at) in &entries {
        // pytest expands globs in `testpaths`; those are left alone.
        if entry.contains(['*', '?', '[']) {
            return;
        }
        let path = root.join(entry);
        if !path.exists() {
            cx.report_setting(
                at,
                format!(
                    "`testpaths` entry `{entry}` does not exist: pytest collects nothing from it; point it at the folder that holds the tests"
                ),
            );
            continue;
        }
        any_test |= has_test_file(&path, &matcher, 0);
    }
    let existing = entries.iter().any(|(e, _)| root.join(e).exists());
    if existing && !any_test {
        let shown = patterns.join("`, `");
        cx.report_setting(
            &whole,
            format!(
                "no file under `testpaths` matches `python_files` (`{shown}`): pytest collects no tests and exits with code 5; fix `testpaths` or `python_files`"
            ),
        );
    }
}

fn globset_of(patterns: &[String]) -> globset::GlobSet {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = globset::Glob::new(pattern) {
            builder.add(glob);
        }
    }
    builder
        .build()
        .unwrap_or_else(|_| globset::GlobSet::empty())
}

/// Whether a file under `path` (the path itself, or up to eight folders down) matches.
fn has_test_file(path: &Path, matcher: &globset::GlobSet, depth: u8) -> bool {
    if path.is_file() {
        return path.file_name().is_some_and(|n| matcher.is_match(n));
    }
    if depth > 8 {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
        !is_link && has_test_file(&entry.path(), matcher, depth + 1)
    })
}
