//! Resolved settings: the configuration file found and read, command-line overrides applied,
//! globs compiled and the rule set decided. Everything after this point reads `Settings`.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashMap;

use super::options::{self, ConfigError, Options, SeverityName};
use crate::layout::{ConfigFiles, Layout};
use crate::roles::FileRoles;
use crate::selection::{Catalogue, RuleSet, Selector};
use archlint_vocabulary::{Rule, Severity};

pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
pub const DEFAULT_TARGET: (u8, u8) = (3, 9);
/// The folders discovery never enters (on top of hidden folders and virtualenvs).
pub const DEFAULT_EXCLUDE: &[&str] = &[
    "build",
    "dist",
    ".tox",
    ".nox",
    "node_modules",
    "__pycache__",
    ".git",
    ".venv",
    "venv",
    ".eggs",
    "*.egg-info",
    "site-packages",
];

/// Options rules read while they run.
#[derive(Debug)]
pub struct RuleOptions {
    pub root: PathBuf,
    pub target: (u8, u8),
    pub tmp_dirs: Vec<String>,
    pub check_typed_exception: bool,
    pub markup_allowed_calls: Vec<String>,
    pub markup_names: Vec<String>,
    pub performance: PerformanceThresholds,
    /// pytest's configuration (`[tool.pytest.ini_options]`, `pytest.ini`, `tox.ini`,
    /// `setup.cfg`), for the testing rules.
    pub pytest: crate::pytest::PytestConfig,
}

/// `[tool.archlint.performance]`, with its defaults.
#[derive(Clone, Copy, Debug)]
pub struct PerformanceThresholds {
    pub max_complexity: u32,
    pub max_complexity_error: u32,
    pub maintainability_info: f64,
    pub maintainability_warning: f64,
    pub max_nesting: u32,
}

impl Default for PerformanceThresholds {
    fn default() -> Self {
        PerformanceThresholds {
            max_complexity: 10,
            max_complexity_error: 20,
            maintainability_info: 19.0,
            maintainability_warning: 9.0,
            max_nesting: 5,
        }
    }
}

impl PerformanceThresholds {
    fn new(options: Option<&options::PerformanceOptions>) -> Self {
        let defaults = PerformanceThresholds::default();
        let Some(options) = options else {
            return defaults;
        };
        PerformanceThresholds {
            max_complexity: options.max_complexity.unwrap_or(defaults.max_complexity),
            max_complexity_error: options
                .max_complexity_error
                .unwrap_or(defaults.max_complexity_error),
            maintainability_info: options
                .maintainability_info
                .unwrap_or(defaults.maintainability_info),
            maintainability_warning: options
                .maintainability_warning
                .unwrap_or(defaults.maintainability_warning),
            max_nesting: options.max_nesting.unwrap_or(defaults.max_nesting),
        }
    }
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            root: PathBuf::from("."),
            target: DEFAULT_TARGET,
            tmp_dirs: vec!["/tmp".into(), "/var/tmp".into(), "/dev/shm".into()],
            check_typed_exception: false,
            markup_allowed_calls: Vec::new(),
            markup_names: Vec::new(),
            performance: PerformanceThresholds::default(),
            pytest: crate::pytest::PytestConfig::default(),
        }
    }
}

/// Options of the project-wide analyses (import graph, contracts, coupling, dead code).
#[derive(Debug, Default)]
pub struct ProjectOptions {
    /// Absolute source roots, module names are counted from the deepest one holding a file.
    pub source_roots: Vec<PathBuf>,
    pub cycles_ignore_lazy: bool,
    pub cycles_ignore_dynamic: bool,
    /// From `[tool.archlint.contracts]`, or else from import-linter's configuration.
    pub contracts: options::ContractOptions,
    /// Where the contracts were read from (for messages).
    pub contracts_source: Option<PathBuf>,
    /// tach's configuration (`tach.toml` or `[tool.tach]`), checked alongside the contracts.
    pub tach: Option<super::tach::TachConfig>,
    pub max_distance: f64,
    pub min_modules: usize,
    pub deadcode: options::DeadcodeOptions,
    pub deps: options::DepsOptions,
    /// The Python environment that maps imports to distributions (`--python`,
    /// `[tool.archlint.deps] python`, or `VIRTUAL_ENV` as the command line passes it).
    pub python: Option<PathBuf>,
}

pub const DEFAULT_MAX_DISTANCE: f64 = 0.7;
pub const DEFAULT_MIN_MODULES: usize = 3;

/// Command-line flags that override the configuration file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub isolated: bool,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub exclude: Vec<String>,
    pub force_exclude: bool,
    pub target_version: Option<String>,
    pub fail_on: Option<Severity>,
    pub max_file_size: Option<u64>,
    /// The Python environment for dependency analysis.
    pub python: Option<PathBuf>,
}

#[derive(Debug)]
pub struct Settings {
    /// The folder holding the configuration file (or the first path checked).
    pub root: PathBuf,
    pub config_file: Option<PathBuf>,
    /// A configuration file that is not valid TOML: reported, and defaults used.
    pub config_problem: Option<ConfigError>,
    pub rules: RuleSet,
    pub per_file_ignores: Vec<(GlobSet, Vec<Selector>)>,
    pub severity_overrides: FxHashMap<&'static str, Severity>,
    pub exclude: GlobSet,
    /// Whether files named explicitly are excluded too.
    pub force_exclude: bool,
    pub fail_on: Severity,
    pub max_file_size: u64,
    pub rule_options: RuleOptions,
    /// What each file is for.
    pub roles: FileRoles,
    /// The configured baseline file.
    pub baseline: Option<PathBuf>,
    /// The configured cache folder.
    pub cache_dir: Option<PathBuf>,
    /// What the project-wide analyses read.
    pub project: ProjectOptions,
}

impl Settings {
    /// Uses the activated virtualenv (`VIRTUAL_ENV`) for the dependency analysis when
    /// neither the command line nor the configuration names an environment.
    pub fn use_active_environment(&mut self) {
        if self.project.python.is_none() {
            self.project.python = std::env::var_os("VIRTUAL_ENV")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from);
        }
    }

    /// Settings with no configuration file: the default rule set, or `select` if given.
    /// The built-in settings with the root at `start`'s folder, so that paths below it are
    /// seen as the project's own (a fixture under `tests/` is not taken for a test file).
    pub fn isolated(catalogue: Catalogue, start: &Path, select: Option<&[&str]>) -> Settings {
        let overrides = Overrides {
            isolated: true,
            select: select.map(|s| s.iter().map(|c| c.to_string()).collect()),
            ..Overrides::default()
        };
        Settings::resolve(catalogue, start, &overrides).expect("built-in settings are valid")
    }

    /// Finds and reads the configuration for `start` (a file or folder), applying `overrides`.
    /// Selectors and `severity` keys name rules of `catalogue`.
    pub fn resolve(
        catalogue: Catalogue,
        start: &Path,
        overrides: &Overrides,
    ) -> Result<Settings, ConfigError> {
        let start_dir = if start.is_dir() {
            start.to_path_buf()
        } else {
            start.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let start_dir = if start_dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            start_dir
        };
        let (config_file, pyproject) = if overrides.isolated {
            (None, None)
        } else if let Some(config) = &overrides.config {
            (
                Some(config.clone()),
                find_upwards(&start_dir, "pyproject.toml"),
            )
        } else {
            (
                find_config(&start_dir),
                find_upwards(&start_dir, "pyproject.toml"),
            )
        };

        let mut config_problem = None;
        let mut options = Options::default();
        let mut requires_python = None;
        if let Some(file) = &config_file {
            match options::load(file) {
                Ok((found, requires)) => {
                    options = found.unwrap_or_default();
                    requires_python = requires;
                }
                // A broken pyproject found by walking up is reported and the run goes on with
                // defaults; a file named with `--config` was asked for, so it stops the run.
                Err(problem @ ConfigError::Syntax { .. }) if overrides.config.is_none() => {
                    config_problem = Some(problem)
                }
                Err(error) => return Err(error),
            }
        }
        // `requires-python` comes from the nearest pyproject even when the options do not.
        if requires_python.is_none()
            && pyproject.as_ref() != config_file.as_ref()
            && let Some(pyproject) = &pyproject
        {
            match options::load(pyproject) {
                Ok((_, requires)) => requires_python = requires,
                Err(problem @ ConfigError::Syntax { .. }) => {
                    config_problem = config_problem.or(Some(problem))
                }
                Err(_) => {}
            }
        }
        // Absolute, so that globs match the same relative paths whatever folder archlint runs
        // from and however the paths were spelled (`.`, `../proj`, `src/../src`).
        let root = absolute(
            &config_file
                .as_ref()
                .or(pyproject.as_ref())
                .and_then(|f| f.parent().map(Path::to_path_buf))
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(start_dir),
        );
        let config_text = config_file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .unwrap_or_default();
        let invalid = |message: String, needle: &str| {
            let offset = config_text
                .find(&format!("\"{needle}\""))
                .or_else(|| config_text.find(needle))
                .unwrap_or(0);
            let (line, column) = options::position(&config_text, offset);
            ConfigError::Invalid {
                path: config_file
                    .as_deref()
                    .map_or_else(|| PathBuf::from("<command line>"), options::display_path),
                line,
                column,
                message,
            }
        };
        let parse_selectors = |list: &[String]| -> Result<Vec<Selector>, ConfigError> {
            list.iter()
                .map(|text| {
                    Selector::parse(text, catalogue).map_err(|message| invalid(message, text))
                })
                .collect()
        };
        // Flags are reported as flags, not as a place in a file they never came from.
        let parse_flag = |list: &[String], flag: &'static str| {
            list.iter()
                .map(|text| {
                    Selector::parse(text, catalogue)
                        .map_err(|message| ConfigError::CommandLine { flag, message })
                })
                .collect::<Result<Vec<Selector>, ConfigError>>()
        };

        let select = match &overrides.select {
            Some(select) => Some(parse_flag(select, "--select")?),
            None => options.select.as_deref().map(parse_selectors).transpose()?,
        };
        let mut extend_select =
            parse_selectors(options.extend_select.as_deref().unwrap_or_default())?;
        extend_select.extend(parse_flag(&overrides.extend_select, "--extend-select")?);
        let mut ignore = parse_selectors(options.ignore.as_deref().unwrap_or_default())?;
        ignore.extend(parse_flag(&overrides.ignore, "--ignore")?);
        let rules = RuleSet::resolve(catalogue, select.as_deref(), &extend_select, &ignore);

        let mut per_file_ignores = Vec::new();
        for (pattern, codes) in options.per_file_ignores.iter().flatten() {
            let set = globs(&[pattern.as_str()]).map_err(|e| {
                invalid(
                    format!("invalid glob `{pattern}` in `per-file-ignores`: {e}"),
                    pattern,
                )
            })?;
            per_file_ignores.push((set, parse_selectors(codes)?));
        }

        let mut severity_overrides = FxHashMap::default();
        for (key, severity) in options.severity.iter().flatten() {
            let rule: &'static Rule = catalogue.find(key).ok_or_else(|| {
                invalid(
                    format!(
                        "unknown rule `{key}` in `severity`{}",
                        catalogue.suggestion(key)
                    ),
                    key,
                )
            })?;
            severity_overrides.insert(rule.code, severity_of(*severity));
        }

        let mut exclude_patterns: Vec<String> = match &options.exclude {
            Some(exclude) => exclude.clone(),
            None => DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect(),
        };
        exclude_patterns.extend(options.extend_exclude.iter().flatten().cloned());
        let mut exclude = exclude_globs(&exclude_patterns)
            .map_err(|e| invalid(format!("invalid glob in `exclude`: {e}"), "exclude"))?;
        if !overrides.exclude.is_empty() {
            exclude_patterns.extend(overrides.exclude.iter().cloned());
            exclude = exclude_globs(&exclude_patterns).map_err(|e| ConfigError::CommandLine {
                flag: "--exclude",
                message: format!("invalid glob: {e}"),
            })?;
        }

        let bad_target = |text: &str| {
            format!(
                "invalid `target-version` `{text}`: expected a version such as \"3.11\" or \"py311\""
            )
        };
        let config_files = ConfigFiles::read(&root);
        let layout = Layout::of(&config_files);
        // `[project] requires-python` first, then what another build configuration declares.
        let requires_python = requires_python.or_else(|| layout.requires_python.clone());
        let target = match (&overrides.target_version, &options.target_version) {
            (Some(text), _) => parse_target(text).ok_or_else(|| ConfigError::CommandLine {
                flag: "--target-version",
                message: bad_target(text),
            })?,
            (None, Some(text)) => {
                parse_target(text).ok_or_else(|| invalid(bad_target(text), text))?
            }
            (None, None) => requires_python
                .as_deref()
                .and_then(lower_bound)
                .unwrap_or(DEFAULT_TARGET),
        };

        let security = options.security.clone().unwrap_or_default();
        let defaults = RuleOptions::default();
        let roles = FileRoles::new(
            &root,
            options.roles.as_ref(),
            options.test_files.as_deref(),
            layout,
            &config_files,
        )
        .map_err(|message| invalid(message, "roles"))?;
        let rule_options = RuleOptions {
            root: root.clone(),
            target,
            tmp_dirs: security.tmp_dirs.unwrap_or(defaults.tmp_dirs),
            check_typed_exception: security.check_typed_exception.unwrap_or(false),
            markup_allowed_calls: security.markup_allowed_calls.unwrap_or_default(),
            markup_names: security.markup_extend_names.unwrap_or_default(),
            performance: PerformanceThresholds::new(options.performance.as_ref()),
            pytest: roles.pytest().clone(),
        };

        // tach's configuration, read alongside the contracts; its source roots name modules.
        let tach = if overrides.isolated {
            None
        } else {
            super::tach::find(&root)
        };
        let source_roots = match &options.src {
            Some(folders) => folders.iter().map(|f| absolute(&root.join(f))).collect(),
            // The build configuration's folders (`package_dir = =lib`) first: a module is named
            // from the deepest root holding it.
            None => [root.clone(), root.join("src")]
                .into_iter()
                .chain(
                    roles
                        .layout()
                        .source_roots
                        .iter()
                        .map(|r| absolute(&root.join(r))),
                )
                .chain(
                    tach.iter()
                        .flat_map(|t| t.source_roots.iter())
                        .map(|r| absolute(&root.join(r))),
                )
                .filter(|dir| dir.is_dir())
                .collect(),
        };
        let cycles = options.cycles.clone().unwrap_or_default();
        let coupling = options.coupling.clone().unwrap_or_default();
        let (contracts, contracts_source) = match &options.contracts {
            Some(contracts) => (contracts.clone(), config_file.clone()),
            None if !overrides.isolated => super::importlinter::find(&root)
                .map_or((options::ContractOptions::default(), None), |(c, path)| {
                    (c, Some(path))
                }),
            None => (options::ContractOptions::default(), None),
        };
        let project = ProjectOptions {
            source_roots,
            cycles_ignore_lazy: cycles.ignore_lazy.unwrap_or(false),
            cycles_ignore_dynamic: cycles.ignore_dynamic.unwrap_or(true),
            contracts,
            contracts_source,
            tach,
            max_distance: coupling.max_distance.unwrap_or(DEFAULT_MAX_DISTANCE),
            min_modules: coupling.min_modules.unwrap_or(DEFAULT_MIN_MODULES),
            deadcode: options.deadcode.clone().unwrap_or_default(),
            deps: options.deps.clone().unwrap_or_default(),
            python: overrides.python.clone().or_else(|| {
                let deps = options.deps.as_ref()?;
                Some(root.join(deps.python.as_ref()?))
            }),
        };

        Ok(Settings {
            baseline: options.baseline.as_ref().map(|file| root.join(file)),
            cache_dir: options.cache_dir.as_ref().map(|folder| root.join(folder)),
            project,
            root,
            config_file,
            config_problem,
            rules,
            per_file_ignores,
            severity_overrides,
            exclude,
            force_exclude: overrides.force_exclude,
            fail_on: overrides
                .fail_on
                .or(options.fail_on.map(severity_of))
                .unwrap_or(Severity::Warning),
            max_file_size: overrides
                .max_file_size
                .or(options.max_file_size)
                .unwrap_or(DEFAULT_MAX_FILE_SIZE),
            rule_options,
            roles,
        })
    }

    /// Whether `rule` applies to `path` after `per-file-ignores`.
    pub fn applies_to(&self, rule: &Rule, path: &Path) -> bool {
        if self.per_file_ignores.is_empty() {
            return true;
        }
        let relative = relative_to(&self.root, path);
        !self.per_file_ignores.iter().any(|(glob, selectors)| {
            glob.is_match(relative.as_ref()) && selectors.iter().any(|s| s.matches(rule))
        })
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        is_excluded(&self.exclude, &self.root, path)
    }
}

/// Whether an exclusion glob matches `path` relative to `root`, or its file name.
pub fn is_excluded(exclude: &GlobSet, root: &Path, path: &Path) -> bool {
    exclude.is_match(relative_to(root, path).as_ref())
        || path.file_name().is_some_and(|name| exclude.is_match(name))
}

/// `path` relative to `root` (absolute), or `path` itself when it lies outside the root.
pub fn relative_to<'p>(root: &Path, path: &'p Path) -> std::borrow::Cow<'p, Path> {
    use std::borrow::Cow;
    if let Ok(relative) = path.strip_prefix(root) {
        return Cow::Borrowed(relative);
    }
    match absolute(path).strip_prefix(root) {
        Ok(relative) => Cow::Owned(relative.to_path_buf()),
        Err(_) => Cow::Borrowed(path),
    }
}

/// An absolute path with `.` and `..` folded lexically (links are not resolved, as the user
/// and the globs see the path as written).
pub fn absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = archlint_source::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn severity_of(name: SeverityName) -> Severity {
    match name {
        SeverityName::Error => Severity::Error,
        SeverityName::Warning => Severity::Warning,
        SeverityName::Info => Severity::Info,
    }
}

pub(crate) fn globs(patterns: &[&str]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern)?);
    }
    builder.build()
}

/// Exclusion globs match a path relative to the root, any folder in it, or the file name.
fn exclude_globs(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = pattern.trim_end_matches('/');
        builder.add(Glob::new(pattern)?);
        if !pattern.starts_with("**/") {
            builder.add(Glob::new(&format!("**/{pattern}"))?);
        }
    }
    builder.build()
}

fn config_has_archlint(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains("[tool.archlint"))
}

/// The nearest `archlint.toml`, or `pyproject.toml` with a `[tool.archlint]` table.
fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        let archlint = dir.join("archlint.toml");
        if archlint.is_file() {
            return Some(archlint);
        }
        let pyproject = dir.join("pyproject.toml");
        if pyproject.is_file() && config_has_archlint(&pyproject) {
            return Some(pyproject);
        }
    }
    None
}

fn find_upwards(start: &Path, name: &str) -> Option<PathBuf> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// `"3.11"`, `"py311"` → (3, 11).
pub fn parse_target(text: &str) -> Option<(u8, u8)> {
    let text = text.trim();
    if let Some(digits) = text.strip_prefix("py") {
        let major = digits.get(..1)?;
        let minor = digits.get(1..)?;
        return Some((major.parse().ok()?, minor.parse().ok()?));
    }
    let (major, minor) = text.split_once('.')?;
    Some((major.parse().ok()?, minor.split('.').next()?.parse().ok()?))
}

/// The lowest Python version a `requires-python` specifier admits (`>=3.10,<4` → 3.10).
pub fn lower_bound(specifiers: &str) -> Option<(u8, u8)> {
    let specifiers = parse_specifiers(specifiers)?;
    (0..=20u8)
        .map(|minor| (3u8, minor))
        .find(|&version| admits(&specifiers, version))
}

pub fn parse_specifiers(specifiers: &str) -> Option<pep440_rs::VersionSpecifiers> {
    use std::str::FromStr;
    pep440_rs::VersionSpecifiers::from_str(specifiers).ok()
}

/// Whether specifiers admit some release of a minor line (3.10.4 for `>=3.10.4` admits 3.10).
pub fn admits(specifiers: &pep440_rs::VersionSpecifiers, (major, minor): (u8, u8)) -> bool {
    (0..=30u64).any(|patch| {
        let version = pep440_rs::Version::new([u64::from(major), u64::from(minor), patch]);
        specifiers.iter().all(|spec| spec.contains(&version))
    })
}
