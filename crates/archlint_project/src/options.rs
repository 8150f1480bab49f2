//! `[tool.archlint]` (in `pyproject.toml`) or `archlint.toml`, mirrored field for field.
//!
//! Every field is optional; unknown keys and bad values are errors that name the file, the
//! line, the key and the closest valid key. Resolution (defaults, globs, the rule set) happens
//! in `settings`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The options of `[tool.archlint]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Rules to enable (codes, prefixes such as `SEC1`, chapter names, rule names, `ALL`);
    /// replaces the default set.
    pub select: Option<Vec<String>>,
    /// Rules to enable on top of the default (or selected) set.
    pub extend_select: Option<Vec<String>>,
    /// Rules to disable.
    pub ignore: Option<Vec<String>>,
    /// Glob → rules to disable in the files it matches.
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    /// Globs of paths not to check (replaces the built-in list).
    pub exclude: Option<Vec<String>>,
    /// Globs of paths not to check, on top of `exclude`.
    pub extend_exclude: Option<Vec<String>>,
    /// The oldest Python the project supports (`"3.11"` or `"py311"`); defaults to the lower
    /// bound of `project.requires-python`.
    pub target_version: Option<String>,
    /// The lowest severity that makes `archlint check` exit 1 (`error`, `warning`, `info`).
    pub fail_on: Option<SeverityName>,
    /// Rule code or name → severity, overriding the rule's default.
    pub severity: Option<BTreeMap<String, SeverityName>>,
    /// Files larger than this many bytes are reported (`IO004`) and not analysed.
    pub max_file_size: Option<u64>,
    /// Globs of test files: the `tests` role (kept for configurations written before
    /// `roles`).
    pub test_files: Option<Vec<String>>,
    /// Globs that give files their code role before any convention.
    pub roles: Option<RolesOptions>,
    /// A baseline file (`archlint check --write-baseline` writes one): the findings it holds
    /// are not reported. Relative to the configuration file's folder.
    pub baseline: Option<String>,
    /// Where `archlint check` keeps its cache (default: `.archlint_cache` in the project
    /// folder). Relative to the configuration file's folder.
    pub cache_dir: Option<String>,
    /// Options of the security rules.
    pub security: Option<SecurityOptions>,
    /// Source roots module names are counted from (default: the project folder and `src`).
    pub src: Option<Vec<String>>,
    /// Which imports count for import cycles.
    pub cycles: Option<CycleOptions>,
    /// Architecture contracts on the import graph.
    pub contracts: Option<ContractOptions>,
    /// Coupling metrics of packages.
    pub coupling: Option<CouplingOptions>,
    /// Dead-code analysis.
    pub deadcode: Option<DeadcodeOptions>,
    /// Dependency hygiene.
    pub deps: Option<DepsOptions>,
    /// Thresholds of the performance rules.
    pub performance: Option<PerformanceOptions>,
}

/// `[tool.archlint.roles]`: for each code role, the globs of the files that have it.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RolesOptions {
    pub package: Option<Vec<String>>,
    pub tests: Option<Vec<String>>,
    pub test_data: Option<Vec<String>>,
    pub docs: Option<Vec<String>>,
    pub scripts: Option<Vec<String>>,
    pub stubs: Option<Vec<String>>,
}

/// `[tool.archlint.cycles]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CycleOptions {
    /// Also ignore imports inside functions (they run later, when the cycle is complete).
    pub ignore_lazy: Option<bool>,
    /// Also ignore `importlib.import_module("literal")` imports.
    pub ignore_dynamic: Option<bool>,
}

/// `[tool.archlint.contracts]`: import-linter's six contract types.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ContractOptions {
    /// Leave out imports made only under `if TYPE_CHECKING:` (import-linter's
    /// `exclude_type_checking_imports`).
    pub exclude_type_checking: Option<bool>,
    pub layers: Option<Vec<LayersContract>>,
    pub independence: Option<Vec<IndependenceContract>>,
    pub forbidden: Option<Vec<ForbiddenContract>>,
    pub protected: Option<Vec<ProtectedContract>>,
    pub private_modules: Option<Vec<PrivateModulesContract>>,
    pub acyclic_siblings: Option<Vec<AcyclicSiblingsContract>>,
    /// Contracts of a configuration that archlint cannot check (an unknown or custom type),
    /// reported as such (`ARCH004`), never dropped.
    #[serde(skip)]
    pub unchecked: Vec<UncheckedContract>,
    /// import-linter's `root_package(s)`: only imports made by modules within them count,
    /// as in grimp's graph (empty: every module of the project).
    #[serde(skip)]
    pub root_packages: Vec<String>,
}

/// Where a contract is written: the file and the line of its table or section.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Declared {
    pub path: PathBuf,
    pub line: usize,
}

/// A contract archlint does not check, and why.
#[derive(Debug, Default, Clone)]
pub struct UncheckedContract {
    pub name: String,
    /// The `type` as written (`custom`, `mypkg.contracts.MyContract`).
    pub kind: String,
    pub reason: String,
    pub declared: Declared,
}

/// What to do about an `ignore-imports` entry that matches no import (import-linter's
/// `unmatched_ignore_imports_alerting`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Alerting {
    None,
    Warn,
    /// import-linter's default: the run fails.
    #[default]
    Error,
}

/// The options every contract type shares, as a contract's [`Contract::common`] gives them.
#[derive(Debug, Clone, Copy)]
pub struct CommonOptions<'c> {
    pub name: &'c str,
    /// `importer -> imported` pairs (with `*` and `**` wildcards) the contract ignores.
    pub ignore_imports: &'c [String],
    /// How an ignored import that matches nothing is reported.
    pub alerting: Alerting,
    /// Text shown under each finding of the contract: how the team wants it fixed.
    pub guidance: Option<&'c str>,
    pub declared: Option<&'c Declared>,
}

/// What every contract type has.
pub trait Contract {
    fn common(&self) -> CommonOptions<'_>;
}

/// Each contract type's struct with the shared fields: `ignore-imports`,
/// `unmatched-ignore-imports-alerting`, `broken-contract-guidance` (serde's `flatten` cannot
/// be combined with `deny_unknown_fields`, so they are repeated).
macro_rules! contract {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Default, Clone, Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        pub struct $name {
            pub name: String,
            $($(#[$fmeta])* pub $field: $ty,)*
            /// `importer -> imported` pairs (with `*` and `**` wildcards) the contract ignores.
            pub ignore_imports: Option<Vec<String>>,
            /// How an ignored import that matches nothing is reported (`none`, `warn`, `error`).
            pub unmatched_ignore_imports_alerting: Option<Alerting>,
            /// Text shown under each finding of the contract.
            pub broken_contract_guidance: Option<String>,
            /// Where the contract is written (filled in when read).
            #[serde(skip)]
            pub declared: Option<Declared>,
        }

        impl Contract for $name {
            fn common(&self) -> CommonOptions<'_> {
                CommonOptions {
                    name: &self.name,
                    ignore_imports: self.ignore_imports.as_deref().unwrap_or_default(),
                    alerting: self.unmatched_ignore_imports_alerting.unwrap_or_default(),
                    guidance: self.broken_contract_guidance.as_deref(),
                    declared: self.declared.as_ref(),
                }
            }
        }
    };
}

contract! {
/// Higher layers first; a layer written `a | b` holds independent siblings, `a : b`
/// siblings that may import each other.
pub struct LayersContract {
    pub layers: Vec<String>,
    /// Packages the layers are relative to (each layer is a subpackage of every container).
    pub containers: Option<Vec<String>>,
    /// Every child of every container must be a layer (or in `exhaustive-ignores`).
    pub exhaustive: Option<bool>,
    pub exhaustive_ignores: Option<Vec<String>>,
    /// Only direct imports break the contract.
    pub allow_indirect: Option<bool>,
}}

contract! { pub struct IndependenceContract {
    pub modules: Vec<String>,
    pub allow_indirect: Option<bool>,
}}

contract! { pub struct ForbiddenContract {
    pub source_modules: Vec<String>,
    /// Project modules or external packages (`requests`).
    pub forbidden_modules: Vec<String>,
    pub allow_indirect: Option<bool>,
}}

contract! {
/// Only the allowed importers may import the protected modules directly.
pub struct ProtectedContract {
    /// Module expressions (`*`, `**` wildcards).
    pub protected_modules: Vec<String>,
    pub allowed_importers: Vec<String>,
    /// Each module stands for its descendants too (default `true`).
    pub as_packages: Option<bool>,
}}

contract! {
/// A private module (`_x`, not a dunder) and its descendants may only be imported from within
/// its parent package.
pub struct PrivateModulesContract {
    /// The packages whose private modules are checked (default: every module).
    pub packages_with_private_modules: Option<Vec<String>>,
}}

contract! {
/// The children of each ancestor (and of their descendants, `depth` levels down) import
/// each other without a cycle.
pub struct AcyclicSiblingsContract {
    pub ancestors: Vec<String>,
    /// How many levels below each ancestor are checked too (default 10).
    pub depth: Option<usize>,
    /// Descendants whose own children are not checked.
    pub skip_descendants: Option<Vec<String>>,
}}

/// `[tool.archlint.coupling]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CouplingOptions {
    /// Distance from the main sequence above which a package is reported (0 to 1).
    pub max_distance: Option<f64>,
    /// Packages with fewer modules are not reported.
    pub min_modules: Option<usize>,
}

/// `[tool.archlint.deadcode]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DeadcodeOptions {
    /// Names (or `module.qualname` paths, with `*` wildcards) that count as used.
    pub allow: Option<Vec<String>>,
    /// Findings below this confidence (percent) are not reported.
    pub min_confidence: Option<u8>,
    /// Decorators (qualified names, `*` wildcards) whose functions count as used.
    pub used_decorators: Option<Vec<String>>,
}

/// `[tool.archlint.deps]`: what deptry users set in `[tool.deptry]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DepsOptions {
    /// Top-level modules that belong to the project besides those found in its source
    /// roots (deptry's `known_first_party`).
    pub known_first_party: Option<Vec<String>>,
    /// Distribution → the top-level modules it provides, for names the built-in table and
    /// the environment do not know (deptry's `package_module_name_map`).
    pub package_module_map: Option<BTreeMap<String, Vec<String>>>,
    /// Rule code → the modules or distributions it does not report (deptry's
    /// `per_rule_ignores`).
    pub ignore: Option<BTreeMap<String, Vec<String>>>,
    /// Extras of `optional-dependencies` that are development dependencies (deptry's
    /// `pep621_dev_dependency_groups`).
    pub dev_extras: Option<Vec<String>>,
    /// The Python environment (interpreter or virtualenv folder) whose installed
    /// distributions map imports to distributions; `VIRTUAL_ENV` when unset.
    pub python: Option<String>,
    /// The OSV advisory database `vulnerable-pinned-dependency` and `deps --audit` read (a
    /// folder of OSV JSON files or OSV's `all.zip`), relative to the project root; default:
    /// the cache `archlint deps --update-db` fills.
    pub osv_db: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Error,
    Warning,
    Info,
}

/// `[tool.archlint.performance]`: the thresholds of the complexity and nesting rules.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PerformanceOptions {
    /// PERF001 warns about a function more complex than this (ruff's and mccabe's
    /// `max-complexity`; default 10: radon rank C and worse).
    pub max_complexity: Option<u32>,
    /// PERF001 reports an error above this (default 20: radon rank D and worse).
    pub max_complexity_error: Option<u32>,
    /// PERF002 advises on a module whose maintainability index is at or below this (default
    /// 19: radon rank B and worse).
    pub maintainability_info: Option<f64>,
    /// PERF002 warns at or below this (default 9: radon rank C).
    pub maintainability_warning: Option<f64>,
    /// PERF003 reports blocks nested deeper than this in a function (default 5).
    pub max_nesting: Option<u32>,
}

/// `[tool.archlint.security]`: the options bandit users know from its configuration.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecurityOptions {
    /// Temporary directories `hardcoded-temp-path` looks for (bandit's `tmp_dirs`).
    pub tmp_dirs: Option<Vec<String>>,
    /// Also flag `except SomeError: pass` with a specific exception type (bandit's
    /// `check_typed_exception`).
    pub check_typed_exception: Option<bool>,
    /// Calls whose result `markup-xss` trusts (bandit's `allowed_calls`).
    pub markup_allowed_calls: Option<Vec<String>>,
    /// Extra names treated like `markupsafe.Markup` (bandit's `extend_markup_names`).
    pub markup_extend_names: Option<Vec<String>>,
}

/// The parts of a `pyproject.toml` archlint reads.
#[derive(Debug, Default, Deserialize)]
pub struct Pyproject {
    pub project: Option<ProjectTable>,
    pub tool: Option<ToolTable>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ProjectTable {
    pub requires_python: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ToolTable {
    pub archlint: Option<Options>,
}

/// A configuration file that could not be used.
#[derive(Debug)]
pub enum ConfigError {
    /// The file is not valid TOML: reported as a diagnostic, and the run goes on with defaults.
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// `[tool.archlint]` holds an unknown key or a bad value: the run stops (exit 2).
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A command-line flag holds a bad value (`--select SEC6020`): the run stops (exit 2).
    CommandLine { flag: &'static str, message: String },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Syntax {
                path,
                line,
                column,
                message,
            }
            | ConfigError::Invalid {
                path,
                line,
                column,
                message,
            } => {
                write!(f, "{}:{line}:{column}: {message}", path.display())
            }
            ConfigError::Io { path, error } => {
                write!(f, "cannot read {}: {error}", path.display())
            }
            ConfigError::CommandLine { flag, message } => write!(f, "{flag}: {message}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Every key `[tool.archlint]` accepts, for "did you mean" suggestions.
const KEYS: &[&str] = &[
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "target-version",
    "fail-on",
    "severity",
    "max-file-size",
    "baseline",
    "cache-dir",
    "test-files",
    "security",
    "tmp-dirs",
    "check-typed-exception",
    "markup-allowed-calls",
    "markup-extend-names",
    "src",
    "cycles",
    "ignore-lazy",
    "ignore-dynamic",
    "contracts",
    "layers",
    "independence",
    "forbidden",
    "name",
    "containers",
    "ignore-imports",
    "allow-indirect",
    "exhaustive",
    "exhaustive-ignores",
    "exclude-type-checking",
    "modules",
    "source-modules",
    "forbidden-modules",
    "protected",
    "protected-modules",
    "allowed-importers",
    "as-packages",
    "private-modules",
    "packages-with-private-modules",
    "acyclic-siblings",
    "ancestors",
    "depth",
    "skip-descendants",
    "unmatched-ignore-imports-alerting",
    "broken-contract-guidance",
    "coupling",
    "max-distance",
    "min-modules",
    "deadcode",
    "allow",
    "min-confidence",
    "used-decorators",
    "deps",
    "osv-db",
    "known-first-party",
    "package-module-map",
    "dev-extras",
    "python",
    "performance",
    "max-complexity",
    "max-complexity-error",
    "maintainability-info",
    "maintainability-warning",
    "max-nesting",
];

/// Reads a configuration file: `pyproject.toml` (the `[tool.archlint]` table) or
/// `archlint.toml` or any other file given with `--config` (the whole file: a `--config
/// strict.toml` must not be read as a `pyproject.toml` and silently yield nothing).
pub fn load(path: &Path) -> Result<(Option<Options>, Option<String>), ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Io {
        path: display_path(path),
        error,
    })?;
    let shown = display_path(path);
    let document: toml_edit::ImDocument<String> =
        text.parse().map_err(|error: toml_edit::TomlError| {
            let (line, column) = position(&text, error.span().map_or(0, |s| s.start));
            ConfigError::Syntax {
                path: shown.clone(),
                line,
                column,
                message: format!("invalid TOML: {}", one_line(error.message())),
            }
        })?;
    let invalid = |error: toml_edit::de::Error| {
        let offset = error.span().map_or(0, |s| s.start);
        let (line, column) = position(&text, offset);
        ConfigError::Invalid {
            path: shown.clone(),
            line,
            column,
            message: explain(error.message(), key_at(&text, offset)),
        }
    };
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    if !is_pyproject {
        let options: Options = toml_edit::de::from_document(document).map_err(invalid)?;
        return Ok((Some(options), None));
    }
    let pyproject: Pyproject = toml_edit::de::from_document(document).map_err(invalid)?;
    let requires_python = pyproject.project.and_then(|p| p.requires_python);
    Ok((pyproject.tool.and_then(|t| t.archlint), requires_python))
}

/// A multi-line parser message on one line, so every output format (one line per finding in
/// `concise` and `github`) shows it whole.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The key assigned on the line holding `offset` (`fail-on` in `fail-on = "fatal"`), so a bad
/// value's message names its key; serde's own message names only the value.
fn key_at(text: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let (key, _) = text[start..end].split_once('=')?;
    let key = key.trim().trim_matches('"').trim_matches('\'');
    (!key.is_empty() && !key.contains(char::is_whitespace)).then_some(key)
}

/// A path as the user knows it: relative to the working directory when it lies below it.
pub fn display_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|relative| !relative.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
}

/// Rewrites serde's "unknown field `selct`, expected one of …" as a short message with the
/// closest valid key, and names the key of a bad value.
fn explain(message: &str, key: Option<&str>) -> String {
    let message = one_line(message);
    let message = message.as_str();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default();
        let closest = KEYS
            .iter()
            .map(|candidate| (strsim::jaro_winkler(key, candidate), *candidate))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, _)| *score > 0.7)
            .map(|(_, candidate)| format!("; did you mean `{candidate}`?"))
            .unwrap_or_default();
        return format!("unknown key `{key}` in [tool.archlint]{closest}");
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or_default();
        let expected = rest.split_once("expected").map_or("", |(_, e)| e.trim());
        return match key {
            Some(key) => format!("invalid value `{value}` for `{key}`: expected {expected}"),
            None => format!("invalid value `{value}`: expected {expected}"),
        };
    }
    match key {
        Some(key) => format!("invalid value for `{key}`: {message}"),
        None => message.to_string(),
    }
}

/// The 1-based line and column of a byte offset.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
