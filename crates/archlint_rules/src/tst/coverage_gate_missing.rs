use archlint_project::pyproject_file::PyprojectFile;
use toml_edit::{Item, Value};

use archlint_facts::context::SettingAt;

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reads coverage.py's settings from the file it reads (the first of `.coveragerc`,
    /// `setup.cfg` and `tox.ini` with `[coverage:…]` sections, and `[tool.coverage]` in
    /// `pyproject.toml`, that holds some) and flags coverage that is measured but never
    /// enforced: coverage settings, or `--cov` in pytest's `addopts`, with no `fail_under`
    /// in the report settings and no `--cov-fail-under` in `addopts`. It also flags `run`
    /// `source` or `source_pkgs` entries naming the test suite (`tests`, `test`, or a
    /// `testpaths` folder). The rule runs on projects with a `pyproject.toml`.
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

/// coverage.py's settings from the file it reads: the first of `.coveragerc`, `setup.cfg`
/// and `tox.ini` (with `[coverage:…]` sections) and `pyproject.toml` (`[tool.coverage…]`)
/// that holds some.
struct Coverage {
    /// Where the settings start (the first section's header).
    at: SettingAt,
    /// `fail_under` in the report section.
    gated: bool,
    /// The `source` and `source_pkgs` entries, each with where it is.
    sources: Vec<(&'static str, String, SettingAt)>,
}

fn ini_coverage(root: &std::path::Path, name: &str) -> Option<Coverage> {
    let path = root.join(name);
    let text = archlint_source::read::read_source(&path, 1024 * 1024).ok()?;
    let ini = archlint_project::ini::IniFile::parse(&text);
    // `.coveragerc` names its sections `[run]`, `[report]` (or with the `coverage:` prefix);
    // the shared files only with the prefix.
    let section = |short: &str| {
        let long = format!("coverage:{short}");
        if name == ".coveragerc" && ini.section(short).is_some() {
            short.to_string()
        } else {
            long
        }
    };
    let shown = archlint_project::options::display_path(&path);
    let header_line = text.lines().position(|line| {
        archlint_project::ini::section_header(line.trim()).is_some_and(|header| {
            let header = header.trim();
            header.starts_with("coverage:")
                || name == ".coveragerc"
                    && ["run", "report", "paths", "html", "xml", "json", "lcov"].contains(&header)
        })
    })?;
    let gated = ini.field(&section("report"), "fail_under").is_some();
    let mut sources = Vec::new();
    for key in ["source", "source_pkgs"] {
        if let Some(field) = ini.field(&section("run"), key) {
            for (line, text) in &field.lines {
                for entry in text
                    .split([',', ' ', '\t'])
                    .map(str::trim)
                    .take_while(|w| !w.starts_with(['#', ';']))
                    .filter(|w| !w.is_empty())
                {
                    sources.push((
                        key,
                        entry.to_string(),
                        SettingAt::Line(shown.clone(), *line),
                    ));
                }
            }
        }
    }
    Some(Coverage {
        at: SettingAt::Line(shown, header_line + 1),
        gated,
        sources,
    })
}

fn toml_coverage(file: &PyprojectFile) -> Option<Coverage> {
    file.item(&["tool", "coverage"])?;
    let gated = file
        .item(&["tool", "coverage", "report", "fail_under"])
        .is_some();
    let mut sources = Vec::new();
    for key in ["source", "source_pkgs"] {
        let Some(Item::Value(Value::Array(array))) = file.item(&["tool", "coverage", "run", key])
        else {
            continue;
        };
        for value in array.iter() {
            if let Some(entry) = value.as_str() {
                sources.push((
                    key,
                    entry.to_string(),
                    SettingAt::Toml(file.value_range(value)),
                ));
            }
        }
    }
    Some(Coverage {
        at: SettingAt::Toml(first_table_range(file)),
        gated,
        sources,
    })
}

/// Where `addopts` is, in the file pytest reads.
fn addopts_at(cx: &PyprojectContext) -> SettingAt {
    let file = cx.file;
    match cx.options.pytest.source {
        Some("pyproject.toml") | None => SettingAt::Toml(
            file.item(&["tool", "pytest", "ini_options", "addopts"])
                .or_else(|| file.item(&["tool", "pytest", "addopts"]))
                .map(|i| file.range(i))
                .unwrap_or_default(),
        ),
        Some(name) => {
            let section = if name == "setup.cfg" {
                "tool:pytest"
            } else {
                "pytest"
            };
            let path = file.root().join(name);
            let line = archlint_source::read::read_source(&path, 1024 * 1024)
                .ok()
                .and_then(|text| {
                    let ini = archlint_project::ini::IniFile::parse(&text);
                    ini.field(section, "addopts")?
                        .lines
                        .first()
                        .map(|(l, _)| *l)
                })
                .unwrap_or(1);
            SettingAt::Line(archlint_project::options::display_path(&path), line)
        }
    }
}

fn check(cx: &mut PyprojectContext) {
    let file = cx.file;
    let root = file.root().to_path_buf();
    let coverage = [".coveragerc", "setup.cfg", "tox.ini"]
        .iter()
        .find_map(|name| ini_coverage(&root, name))
        .or_else(|| toml_coverage(file));
    let addopts = &cx.options.pytest.addopts;
    let cov_in_addopts = addopts.iter().any(|w| w.starts_with("--cov"));
    if coverage.is_none() && !cov_in_addopts {
        return;
    }
    let gate_in_addopts = addopts.iter().any(|w| w.starts_with("--cov-fail-under"));
    let gated = coverage.as_ref().is_some_and(|c| c.gated);
    if !gated && !gate_in_addopts {
        let at = match &coverage {
            Some(c) => c.at.clone(),
            None => addopts_at(cx),
        };
        cx.report_setting(
            &at,
            "coverage is measured but never enforced: no `fail_under` in coverage's report settings and no `--cov-fail-under`; set the floor the suite must keep",
        );
    }
    let mut suites: Vec<String> = vec!["tests".into(), "test".into()];
    suites.extend(cx.options.pytest.testpaths.iter().cloned());
    for (key, entry, at) in coverage.iter().flat_map(|c| &c.sources) {
        let trimmed = entry.trim_start_matches("./").trim_end_matches('/');
        if suites.iter().any(|s| s.trim_end_matches('/') == trimmed) {
            cx.report_setting(
                at,
                format!(
                    "coverage's `{key}` includes the test suite `{entry}`: every test line runs, so it inflates the figure; measure the package only"
                ),
            );
        }
    }
}

/// The header of the first `[tool.coverage...]` table.
fn first_table_range(file: &PyprojectFile) -> TextRange {
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
