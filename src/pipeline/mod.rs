//! The check pipeline: discover → read and parse (in parallel) → one walk per file running
//! the selected rules and collecting facts → the project-wide rules on the facts of every
//! module → filter (per-file ignores, suppressions, severity overrides) → sort. One file's
//! failure, even a panic, is a diagnostic; the run goes on. `package` is the same for built
//! distributions.

pub mod cache;
pub mod changes;
mod ci;
pub mod ignores;
pub mod package;
pub mod profile;
pub mod report;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use ruff_python_ast::token::TokenKind;
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashMap;

use archlint_analysis::types::TypesRun;
use archlint_analysis::{Project, ProjectContext};
use archlint_facts::ModuleFacts;
use archlint_facts::context::{FileContext, PyprojectContext};
use archlint_project::discover::{Discovered, discover, discover_remembering};
use archlint_project::module_name::module_name;
use archlint_project::pyproject_file::PyprojectFile;
use archlint_project::roles::Assignment;
use archlint_project::settings::Settings;
use archlint_rules::dispatch::{Dispatch, Dispatches};
use archlint_rules::engine::{
    binary_file::BINARY_FILE, file_not_regular::FILE_NOT_REGULAR, file_not_utf8::FILE_NOT_UTF8,
    file_too_large::FILE_TOO_LARGE, file_unreadable::FILE_UNREADABLE,
    internal_error::INTERNAL_ERROR, nesting_too_deep::NESTING_TOO_DEEP, syntax_error::SYNTAX_ERROR,
    unused_suppression::UNUSED_SUPPRESSION,
};
use archlint_rules::registry;
use archlint_source::parse::{self, FailureKind, ParsedFile};
use archlint_source::read::{SourceError, read_source};
use archlint_source::suppress::{self, Dialect, Suppressions};
use archlint_vocabulary::diagnostic::{self, Diagnostic};
use archlint_vocabulary::{Role, Rule};

/// Thread stacks for the walk: the visitor recurses once per nesting level.
const STACK_SIZE: usize = 64 * 1024 * 1024;

pub struct CheckOutcome {
    pub diagnostics: Vec<Diagnostic>,
    pub modules: Vec<ModuleFacts>,
    pub files_checked: usize,
    /// Files named on the command line that no rule could read, and why.
    pub not_checked: Vec<(PathBuf, String)>,
}

/// Checks `paths` with `settings`; `progress` is called once per file done.
pub fn check(paths: &[PathBuf], settings: &Settings, progress: &(dyn Fn() + Sync)) -> CheckOutcome {
    check_with(
        paths,
        settings,
        &Dispatches::for_rules(&settings.rules),
        progress,
    )
}

/// [`check`], reusing what `cache` holds for the files that did not change and keeping what
/// this run found for the next ([`cache::Cache::save`] writes it).
pub fn check_cached(
    paths: &[PathBuf],
    settings: &Settings,
    cache: &cache::Cache,
    progress: &(dyn Fn() + Sync),
) -> CheckOutcome {
    check_with_hooks(
        paths,
        settings,
        &Dispatches::for_rules(&settings.rules),
        progress,
        &|_| (),
        None,
        Some(cache),
    )
    .0
}

/// What a per-file hook of [`check_each`] may look at: the file, parsed.
pub type EachFile<'h, T> = dyn Fn(&ParsedFile) -> T + Sync + 'h;

/// What a hook of [`check_each`] sees of the project model, once the project-wide rules ran.
pub type InspectProject<'h> = dyn FnMut(&Project) + 'h;

/// [`check`], with `each` run on every file that parses (in the same pass, on the same tree)
/// and `inspect` on the project model the project-wide rules used: `archlint report` reads
/// everything it shows in one discovery and one parse per file.
pub fn check_each<T: Send>(
    paths: &[PathBuf],
    settings: &Settings,
    progress: &(dyn Fn() + Sync),
    each: &EachFile<'_, T>,
    inspect: &mut InspectProject<'_>,
) -> (CheckOutcome, Vec<T>) {
    check_with_hooks(
        paths,
        settings,
        &Dispatches::for_rules(&settings.rules),
        progress,
        each,
        Some(inspect),
        None,
    )
}

/// The facts of every module, with no rule run (for `archlint graph`).
pub fn collect_facts(paths: &[PathBuf], settings: &Settings) -> Vec<ModuleFacts> {
    check_with(paths, settings, &Dispatches::new(&[]), &|| {}).modules
}

/// Every file under `paths` with its role and why (`check --show-roles`).
pub fn roles(paths: &[PathBuf], settings: &Settings) -> Vec<(PathBuf, Assignment)> {
    let discovered = discover(paths, settings);
    discovered
        .files
        .iter()
        .map(|path| {
            let assignment = settings
                .roles
                .of(path, &|dir| discovered.is_package_dir(dir));
            (path.clone(), assignment)
        })
        .collect()
}

fn check_with(
    paths: &[PathBuf],
    settings: &Settings,
    dispatches: &Dispatches,
    progress: &(dyn Fn() + Sync),
) -> CheckOutcome {
    check_with_hooks(paths, settings, dispatches, progress, &|_| (), None, None).0
}

/// The check with its hooks and cache. A file taken from the cache is not parsed, so runs with
/// a per-file hook pass no cache.
fn check_with_hooks<T: Send>(
    paths: &[PathBuf],
    settings: &Settings,
    dispatches: &Dispatches,
    progress: &(dyn Fn() + Sync),
    each: &EachFile<'_, T>,
    mut inspect: Option<&mut InspectProject<'_>>,
    cache: Option<&cache::Cache>,
) -> (CheckOutcome, Vec<T>) {
    let discovered = match cache {
        Some(cache) => {
            let (discovered, walks) = discover_remembering(paths, settings, cache.walks());
            if let Some(walks) = walks {
                cache.keep_walks(walks);
            }
            cache.wait_until_read();
            discovered
        }
        None => discover(paths, settings),
    };
    let dispatch = dispatches.project();
    let mut diagnostics: Vec<Diagnostic> = discovered
        .skipped
        .iter()
        .map(|skipped| {
            let rule = if skipped.special {
                &FILE_NOT_REGULAR
            } else {
                &FILE_UNREADABLE
            };
            Diagnostic::for_file(rule, skipped.path.clone(), skipped.reason.clone())
        })
        .filter(|d| settings.rules.contains(d.code))
        .collect();
    if let Some(problem) = &settings.config_problem
        && settings.rules.contains(FILE_UNREADABLE.code)
    {
        diagnostics.push(config_diagnostic(problem));
    }

    let outcomes = map_files(
        &discovered,
        settings,
        |path, identity| {
            let dispatch = dispatches.of(identity.role);
            let outcome = check_file(path, identity, settings, dispatch, each, cache);
            progress();
            outcome
        },
        |internal_error| (vec![internal_error], None, None),
    );
    // Read once for the metadata rules and the project-wide ones.
    let wants_project = dispatch.has_project_rules() || inspect.is_some();
    let pyproject = (dispatch.has_pyproject_rules() || wants_project || dispatch.has_ci_rules())
        .then(|| read_pyproject(settings))
        .flatten();
    diagnostics.extend(check_pyproject(settings, dispatch, pyproject.as_ref()));
    let (ci_found, ci_files_checked) = ci::check_ci(settings, dispatch, pyproject.as_ref());
    let not_checked = yaml_not_checked(&discovered.yaml, &ci_files_checked, dispatch);
    diagnostics.extend(ci_found);
    let mut modules = Vec::with_capacity(outcomes.len());
    let mut found = Vec::with_capacity(outcomes.len());
    for (file_diagnostics, facts, each_found) in outcomes {
        diagnostics.extend(file_diagnostics);
        modules.extend(facts);
        found.extend(each_found);
    }
    if wants_project {
        diagnostics.extend(check_project(
            &mut modules,
            settings,
            dispatch,
            pyproject,
            &mut inspect,
        ));
    }
    let role_of: FxHashMap<&Path, Role> = modules
        .iter()
        .map(|module| (module.path.as_path(), module.role))
        .collect();
    // Findings come grouped by file: the previous one's file is usually the answer.
    let mut previous: Option<(&Path, Role)> = None;
    for d in &mut diagnostics {
        d.role = match previous {
            Some((path, role)) if path == d.path => Some(role),
            _ => {
                previous = role_of
                    .get_key_value(d.path.as_path())
                    .map(|(p, r)| (*p, *r));
                previous.map(|(_, role)| role)
            }
        };
    }
    diagnostic::sort(&mut diagnostics);
    let outcome = CheckOutcome {
        diagnostics,
        modules,
        files_checked: discovered.files.len() + ci_files_checked.len(),
        not_checked,
    };
    (outcome, found)
}

/// The YAML files named on the command line that the CI rules did not check, and why.
fn yaml_not_checked(
    named: &[PathBuf],
    checked: &[PathBuf],
    dispatch: &Dispatch,
) -> Vec<(PathBuf, String)> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    named
        .iter()
        .filter(|path| !checked.iter().any(|c| same(path, c)))
        .map(|path| {
            let why = if dispatch.has_ci_rules() {
                "not a CI file of the project (workflows and actions under `.github/`, \
                 `action.yml`, `.gitlab-ci.yml`, `.pre-commit-config.yaml`, \
                 `.github/dependabot.yml`), or its YAML is broken"
            } else {
                "no CI rule is selected"
            };
            (path.clone(), why.to_string())
        })
        .collect()
}

/// What a file is: its module, whether it is a package's `__init__`, and its role.
#[derive(Clone)]
pub struct FileIdentity {
    pub module: Option<String>,
    pub is_package: bool,
    pub role: Role,
}

/// Runs `work` on every discovered file in parallel, with what the file is. A panic in one
/// file becomes `on_panic(INT001 diagnostic)`.
fn map_files<T: Send>(
    discovered: &Discovered,
    settings: &Settings,
    work: impl Fn(&Path, FileIdentity) -> T + Sync,
    on_panic: impl Fn(Diagnostic) -> T + Sync,
) -> Vec<T> {
    let each_file = || {
        discovered
            .files
            .par_iter()
            .map(|path| {
                let is_package_dir = |dir: &Path| discovered.is_package_dir(dir);
                let (module, is_package) =
                    module_name(path, &settings.project.source_roots, is_package_dir);
                let identity = FileIdentity {
                    module,
                    is_package,
                    role: settings.roles.of(path, &is_package_dir).role,
                };
                catch_unwind(AssertUnwindSafe(|| work(path, identity))).unwrap_or_else(|panic| {
                    let message = panic_message(&panic);
                    let text = format!(
                        "archlint failed on this file ({message}); please report it with the file"
                    );
                    on_panic(Diagnostic::for_file(
                        &INTERNAL_ERROR,
                        path.to_path_buf(),
                        text,
                    ))
                })
            })
            .collect()
    };
    if *GLOBAL_POOL_HAS_STACKS {
        each_file()
    } else {
        rayon::ThreadPoolBuilder::new()
            .stack_size(STACK_SIZE)
            .build()
            .expect("thread pool")
            .install(each_file)
    }
}

/// Whether rayon's global pool has threads with stacks for the walk: then the files are
/// checked on it, and the cache, the per-file work and the project-wide rules share its
/// threads (and their memory) instead of each starting their own. It has them when
/// [`init_threads`] ran before anything used rayon.
static GLOBAL_POOL_HAS_STACKS: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_SIZE)
        .build_global()
        .is_ok()
});

/// Gives rayon's global pool stacks for the walk; called first thing by the command line.
pub fn init_threads() {
    std::sync::LazyLock::force(&GLOBAL_POOL_HAS_STACKS);
}

/// What [`parse_each`] gives: one result per file that parsed, and a diagnostic for each
/// file that could not be read or parsed.
struct ParsedFiles<T> {
    results: Vec<T>,
    problems: Vec<Diagnostic>,
}

/// Annotation coverage, public-API completeness and, with `stubs`, the stubs of every module
/// under `paths`, in one parallel pass (`archlint types`).
pub fn types(paths: &[PathBuf], settings: &Settings, stubs: bool) -> TypesRun {
    let files = parse_each(paths, settings, |file| {
        archlint_analysis::types::read(file, settings, stubs)
    });
    archlint_analysis::types::assemble(files.results, files.problems)
}

/// What `archlint metrics` measures: one entry per Python source file (stubs have no bodies
/// to measure), by path, and the files that could not be read or parsed.
pub struct MetricsRun {
    pub files: Vec<archlint_analysis::metrics::FileMetrics>,
    pub problems: Vec<Diagnostic>,
}

/// The metrics of every file under `paths`, in one parallel pass (`archlint metrics`).
pub fn metrics(paths: &[PathBuf], settings: &Settings) -> MetricsRun {
    let measured = parse_each(paths, settings, |file| {
        (file.role != archlint_vocabulary::Role::Stubs)
            .then(|| archlint_analysis::metrics::measure(file))
    });
    let mut files: Vec<_> = measured.results.into_iter().flatten().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    MetricsRun {
        files,
        problems: measured.problems,
    }
}

/// Reads and parses every file under `paths` in parallel and runs `work` on each tree, for the
/// commands that need the syntax itself rather than the rules' findings (`archlint types`).
fn parse_each<T: Send>(
    paths: &[PathBuf],
    settings: &Settings,
    work: impl Fn(&ParsedFile) -> T + Sync,
) -> ParsedFiles<T> {
    let discovered = discover(paths, settings);
    let outcomes = map_files(
        &discovered,
        settings,
        |path, identity| {
            let source = read_source(path, settings.max_file_size).map_err(|error| {
                Some(Box::new(Diagnostic::for_file(
                    read_error_rule(&error),
                    path.to_path_buf(),
                    error.to_string(),
                )))
            })?;
            match parse::parse(&source) {
                Ok(parsed) => Ok(work(&ParsedFile {
                    path,
                    module: identity.module,
                    is_package: identity.is_package,
                    role: identity.role,
                    source: &source,
                    parsed: &parsed,
                })),
                Err(failure) => {
                    let message = format!("syntax error: {}", failure.problem.message);
                    // A tree that failed may be deep enough to overflow a recursive drop.
                    std::mem::forget(failure.parsed);
                    // Test data may be broken on purpose.
                    Err(SYNTAX_ERROR.roles().contains(identity.role).then(|| {
                        Box::new(Diagnostic::for_file(
                            &SYNTAX_ERROR,
                            path.to_path_buf(),
                            message,
                        ))
                    }))
                }
            }
        },
        |internal_error| Err(Some(Box::new(internal_error))),
    );
    let mut files = ParsedFiles {
        results: Vec::with_capacity(outcomes.len()),
        problems: discovered
            .skipped
            .iter()
            .map(|skipped| {
                Diagnostic::for_file(
                    &FILE_UNREADABLE,
                    skipped.path.clone(),
                    skipped.reason.clone(),
                )
            })
            .collect(),
    };
    for outcome in outcomes {
        match outcome {
            Ok(result) => files.results.push(result),
            Err(Some(problem)) => files.problems.push(*problem),
            Err(None) => {}
        }
    }
    files
}

pub(crate) fn read_error_rule(error: &SourceError) -> &'static Rule {
    match error {
        SourceError::Io(_) => &FILE_UNREADABLE,
        SourceError::NotRegular(_) => &FILE_NOT_REGULAR,
        SourceError::TooLarge { .. } => &FILE_TOO_LARGE,
        SourceError::Binary { .. } => &BINARY_FILE,
        SourceError::NotUtf8 { .. } => &FILE_NOT_UTF8,
    }
}

/// The project's `pyproject.toml`, when it has a readable one.
pub(crate) fn read_pyproject(settings: &Settings) -> Option<PyprojectFile> {
    PyprojectFile::read(&archlint_project::options::display_path(
        &settings.root.join("pyproject.toml"),
    ))
}

/// The rules about project metadata, on the `pyproject.toml` at the project root.
pub(crate) fn check_pyproject(
    settings: &Settings,
    dispatch: &Dispatch,
    file: Option<&PyprojectFile>,
) -> Vec<Diagnostic> {
    let Some(file) = file.filter(|_| dispatch.has_pyproject_rules()) else {
        return Vec::new();
    };
    let mut cx = PyprojectContext::new(file, &settings.rule_options);
    dispatch.run_pyproject(&mut cx);
    configured(settings, cx.diagnostics)
}

/// The findings the configuration keeps (per-file ignores), at their configured severity.
pub(crate) fn configured(
    settings: &Settings,
    diagnostics: impl IntoIterator<Item = Diagnostic>,
) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter(|d| settings.applies_to(d.rule, &d.path))
        .map(|mut d| {
            if let Some(severity) = settings.severity_overrides.get(d.code) {
                d.severity = *severity;
            }
            d
        })
        .collect()
}

/// The project-wide rules, on the facts of every module; their findings go through the
/// suppression comments of the file they point into, and the comments only they could use
/// are reported here when unused.
fn check_project(
    modules: &mut [ModuleFacts],
    settings: &Settings,
    dispatch: &Dispatch,
    pyproject: Option<PyprojectFile>,
    inspect: &mut Option<&mut InspectProject<'_>>,
) -> Vec<Diagnostic> {
    let found = {
        let project = Project::new(modules, &settings.project, &settings.rule_options)
            .with_pyproject(pyproject)
            .with_blocking_apis(archlint_rules::asy::blocking_apis());
        let mut cx = ProjectContext::new(&project);
        dispatch.run_project(&mut cx);
        if let Some(inspect) = inspect {
            inspect(&project);
        }
        cx.diagnostics
    };
    let by_path: rustc_hash::FxHashMap<PathBuf, usize> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.path.clone(), i))
        .collect();
    let mut kept = Vec::with_capacity(found.len());
    for mut diagnostic in found {
        let rule = diagnostic.rule;
        if !settings.applies_to(rule, &diagnostic.path) {
            continue;
        }
        if let Some(&index) = by_path.get(&diagnostic.path) {
            let module = &mut modules[index];
            let span = diagnostic.start.line..=diagnostic.end.line;
            if !rule.roles().contains(module.role)
                || module
                    .suppressions
                    .suppresses(rule, &[diagnostic.start.line], span)
            {
                continue;
            }
        }
        if let Some(severity) = settings.severity_overrides.get(rule.code) {
            diagnostic.severity = *severity;
        }
        kept.push(diagnostic);
    }
    if settings.rules.contains(UNUSED_SUPPRESSION.code) {
        for module in modules.iter() {
            if !keeps(settings, &UNUSED_SUPPRESSION, &module.path, module.role) {
                continue;
            }
            for directive in &module.suppressions.directives {
                if directive.dialect != Dialect::Archlint
                    || directive.used
                    || !covers_project_rule(directive, settings)
                {
                    continue;
                }
                if let Some(message) =
                    unused_suppression_message(directive, settings, &|r| runs_on(r, module.role))
                {
                    let mut d =
                        Diagnostic::for_file(&UNUSED_SUPPRESSION, module.path.clone(), message);
                    d.start = diagnostic::Location {
                        line: directive.line,
                        column: directive.column,
                    };
                    d.end = d.start;
                    if let Some(severity) = settings.severity_overrides.get(UNUSED_SUPPRESSION.code)
                    {
                        d.severity = *severity;
                    }
                    kept.push(d);
                }
            }
        }
    }
    kept
}

/// Whether a selected project-wide rule could use the comment (then it is judged unused
/// only after the project-wide rules ran).
fn covers_project_rule(directive: &suppress::Directive, settings: &Settings) -> bool {
    registry::selected(&settings.rules)
        .iter()
        .any(|rule| rule.is_project_wide() && directive.covers(rule))
}

fn config_diagnostic(problem: &archlint_project::options::ConfigError) -> Diagnostic {
    use archlint_project::options::ConfigError;
    match problem {
        ConfigError::Syntax {
            path,
            line,
            column,
            message,
        } => {
            let mut d = Diagnostic::for_file(
                &FILE_UNREADABLE,
                path.clone(),
                format!("{message}; the file is ignored and defaults are used"),
            );
            d.start = diagnostic::Location {
                line: *line,
                column: *column,
            };
            d.end = d.start;
            d
        }
        other => Diagnostic::for_file(&FILE_UNREADABLE, PathBuf::from("."), other.to_string()),
    }
}

pub(crate) fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "internal error".to_string())
}

/// Reads, parses and checks one file, or takes what checking it gave from `cache`: without
/// reading it when its stat is the one recorded, else when its content is.
fn check_file<T>(
    path: &Path,
    identity: FileIdentity,
    settings: &Settings,
    dispatch: &Dispatch,
    each: &EachFile<'_, T>,
    cache: Option<&cache::Cache>,
) -> FileOutcome<T> {
    let stat = cache.and_then(|cache| {
        cache.ask();
        cache::FileStat::of(path)
    });
    if let (Some(cache), Some(stat)) = (cache, &stat)
        && let Some((diagnostics, facts)) = cache.get(path, cache::Lookup::Stat(stat), &identity)
    {
        return (diagnostics, facts, None);
    }
    let source = match read_source(path, settings.max_file_size) {
        Ok(source) => source,
        Err(error) => {
            let rule = read_error_rule(&error);
            let mut d = Diagnostic::for_file(rule, path.to_path_buf(), error.to_string());
            if let SourceError::NotUtf8 { line, column, .. } = error {
                d.start = diagnostic::Location { line, column };
                d.end = d.start;
            }
            let keep = keeps(settings, rule, path, identity.role);
            return (if keep { vec![d] } else { Vec::new() }, None, None);
        }
    };
    let Some(cache) = cache else {
        return check_source_each(path, identity, &source, settings, dispatch, each);
    };
    let content = cache::content_hash(&source);
    if let Some((diagnostics, facts)) = cache.get(path, cache::Lookup::Content(&content), &identity)
    {
        // Same content, new times (a `touch`, a checkout): recorded anew.
        cache.put(path, content, stat, &identity, &diagnostics, facts.as_ref());
        return (diagnostics, facts, None);
    }
    let outcome = check_source_each(path, identity.clone(), &source, settings, dispatch, each);
    cache.put(
        path,
        content,
        stat,
        &identity,
        &outcome.0,
        outcome.1.as_ref(),
    );
    outcome
}

/// A file's findings, its facts when it parsed, and what the per-file hook found in it.
type FileOutcome<T> = (Vec<Diagnostic>, Option<ModuleFacts>, Option<T>);

/// Whether the findings of `rule` in the file at `path`, of `role`, are reported: the rule is
/// selected, runs in that role, and no `per-file-ignores` entry turns it off there.
fn keeps(settings: &Settings, rule: &Rule, path: &Path, role: Role) -> bool {
    settings.rules.contains(rule.code)
        && rule.roles().contains(role)
        && settings.applies_to(rule, path)
}

/// Checks one file's text (the part tests can drive without a file system).
pub fn check_source(
    path: &Path,
    identity: FileIdentity,
    source: &str,
    settings: &Settings,
    dispatch: &Dispatch,
) -> (Vec<Diagnostic>, Option<ModuleFacts>) {
    let (diagnostics, facts, _) =
        check_source_each(path, identity, source, settings, dispatch, &|_| ());
    (diagnostics, facts)
}

fn check_source_each<T>(
    path: &Path,
    identity: FileIdentity,
    source: &str,
    settings: &Settings,
    dispatch: &Dispatch,
    each: &EachFile<'_, T>,
) -> FileOutcome<T> {
    let role = identity.role;
    let module = identity.module.clone();
    let facts = ModuleFacts {
        path: path.to_path_buf(),
        module: identity.module,
        is_package: identity.is_package,
        role,
        ..ModuleFacts::default()
    };
    match parse::parse(source) {
        Ok(parsed) => {
            let mut cx =
                FileContext::new(path, source, parsed.tokens(), &settings.rule_options, facts);
            dispatch.run(parsed.syntax(), &mut cx);
            let too_deep = cx
                .diagnostics
                .iter()
                .any(|d| d.code == NESTING_TOO_DEEP.code);
            let statements = statement_lines(&parsed, &cx);
            let mut suppressions = suppressions(&cx);
            let diagnostics = std::mem::take(&mut cx.diagnostics);
            let diagnostics = filter(
                diagnostics,
                &mut suppressions,
                &statements,
                path,
                settings,
                &mut cx,
            );
            let mut facts = std::mem::take(&mut cx.facts);
            facts.suppressions = suppressions;
            drop(cx);
            // The hooks walk the tree recursively too: not one the walk found too deep.
            let found = (!too_deep).then(|| {
                each(&ParsedFile {
                    path,
                    module,
                    is_package: identity.is_package,
                    role,
                    source,
                    parsed: &parsed,
                })
            });
            if too_deep {
                // A tree deeper than the walk goes may be deep enough to overflow a recursive
                // drop; such files are rare and the leak is bounded by the file size limit.
                std::mem::forget(parsed);
            }
            (diagnostics, Some(facts), found)
        }
        Err(failure) => {
            let rule: &'static Rule = match failure.kind {
                FailureKind::Syntax => &SYNTAX_ERROR,
                FailureKind::TooDeep => &NESTING_TOO_DEEP,
            };
            let keep = keeps(settings, rule, path, role);
            let diagnostics = match &failure.parsed {
                _ if !keep => Vec::new(),
                Some(parsed) => {
                    let mut cx = FileContext::new(
                        path,
                        source,
                        parsed.tokens(),
                        &settings.rule_options,
                        facts,
                    );
                    cx.push(
                        rule,
                        failure.problem.range,
                        format!("syntax error: {}", failure.problem.message),
                        None,
                        None,
                    );
                    std::mem::take(&mut cx.diagnostics)
                }
                // Not parsed at all: no tokens to place it by, so it is about the file.
                None => {
                    let message = match failure.kind {
                        FailureKind::Syntax => format!("syntax error: {}", failure.problem.message),
                        FailureKind::TooDeep => failure.problem.message.clone(),
                    };
                    vec![Diagnostic::for_file(rule, path.to_path_buf(), message)]
                }
            };
            // A tree that failed on nesting may be deep enough to overflow a recursive drop.
            std::mem::forget(failure.parsed);
            (diagnostics, None, None)
        }
    }
}

fn suppressions(cx: &FileContext) -> Suppressions {
    let mut directives = Vec::new();
    for token in cx.tokens.iter().filter(|t| t.kind() == TokenKind::Comment) {
        let text = cx.text(token.range());
        let lower = text.to_ascii_lowercase();
        if !(lower.contains("archlint") || lower.contains("nosec") || lower.contains("noqa")) {
            continue;
        }
        let location = cx.location(token.start());
        directives.extend(
            suppress::parse_comment(text, location.line, token.range())
                .into_iter()
                .map(|directive| suppress::Directive {
                    column: location.column,
                    ..directive
                }),
        );
    }
    Suppressions { directives }
}

/// For each statement, its first line and the byte range it covers.
fn statement_lines(
    parsed: &ruff_python_parser::Parsed<ruff_python_ast::ModModule>,
    cx: &FileContext,
) -> Vec<(TextRange, usize)> {
    use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
    struct Collector<'c, 'a> {
        cx: &'c FileContext<'a>,
        out: Vec<(TextRange, usize)>,
    }
    impl<'s> StatementVisitor<'s> for Collector<'_, '_> {
        fn visit_stmt(&mut self, stmt: &'s ruff_python_ast::Stmt) {
            self.out
                .push((stmt.range(), self.cx.location(stmt.start()).line));
            walk_stmt(self, stmt);
        }
    }
    let mut collector = Collector {
        cx,
        out: Vec::new(),
    };
    collector.visit_body(&parsed.syntax().body);
    collector.out
}

/// Applies per-file ignores, suppression comments and severity overrides; adds `SUP001`.
fn filter(
    diagnostics: Vec<Diagnostic>,
    suppressions: &mut Suppressions,
    statements: &[(TextRange, usize)],
    path: &Path,
    settings: &Settings,
    cx: &mut FileContext,
) -> Vec<Diagnostic> {
    let role = cx.role;
    let mut kept = Vec::with_capacity(diagnostics.len());
    for mut diagnostic in diagnostics {
        let rule = diagnostic.rule;
        // The walk reports `SYN002` itself, selected or not.
        if !keeps(settings, rule, path, role) {
            continue;
        }
        let offset = ruff_text_size::TextSize::new(diagnostic.offset.0);
        // The innermost statement holding the finding: its first line may carry the comment.
        let statement_line = statements
            .iter()
            .filter(|(range, _)| range.contains_inclusive(offset))
            .max_by_key(|(range, _)| range.start())
            .map(|(_, line)| *line);
        let lines = [
            diagnostic.start.line,
            statement_line.unwrap_or(diagnostic.start.line),
        ];
        if suppressions.suppresses(rule, &lines, diagnostic.start.line..=diagnostic.end.line) {
            continue;
        }
        if let Some(severity) = settings.severity_overrides.get(rule.code) {
            diagnostic.severity = *severity;
        }
        kept.push(diagnostic);
    }
    if keeps(settings, &UNUSED_SUPPRESSION, path, role) {
        for directive in &suppressions.directives {
            if directive.dialect != Dialect::Archlint || directive.used {
                continue;
            }
            if covers_project_rule(directive, settings) {
                continue; // judged after the project-wide rules
            }
            let Some(message) =
                unused_suppression_message(directive, settings, &|r| runs_on(r, role))
            else {
                continue;
            };
            cx.push(&UNUSED_SUPPRESSION, directive.range, message, None, None);
        }
        let mut extra = std::mem::take(&mut cx.diagnostics);
        if let Some(severity) = settings.severity_overrides.get(UNUSED_SUPPRESSION.code) {
            extra.iter_mut().for_each(|d| d.severity = *severity);
        }
        kept.extend(extra);
    }
    kept
}

/// Whether `rule` runs on the Python files of `role`.
fn runs_on(rule: &Rule, role: Role) -> bool {
    rule.roles().contains(role)
}

/// Why an `archlint:` comment is unused in a file that the rules `runs` says are run on (the
/// rules of its role for a Python file, the CI rules for a YAML file), or `None` when a rule
/// not run there could need it.
pub(crate) fn unused_suppression_message(
    directive: &suppress::Directive,
    settings: &Settings,
    runs: &dyn Fn(&Rule) -> bool,
) -> Option<String> {
    let message = match &directive.codes {
        // A rule that does not run on this role can never need the comment here; only when
        // none of the selected rules runs here is there nothing to judge it by.
        None if !settings.rules.rules.iter().any(|r| runs(r)) => return None,
        None => "`archlint: ignore` suppresses no finding here; remove the comment".to_string(),
        Some(codes) => {
            let unknown: Vec<&String> = codes
                .iter()
                .filter(|c| {
                    registry::catalogue().find(c).is_none()
                        && !registry::RULES
                            .iter()
                            .any(|r| r.code.starts_with(c.as_str()))
                })
                .collect();
            if let Some(code) = unknown.first() {
                let hint = registry::catalogue().suggestion(code);
                let hint = hint.strip_prefix("; ").unwrap_or(&hint);
                if hint.is_empty() {
                    format!("`{code}` in this suppression is not a rule code; fix or remove it")
                } else {
                    format!(
                        "`{code}` in this suppression is not a rule code ({hint}); fix or remove it"
                    )
                }
            } else if codes.iter().any(|c| {
                !settings
                    .rules
                    .rules
                    .iter()
                    .any(|r| (r.code.starts_with(c.as_str()) || r.name == c) && runs(r))
            }) {
                // A rule not selected in this run, or not run on this file's role, could
                // still need the comment.
                return None;
            } else {
                format!(
                    "`archlint: ignore[{}]` suppresses no finding here; remove the comment",
                    codes.join(", ")
                )
            }
        }
    };
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_rules::{Check, RuleDefinition};
    use archlint_vocabulary::Severity;

    fn explode(_: &archlint_facts::context::CallSite, _: &mut FileContext) {
        panic!("boom");
    }

    static PANICKING: RuleDefinition = RuleDefinition {
        rule: Rule {
            code: "SEC999",
            name: "panicking-test-rule",
            severity: Severity::Error,
            confidence: None,
            bandit: None,
            default_enabled: true,
            peers: &[],
            roles: None,
            doc: "",
            source: file!(),
        },
        check: Check::Call {
            targets: &["explode"],
            run: explode,
        },
    };

    #[test]
    fn a_panic_in_one_file_is_reported_and_the_run_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.py"), "explode()\n").unwrap();
        std::fs::write(
            dir.path().join("good.py"),
            "import subprocess\nsubprocess.run(c, shell=True)\n",
        )
        .unwrap();
        let settings = Settings::isolated(registry::catalogue(), Path::new("."), Some(&["SEC602"]));
        let mut rules = registry::selected(&settings.rules);
        rules.push(&PANICKING);
        let outcome = check_with(
            &[dir.path().to_path_buf()],
            &settings,
            &Dispatches::new(&rules),
            &|| {},
        );
        let found: Vec<(String, &str)> = outcome
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.path.file_name().unwrap().to_string_lossy().into_owned(),
                    d.code,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("bad.py".to_string(), "INT001"),
                ("good.py".to_string(), "SEC602")
            ]
        );
        assert!(outcome.diagnostics[0].message.contains("boom"));
    }
}
