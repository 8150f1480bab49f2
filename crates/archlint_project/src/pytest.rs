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
    /// pytest-asyncio's `asyncio_mode` (`auto`, `strict`), when set.
    pub asyncio_mode: Option<String>,
}

impl PytestConfig {
    /// `--strict-markers` (or the older `--strict`) in `addopts`.
    pub fn strict_markers(&self) -> bool {
        self.addopts
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

    /// Reads the configuration of the project at `root`.
    pub fn read(root: &Path, files: &ConfigFiles) -> PytestConfig {
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
            asyncio_mode,
        })
    }

    fn from_pyproject(document: &ImDocument<String>) -> Option<Self> {
        let options = document.get("tool")?.get("pytest")?.get("ini_options")?;
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
            asyncio_mode: options
                .get("asyncio_mode")
                .and_then(Item::as_str)
                .map(str::to_string),
        })
    }
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
        assert!(config.collects_class("CheckThing"));
        assert!(!config.collects_class("TestThing"));
    }

    #[test]
    fn nothing_configured_reads_as_pytest_defaults() {
        let config = read(&[("pyproject.toml", "[tool.pytest]\nminversion = 8\n")]);
        assert_eq!(config.source, None);
        assert!(config.collects_function("test_x"));
        assert!(!config.collects_function("x_test"));
        // Malformed TOML is not pytest configuration and does not stop the run.
        let config = read(&[("pyproject.toml", "[tool.pytest.ini_options\n")]);
        assert_eq!(config, PytestConfig::default());
    }
}
