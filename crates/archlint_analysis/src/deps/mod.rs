//! Dependency hygiene, as deptry checks it: the distributions a project declares
//! (`declared`) against the third-party modules its code imports, mapped to distributions
//! (`distributions`). Computed once per run from the module facts; the DEP rules report its
//! findings and `archlint deps` prints the table.

pub mod declared;
pub mod distributions;
pub mod free_threading;
pub mod render;

use std::path::{Path, PathBuf};

use ruff_text_size::TextRange;
use rustc_hash::{FxHashMap, FxHashSet};

use archlint_facts::{ImportKind, ModuleFacts};
use archlint_project::distribution_name::normalize;
use archlint_vocabulary::{Role, Severity};
use declared::{Declared, DeclaredKind};
use distributions::{Environment, ModuleMap, Source};

/// One import of a third-party module (not the standard library, not the project).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ThirdPartyImport {
    /// The top-level module (`yaml` for `import yaml.constructor`).
    pub module: String,
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub kind: ImportKind,
    /// Inside `try`/`except ImportError`.
    #[serde(skip)]
    pub guarded: bool,
    /// Whether the importing file is tests, docs, examples or tooling.
    pub dev_code: bool,
}

impl ThirdPartyImport {
    /// Guarded by `try/except ImportError` or only for type checkers: the code runs
    /// without it.
    pub fn optional(&self) -> bool {
        self.guarded || self.kind == ImportKind::TypeChecking
    }
}

/// A finding for one of the DEP rules.
#[derive(Clone, Debug)]
pub struct Finding {
    pub code: &'static str,
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The range in `pyproject.toml`, for findings about a declaration there.
    pub range: Option<TextRange>,
    pub message: String,
    /// Reported at this severity rather than the rule's.
    pub severity: Option<Severity>,
}

/// A declared distribution with what the analysis learnt about it (a row of `archlint deps`).
#[derive(Clone, Debug, serde::Serialize)]
pub struct DeclaredRow {
    pub name: String,
    pub kinds: Vec<DeclaredKind>,
    pub modules: Vec<String>,
    pub modules_from: Source,
    /// Files of production code and of dev code importing one of its modules.
    pub imported_by: usize,
    pub imported_by_dev_code: usize,
}

pub struct Dependencies {
    pub declared: Vec<Declared>,
    pub sources: Vec<PathBuf>,
    pub imports: Vec<ThirdPartyImport>,
    pub rows: Vec<DeclaredRow>,
    pub findings: Vec<Finding>,
    /// Why the configured environment could not be read.
    pub environment_problem: Option<String>,
    pub environment: Option<PathBuf>,
}

impl Dependencies {
    pub fn analyse(project: &super::Project) -> Dependencies {
        let options = &project.options.deps;
        let root = project.root();
        let (environment, environment_problem) = match &project.options.python {
            Some(python) => match Environment::read(python) {
                Ok(environment) => (Some(environment), None),
                Err(problem) => (None, Some(problem)),
            },
            None => (None, None),
        };
        let found = declared::read(
            root,
            project.pyproject(),
            options.dev_extras.as_deref().unwrap_or_default(),
        );
        let map = ModuleMap::new(
            environment.as_ref(),
            &options.package_module_map.clone().unwrap_or_default(),
        );
        let imports = third_party_imports(project);
        let mut analysis = Analysis {
            project,
            map,
            declared: &found.declared,
            runtime_computed: found.runtime_computed_at.is_some(),
            ignored: ignores(options.ignore.as_ref()),
            provider_cache: FxHashMap::default(),
            findings: Vec::new(),
        };
        analysis.check_imports(&imports, environment.as_ref());
        if let Some(place) = &found.runtime_computed_at {
            analysis.findings.push(Finding {
                code: "DEP001",
                path: place.path.clone(),
                line: place.line,
                column: place.column,
                range: place.range,
                message: format!(
                    "imports not checked against the runtime dependencies: `{}` computes them when the project is built; declare them in `[project].dependencies` (or a file named in `[tool.setuptools.dynamic]`) so that undeclared and development-only imports are found",
                    project.shown(&place.path)
                ),
                severity: Some(Severity::Info),
            });
        }
        let rows = analysis.check_declarations(&imports);
        let mut findings = analysis.findings;
        findings.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.code).cmp(&(&b.path, b.line, b.column, b.code))
        });
        Dependencies {
            declared: found.declared,
            sources: found.sources,
            imports,
            rows,
            findings,
            environment_problem,
            environment: environment.and_then(|e| e.site_packages.first().cloned()),
        }
    }
}

fn ignores(
    configured: Option<&std::collections::BTreeMap<String, Vec<String>>>,
) -> FxHashMap<String, FxHashSet<String>> {
    configured
        .into_iter()
        .flatten()
        .map(|(code, names)| {
            let names = names
                .iter()
                .flat_map(|name| [name.clone(), normalize(name)])
                .collect();
            (code.to_ascii_uppercase(), names)
        })
        .collect()
}

/// Whether a module is tests, docs, examples or tooling rather than the distribution: any role
/// but the package, and the testing helpers some packages keep in a `testing` folder.
fn is_dev_code(module: &ModuleFacts) -> bool {
    module.role != Role::Package || module.path.components().any(|c| c.as_os_str() == "testing")
}

/// In the standard library of some Python 3 version: a module added after the target or
/// removed before it is the version rules' concern (VER002, VER006), not a dependency.
fn is_standard_library(module: &str) -> bool {
    // `_typeshed` exists only for type checkers, with the standard library's stubs.
    module == "_typeshed"
        || (7..=14).any(|minor| ruff_python_stdlib::sys::is_known_standard_library(minor, module))
}

fn third_party_imports(project: &super::Project) -> Vec<ThirdPartyImport> {
    let options = &project.options.deps;
    let mut first_party = project.top_level_modules();
    first_party.extend(
        options
            .known_first_party
            .iter()
            .flatten()
            .map(String::as_str),
    );
    // Folders and files directly in the source roots are first-party even when their
    // modules were not named (namespace packages, scripts).
    let local: FxHashSet<String> = project
        .options
        .source_roots
        .iter()
        .flat_map(|root| std::fs::read_dir(root).into_iter().flatten().flatten())
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            Some(name.strip_suffix(".py").map_or(name.clone(), String::from))
        })
        .collect();
    // Modules anywhere in the project (`tests/apps/blueprintapp/`, `examples/tutorial/
    // flaskr/`) are imported through `sys.path` entries that tests and scripts add: those at
    // the top of a folder that is not a package. A module inside a package
    // (`sqlalchemy/connectors/pyodbc.py`) is not importable by its bare name, so it does not
    // hide the distribution of that name.
    let mut is_package: FxHashMap<&Path, bool> = FxHashMap::default();
    let anywhere: FxHashSet<&str> = project
        .modules
        .iter()
        .filter_map(|m| {
            let path = if m.path.file_stem()? == "__init__" {
                m.path.parent()?
            } else {
                m.path.as_path()
            };
            let folder = path.parent()?;
            // Asked once per folder: most modules share theirs.
            if *is_package
                .entry(folder)
                .or_insert_with(|| folder.join("__init__.py").is_file())
            {
                return None;
            }
            path.file_stem()?.to_str()
        })
        .collect();
    let mut imports = Vec::new();
    for module in project.modules {
        let dev_code = is_dev_code(module);
        // `try: import simplejson` … later `if has_simplejson: from simplejson import x`:
        // once a file imports a module under a guard, it treats it as optional throughout.
        let guarded_in_file: FxHashSet<&str> = module
            .imports
            .iter()
            .filter(|import| import.guarded)
            .map(|import| import.module.split('.').next().unwrap_or_default())
            .collect();
        for import in &module.imports {
            if import.level > 0 {
                continue;
            }
            let top = import.module.split('.').next().unwrap_or_default();
            if top.is_empty()
                || top == "__future__"
                || top == "__main__"
                || first_party.contains(top)
                || local.contains(top)
                || anywhere.contains(top)
                || is_standard_library(top)
            {
                continue;
            }
            imports.push(ThirdPartyImport {
                module: top.to_string(),
                path: module.path.clone(),
                line: import.line,
                column: import.column,
                kind: import.kind,
                guarded: import.guarded || guarded_in_file.contains(top),
                dev_code,
            });
        }
    }
    imports
}

struct Analysis<'p, 'a> {
    project: &'p super::Project<'a>,
    map: ModuleMap<'p>,
    declared: &'p [Declared],
    runtime_computed: bool,
    ignored: FxHashMap<String, FxHashSet<String>>,
    provider_cache: FxHashMap<String, Vec<usize>>,
    findings: Vec<Finding>,
}

impl Analysis<'_, '_> {
    fn ignores(&self, code: &str, names: &[&str]) -> bool {
        self.ignored
            .get(code)
            .is_some_and(|ignored| names.iter().any(|n| ignored.contains(*n)))
    }

    /// The declarations (indexes) whose distribution provides `module`.
    fn providers(&mut self, module: &str) -> Vec<usize> {
        if let Some(cached) = self.provider_cache.get(module) {
            return cached.clone();
        }
        let found: Vec<usize> = self
            .declared
            .iter()
            .enumerate()
            .filter(|(_, d)| self.map.provides(&d.normalized, module))
            .map(|(i, _)| i)
            .collect();
        self.provider_cache
            .insert(module.to_string(), found.clone());
        found
    }

    fn shown(&self, path: &Path) -> String {
        self.project.shown(path)
    }

    /// DEP001, DEP003, DEP004: each import against the declarations.
    fn check_imports(&mut self, imports: &[ThirdPartyImport], environment: Option<&Environment>) {
        for import in imports {
            // With runtime dependencies computed at build time, an import cannot be called
            // undeclared or declared only for development.
            if import.optional() || self.runtime_computed || is_plugin_for(import) {
                continue;
            }
            let providers = self.providers(&import.module);
            let module = import.module.as_str();
            if providers.is_empty() {
                // Like deptry, which leaves tests out: tests, docs and tooling get their
                // packages from development environments that are not declared in one place.
                if import.dev_code {
                    continue;
                }
                let installed = self.map.installed_provider(module);
                match installed {
                    Some(dist) if !self.ignores("DEP003", &[module, dist]) => {
                        let via = environment
                            .map(|env| self.requiring(env, dist))
                            .unwrap_or_default();
                        let how = match via.as_slice() {
                            [] => "is installed but not declared".to_string(),
                            names => format!(
                                "is installed only as a dependency of {}",
                                names
                                    .iter()
                                    .map(|n| format!("`{n}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        let subject = if normalize(module) == dist {
                            format!("`{module}`")
                        } else {
                            format!("`{module}` (from `{dist}`)")
                        };
                        self.push(
                            "DEP003",
                            import,
                            format!(
                                "{subject} {how}: declare `{dist}` in the project's dependencies so an upgrade of the others cannot remove it"
                            ),
                        );
                    }
                    Some(_) => {}
                    None if self.ignores("DEP001", &[module]) => {}
                    None => {
                        let (guess, _) = self.guess_distribution(module);
                        self.push(
                            "DEP001",
                            import,
                            format!(
                                "`{module}` is imported but no declared dependency provides it: add `{guess}` to `[project].dependencies` (or `[tool.archlint.deps] package-module-map` if it comes under another name)"
                            ),
                        );
                    }
                }
                continue;
            }
            let only_dev = providers
                .iter()
                .all(|&i| matches!(self.declared[i].kind, DeclaredKind::Dev(_)));
            if only_dev && !import.dev_code {
                let declaration = &self.declared[providers[0]];
                let DeclaredKind::Dev(group) = &declaration.kind else {
                    continue;
                };
                if self.ignores("DEP004", &[module, &declaration.normalized]) {
                    continue;
                }
                let message = format!(
                    "`{module}` is imported by the package, but `{}` is declared only for development (`{group}` in {}): users who install the package will not have it; move it to `[project].dependencies`, or import it inside `try`/`except ImportError`",
                    declaration.name,
                    self.shown(&declaration.path),
                );
                self.push("DEP004", import, message);
            }
        }
    }

    /// The declared runtime distributions that require `dist`, directly or not.
    fn requiring(&self, environment: &Environment, dist: &str) -> Vec<String> {
        let mut via = Vec::new();
        for declaration in self.declared {
            if matches!(declaration.kind, DeclaredKind::Dev(_)) {
                continue;
            }
            let mut seen = FxHashSet::default();
            let mut stack = vec![declaration.normalized.as_str()];
            while let Some(name) = stack.pop() {
                if !seen.insert(name) {
                    continue;
                }
                if let Some(requires) = environment.requires.get(name) {
                    if requires.iter().any(|r| r == dist) {
                        via.push(declaration.name.clone());
                        break;
                    }
                    stack.extend(requires.iter().map(String::as_str));
                }
            }
        }
        via.sort();
        via.dedup();
        via
    }

    /// The distribution most likely to provide an undeclared module, for the message.
    fn guess_distribution(&self, module: &str) -> (String, bool) {
        if let Some(dist) = self.map.installed_provider(module) {
            return (dist.to_string(), true);
        }
        (module.replace('_', "-"), false)
    }

    fn push(&mut self, code: &'static str, import: &ThirdPartyImport, message: String) {
        self.findings.push(Finding {
            code,
            path: import.path.clone(),
            line: import.line,
            column: import.column,
            range: None,
            message,
            severity: None,
        });
    }

    /// DEP002 and DEP005, and the table's rows.
    fn check_declarations(&mut self, imports: &[ThirdPartyImport]) -> Vec<DeclaredRow> {
        let minor = self.project.rule_options.target.1;
        // Modules named in strings (`"django.db.backends.postgresql"`, plugin registries)
        // count as used.
        let named_in_strings: FxHashSet<&str> = self
            .project
            .modules
            .iter()
            .flat_map(|m| m.dotted_strings.iter())
            .map(|s| s.split('.').next().unwrap_or(s))
            .collect();
        let own_name = self
            .project
            .pyproject()
            .and_then(|file| file.string(&["project", "name"]))
            .map(|(name, _)| normalize(name));
        let mut rows: Vec<DeclaredRow> = Vec::new();
        for declaration in self.declared {
            let (modules, modules_from) = self.map.modules_of(&declaration.normalized);
            let importing = |dev: bool| {
                imports
                    .iter()
                    .filter(|i| i.dev_code == dev && modules_from.matches(&modules, &i.module))
                    .map(|i| &i.path)
                    .collect::<FxHashSet<_>>()
            };
            let (production, development) = (importing(false), importing(true));
            let as_module = declaration.normalized.replace('-', "_");
            if !declaration.has_marker
                && ruff_python_stdlib::sys::is_known_standard_library(minor, &as_module)
                && !self.ignores("DEP005", &[&declaration.normalized])
            {
                self.push_declaration(
                    "DEP005",
                    declaration,
                    format!(
                        "`{}` is declared as a dependency, but `{as_module}` is in the standard library of Python 3.{minor}: remove it (or limit it with a marker such as `; python_version < \"3.7\"` if it is a backport)",
                        declaration.name
                    ),
                );
            }
            let runtime = !matches!(declaration.kind, DeclaredKind::Dev(_));
            let used = !production.is_empty()
                || modules
                    .iter()
                    .any(|m| named_in_strings.contains(m.as_str()));
            if runtime
                && !used
                && !distributions::provides_no_module(&declaration.normalized)
                && own_name.as_deref() != Some(declaration.normalized.as_str())
                && !self.ignores("DEP002", &[&declaration.normalized, &declaration.name])
            {
                let modules_text = modules
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let message = if development.is_empty() {
                    format!(
                        "`{}` is declared but the code never imports {modules_text}: remove it, or map it with `[tool.archlint.deps] package-module-map` if it provides another module",
                        declaration.name
                    )
                } else {
                    format!(
                        "`{}` is declared for users but only tests and tooling import {modules_text}: move it to a development dependency group",
                        declaration.name
                    )
                };
                self.push_declaration("DEP002", declaration, message);
            }
            match rows
                .iter_mut()
                .find(|row| normalize(&row.name) == declaration.normalized)
            {
                Some(row) => {
                    if !row.kinds.contains(&declaration.kind) {
                        row.kinds.push(declaration.kind.clone());
                    }
                }
                None => rows.push(DeclaredRow {
                    name: declaration.name.clone(),
                    kinds: vec![declaration.kind.clone()],
                    modules,
                    modules_from,
                    imported_by: production.len(),
                    imported_by_dev_code: development.len(),
                }),
            }
        }
        rows.sort_by(|a, b| {
            a.kinds
                .cmp(&b.kinds)
                .then_with(|| normalize(&a.name).cmp(&normalize(&b.name)))
        });
        rows
    }

    fn push_declaration(&mut self, code: &'static str, declaration: &Declared, message: String) {
        self.findings.push(Finding {
            code,
            path: declaration.path.clone(),
            line: declaration.line,
            column: declaration.column,
            range: declaration.range,
            message,
            severity: None,
        });
    }
}

/// A module named after what it imports is that library's plugin or integration
/// (`pydantic/mypy.py` importing `mypy`, `django/template/backends/jinja2.py` importing
/// `jinja2`), and so is one named as a plugin of it (`_hypothesis_plugin.py`,
/// `pytest_plugin.py`): only code that has the library loads it, so the library is optional
/// for the package, not undeclared or development-only. A `formats.py` importing an
/// undeclared `toml` is still reported.
fn is_plugin_for(import: &ThirdPartyImport) -> bool {
    let Some(stem) = import.path.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    let stem = stem.to_ascii_lowercase();
    let module = import.module.to_ascii_lowercase();
    let words: Vec<&str> = stem.split('_').filter(|w| !w.is_empty()).collect();
    let names_plugin = words.iter().any(|w| matches!(*w, "plugin" | "plugins"));
    stem == module || (names_plugin && words.contains(&module.as_str()))
}
