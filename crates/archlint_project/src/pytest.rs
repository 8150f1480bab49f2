//! pytest's configuration, read the way pytest finds it: the first of `pytest.ini` (or
//! `.pytest.ini`), `pyproject.toml` with `[tool.pytest.ini_options]`, `tox.ini` with `[pytest]`
//! and `setup.cfg` with `[tool:pytest]` that has the section wins, and the others are not read.
//! The code roles use its collection settings (`testpaths`, `python_files`); the testing rules
//! (TST) use the rest (`python_classes`, `python_functions`, `markers`, `addopts`,
//! `asyncio_mode`).

use std::path::Path;

use toml_edit::{ImDocument, Item};

use crate::ini::IniFile;
use crate::layout::ConfigFiles;

/// pytest's default `python_files`.
pub const DEFAULT_PYTHON_FILES: &[&str] = &["test_*.py", "*_test.py"];

/// What pytest's configuration says, with pytest's defaults where it says nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PytestConfig {
    /// The file the settings came from (`pytest.ini`, `pyproject.toml`, `tox.ini`,
    /// `setup.cfg`); `None` when the project configures no pytest.
    pub source: Option<&'static str>,
    pub testpaths: Vec<String>,
    /// Empty when not configured (pytest then uses [`DEFAULT_PYTHON_FILES`]).
    pub python_files: Vec<String>,
    /// Prefixes or globs of collected classes; empty when not configured (`Test`).
    pub python_classes: Vec<String>,
    /// Prefixes or globs of collected functions; empty when not configured (`test`).
    pub python_functions: Vec<String>,
    /// The names of the registered markers (`slow` of `slow: marks slow tests`).
    pub markers: Vec<String>,
    /// The words of `addopts`.
    pub addopts: Vec<String>,
    /// pytest 9's `strict_markers = true` or `strict = true`.
    pub strict_option: bool,
    /// pytest-asyncio's `asyncio_mode` (`auto`, `strict`), when set.
    pub asyncio_mode: Option<String>,
    /// pytest-trio's `trio_mode = true`: it runs every coroutine test.
    pub trio_mode: bool,
    /// Whether a `conftest.py` runs coroutine tests itself (a `pytest_pyfunc_call` hook) or
    /// adds an async marker to collected items (`item.add_marker(pytest.mark.asyncio)`).
    pub conftest_runs_coroutines: bool,
}

impl PytestConfig {
    /// `--strict-markers` (or the older `--strict`) in `addopts`, or pytest 9's
    /// `strict_markers = true` / `strict = true`.
    pub fn strict_markers(&self) -> bool {
        self.strict_option
            || self
                .addopts
                .iter()
                .any(|word| word == "--strict-markers" || word == "--strict")
    }

    /// Whether pytest collects a function named `name` (inside a collected class or at the
    /// top of a test module): it starts with one of `python_functions`' prefixes or matches
    /// one of its globs.
    pub fn collects_function(&self, name: &str) -> bool {
        matches_any(&self.python_functions, "test", name)
    }

    /// Whether pytest collects the class named `name` (`Test*` by default; `unittest.TestCase`
    /// subclasses are collected whatever their name).
    pub fn collects_class(&self, name: &str) -> bool {
        matches_any(&self.python_classes, "Test", name)
    }

    /// Whether pytest-asyncio runs every coroutine test (`asyncio_mode = auto`, or
    /// `--asyncio-mode=auto` in `addopts`).
    pub fn asyncio_auto(&self) -> bool {
        self.asyncio_mode.as_deref() == Some("auto")
            || self.addopts.iter().any(|w| w == "--asyncio-mode=auto")
            || self
                .addopts
                .windows(2)
                .any(|w| w[0] == "--asyncio-mode" && w[1] == "auto")
    }

    /// Whether a test runner collects the module named `file_name`: pytest's `python_files`
    /// (`test_*.py`, `*_test.py` by default), or unittest's discovery pattern `test*.py`
    /// (Django's `tests.py` included).
    pub fn collects_file(&self, file_name: &str) -> bool {
        let unittest = file_name.starts_with("test") && file_name.ends_with(".py");
        if unittest {
            return true;
        }
        let patterns: Vec<String> = if self.python_files.is_empty() {
            DEFAULT_PYTHON_FILES.iter().map(|s| s.to_string()).collect()
        } else {
            self.python_files.clone()
        };
        patterns.iter().any(|pattern| {
            globset::Glob::new(pattern)
                .map(|g| g.compile_matcher().is_match(file_name))
                .unwrap_or(false)
        })
    }

    /// Reads the configuration of the project at `root`, and what its `conftest.py` files
    /// register (`config.addinivalue_line("markers", ...)`).
    pub fn read(root: &Path, files: &ConfigFiles) -> PytestConfig {
        let mut config = Self::read_files(root, files);
        for conftest in conftests(root, &config.testpaths) {
            let Ok(text) = std::fs::read_to_string(&conftest) else {
                continue;
            };
            config.markers.extend(registered_markers(&text));
            if text.contains("pytest_pyfunc_call")
                || (text.contains("add_marker")
                    && ["asyncio", "anyio", "trio"]
                        .iter()
                        .any(|m| text.contains(m)))
            {
                config.conftest_runs_coroutines = true;
            }
        }
        config
    }

    fn read_files(root: &Path, files: &ConfigFiles) -> PytestConfig {
        let from_disk = |file: &str| {
            let text = std::fs::read_to_string(root.join(file)).ok()?;
            Some(IniFile::parse(&text))
        };
        Self::from_ini("pytest.ini", from_disk("pytest.ini").as_ref(), "pytest")
            .or_else(|| Self::from_ini(".pytest.ini", from_disk(".pytest.ini").as_ref(), "pytest"))
            .or_else(|| Self::from_pyproject(files.pyproject.as_ref()?))
            .or_else(|| Self::from_ini("tox.ini", from_disk("tox.ini").as_ref(), "pytest"))
            .or_else(|| Self::from_ini("setup.cfg", files.setup_cfg.as_ref(), "tool:pytest"))
            .unwrap_or_default()
    }

    fn from_ini(file: &'static str, parsed: Option<&IniFile>, section: &str) -> Option<Self> {
        let parsed = parsed?;
        parsed.section(section)?;
        let words = |key: &str| -> Vec<String> {
            parsed
                .field(section, key)
                .map(|f| f.words().map(str::to_string).collect())
                .unwrap_or_default()
        };
        let markers = parsed
            .field(section, "markers")
            .map(|f| f.items().filter_map(marker_name).collect())
            .unwrap_or_default();
        let asyncio_mode = parsed
            .field(section, "asyncio_mode")
            .and_then(|f| f.words().next().map(str::to_string));
        Some(PytestConfig {
            source: Some(file),
            testpaths: words("testpaths"),
            python_files: words("python_files"),
            python_classes: words("python_classes"),
            python_functions: words("python_functions"),
            markers,
            addopts: words("addopts"),
            strict_option: ["strict_markers", "strict"].iter().any(|key| {
                parsed
                    .field(section, key)
                    .and_then(|f| f.words().next().map(|w| w.eq_ignore_ascii_case("true")))
                    .unwrap_or(false)
            }),
            asyncio_mode,
            trio_mode: parsed
                .field(section, "trio_mode")
                .and_then(|f| f.words().next().map(|w| w.eq_ignore_ascii_case("true")))
                .unwrap_or(false),
            conftest_runs_coroutines: false,
        })
    }

    /// `[tool.pytest.ini_options]`, or pytest 9's native `[tool.pytest]` table.
    fn from_pyproject(document: &ImDocument<String>) -> Option<Self> {
        let pytest = document.get("tool")?.get("pytest")?;
        let options = pytest.get("ini_options").unwrap_or(pytest);
        let strings = |item: Option<&Item>| -> Vec<String> {
            match item {
                Some(item) if item.is_str() => vec![item.as_str().unwrap_or_default().to_string()],
                Some(item) => item
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                None => Vec::new(),
            }
        };
        // A string value is split into words as pytest does for its `args` and `linelist`
        // options written on one line.
        let words = |key: &str| -> Vec<String> {
            strings(options.get(key))
                .iter()
                .flat_map(|s| s.split_whitespace().map(str::to_string))
                .collect()
        };
        Some(PytestConfig {
            source: Some("pyproject.toml"),
            testpaths: words("testpaths"),
            python_files: words("python_files"),
            python_classes: words("python_classes"),
            python_functions: words("python_functions"),
            markers: strings(options.get("markers"))
                .iter()
                .filter_map(|m| marker_name(m))
                .collect(),
            addopts: words("addopts"),
            strict_option: ["strict_markers", "strict"].iter().any(|key| {
                options.get(key).is_some_and(|v| {
                    v.as_bool() == Some(true)
                        || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"))
                })
            }),
            asyncio_mode: options
                .get("asyncio_mode")
                .and_then(Item::as_str)
                .map(str::to_string),
            trio_mode: options.get("trio_mode").is_some_and(|v| {
                v.as_bool() == Some(true)
                    || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"))
            }),
            conftest_runs_coroutines: false,
        })
    }
}

/// The `conftest.py` files of the project's test folders: at the root, and up to three
/// folders down in `testpaths` (or `tests/`, `test/` when none is configured).
fn conftests(root: &Path, testpaths: &[String]) -> Vec<std::path::PathBuf> {
    let mut found = vec![root.join("conftest.py")];
    let folders: Vec<std::path::PathBuf> = if testpaths.is_empty() {
        ["tests", "test", "testing"]
            .iter()
            .map(|f| root.join(f))
            .collect()
    } else {
        testpaths.iter().map(|f| root.join(f)).collect()
    };
    let mut stack: Vec<(std::path::PathBuf, u8)> = folders.into_iter().map(|f| (f, 0)).collect();
    while let Some((folder, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && depth < 3 {
                stack.push((path, depth + 1));
            } else if path.file_name().is_some_and(|n| n == "conftest.py") {
                found.push(path);
            }
        }
    }
    found.sort();
    found.dedup();
    found.into_iter().filter(|p| p.is_file()).collect()
}

/// The markers a `conftest.py` registers: the first word of the string after each
/// `addinivalue_line("markers", `.
fn registered_markers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("addinivalue_line(") {
        rest = &rest[at + "addinivalue_line(".len()..];
        let arguments = rest.trim_start();
        let Some(after) = arguments
            .strip_prefix("\"markers\"")
            .or_else(|| arguments.strip_prefix("'markers'"))
        else {
            continue;
        };
        let after = after.trim_start().trim_start_matches(',').trim_start();
        let after = after.trim_start_matches(['r', 'f', 'b']);
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let body = after[1..].split(quote).next().unwrap_or_default();
        found.extend(marker_name(body));
    }
    found
}

/// `slow` of `slow: marks tests as slow`, `serial` of `serial`, `env` of `env(name): ...`.
fn marker_name(line: &str) -> Option<String> {
    let name = line
        .split([':', '(', ' '])
        .next()
        .map(str::trim)
        .filter(|n| !n.is_empty())?;
    Some(name.to_string())
}

/// pytest's `python_functions` and `python_classes`: a pattern with a glob character is a glob,
/// any other is a prefix.
fn matches_any(patterns: &[String], default: &str, name: &str) -> bool {
    if patterns.is_empty() {
        return name.starts_with(default);
    }
    patterns.iter().any(|pattern| {
        if pattern.contains(['*', '?', '[']) {
            globset::Glob::new(pattern)
                .map(|g| g.compile_matcher().is_match(name))
                .unwrap_or(false)
        } else {
            name.starts_with(pattern.as_str())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::PytestConfig;
    use crate::layout::ConfigFiles;

    fn read(files: &[(&str, &str)]) -> PytestConfig {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        PytestConfig::read(dir.path(), &ConfigFiles::read(dir.path()))
    }

    #[test]
    fn pyproject_ini_options_are_read() {
        let config = read(&[(
            "pyproject.toml",
            "[tool.pytest.ini_options]\naddopts = \"-ra --strict-markers\"\ntestpaths = [\"tests\"]\nmarkers = [\"slow: slow tests\", \"network\"]\nasyncio_mode = \"auto\"\npython_functions = [\"test_*\", \"check\"]\n",
        )]);
        assert_eq!(config.source, Some("pyproject.toml"));
        assert_eq!(config.testpaths, ["tests"]);
        assert_eq!(config.markers, ["slow", "network"]);
        assert!(config.strict_markers());
        assert_eq!(config.asyncio_mode.as_deref(), Some("auto"));
        assert!(config.asyncio_auto());
        assert!(config.collects_function("test_one"));
        assert!(config.collects_function("check_two"));
        assert!(!config.collects_function("helper"));
        assert!(config.collects_class("TestThing"));
    }

    #[test]
    fn the_first_file_with_a_pytest_section_wins() {
        let config = read(&[
            (
                "pytest.ini",
                "[pytest]\nmarkers =\n    slow: slow\n    db\n",
            ),
            (
                "pyproject.toml",
                "[tool.pytest.ini_options]\nmarkers = [\"other\"]\n",
            ),
            ("setup.cfg", "[tool:pytest]\nmarkers = third\n"),
        ]);
        assert_eq!(config.source, Some("pytest.ini"));
        assert_eq!(config.markers, ["slow", "db"]);
        assert!(!config.trio_mode);
        assert!(!config.strict_markers());
        // A tox.ini without `[pytest]` is passed over for setup.cfg.
        let config = read(&[
            ("tox.ini", "[tox]\nenvlist = py311\n"),
            (
                "setup.cfg",
                "[tool:pytest]\naddopts = --strict-markers\npython_classes = Check\n",
            ),
        ]);
        assert_eq!(config.source, Some("setup.cfg"));
        assert!(config.strict_markers());
        assert!(!config.asyncio_auto());
        assert!(config.collects_class("CheckThing"));
        assert!(!config.collects_class("TestThing"));
    }

    #[test]
    fn conftest_registrations_and_async_hooks_are_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("tests/unit")).unwrap();
        std::fs::write(
            dir.path().join("tests/unit/conftest.py"),
            "def pytest_configure(config):\n    config.addinivalue_line(\n        \"markers\", \"db(name): uses a database\"\n    )\n    config.addinivalue_line('markers', 'slow')\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("conftest.py"),
            "def pytest_collection_modifyitems(items):\n    for item in items:\n        item.add_marker(pytest.mark.anyio)\n",
        )
        .unwrap();
        let config = PytestConfig::read(dir.path(), &ConfigFiles::read(dir.path()));
        assert_eq!(config.markers, ["db", "slow"]);
        assert!(config.conftest_runs_coroutines);
    }

    #[test]
    fn pytest_9_native_table_is_read() {
        let config = read(&[(
            "pyproject.toml",
            "[tool.pytest]\nstrict_markers = true\nmarkers = [\"requires_postgres: needs PostgreSQL\"]\ntestpaths = [\"tests\"]\n",
        )]);
        assert_eq!(config.source, Some("pyproject.toml"));
        assert_eq!(config.markers, ["requires_postgres"]);
        assert!(config.strict_markers());
        let config = read(&[("pytest.ini", "[pytest]\ntrio_mode = true\n")]);
        assert!(config.trio_mode);
    }

    #[test]
    fn nothing_configured_reads_as_pytest_defaults() {
        let config = read(&[("pyproject.toml", "[tool.other]\nminversion = 8\n")]);
        assert_eq!(config.source, None);
        assert!(config.collects_function("test_x"));
        assert!(!config.collects_function("x_test"));
        assert!(config.collects_file("test_x.py"));
        assert!(config.collects_file("x_test.py"));
        assert!(config.collects_file("tests.py"));
        assert!(!config.collects_file("session.py"));
        // Malformed TOML is not pytest configuration and does not stop the run.
        let config = read(&[("pyproject.toml", "[tool.pytest.ini_options\n")]);
        assert_eq!(config, PytestConfig::default());
    }
}
