//! Dead code across the project, in the spirit of vulture: a definition is unused when its
//! name is read nowhere in the project (names are matched across every module, as vulture
//! does, so `obj.save()` anywhere keeps every `save` alive), and a module is unused when no
//! module imports it.
//!
//! What counts as a use: names and attributes read, `getattr`/`hasattr` literals, names in
//! any `__all__`, the original name of `import x as y`, entry points and scripts of
//! `pyproject.toml`, and `[tool.archlint.deadcode] allow`. What is never reported: dunder
//! names, variables named `_x` (but not `__x`), imports in `__init__.py` (re-exports) and under
//! `if TYPE_CHECKING:` (string annotations use them), tests and their fixtures in test files,
//! overloads, nested `Meta`/`Config` classes (read by their framework's metaclass), functions
//! registered by a framework decorator (`@app.route`, `@pytest.fixture`, `@receiver`, …),
//! and subclasses of a class whose `__init_subclass__` registers them. Other decorated
//! functions are reported with a lower confidence.

use globset::{Glob, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashSet;

use super::Project;
use archlint_facts::{DefinitionKind, ImportKind, ModuleFacts};
use archlint_vocabulary::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeadKind {
    Module,
    Import,
    Function,
    Class,
    Method,
    Property,
    Variable,
    Attribute,
}

impl DeadKind {
    pub fn label(self) -> &'static str {
        match self {
            DeadKind::Module => "module",
            DeadKind::Import => "import",
            DeadKind::Function => "function",
            DeadKind::Class => "class",
            DeadKind::Method => "method",
            DeadKind::Property => "property",
            DeadKind::Variable => "variable",
            DeadKind::Attribute => "attribute",
        }
    }
}

#[derive(Clone, Debug)]
pub struct DeadItem {
    /// Index of the module's facts in `Project::modules`.
    pub module: usize,
    pub kind: DeadKind,
    /// The name as used (`save`), and the dotted path to it (`app.models.Order.save`).
    pub name: String,
    pub path: String,
    pub line: usize,
    /// vulture's scale: 90 for imports, 60 for definitions, 50 for decorated functions.
    pub confidence: u8,
}

#[derive(Debug, Default)]
pub struct DeadCode {
    pub items: Vec<DeadItem>,
}

/// Decorators through which a framework calls the function (the function is used).
const REGISTERING_DECORATORS: &[&str] = &[
    "*.route",
    "*.get",
    "*.post",
    "*.put",
    "*.patch",
    "*.delete",
    "*.head",
    "*.options",
    "*.websocket",
    "*.api_route",
    "*errorhandler",
    "*.before_request",
    "*.before_app_request",
    "*.after_request",
    "*.after_app_request",
    "*.teardown_request",
    "*.teardown_app_request",
    "*.teardown_appcontext",
    "*context_processor",
    "*template_filter",
    "*template_global",
    "*template_test",
    "*.url_value_preprocessor",
    "*.url_defaults",
    "*.command",
    "*.group",
    "*.callback",
    "*fixture",
    "*.hookimpl",
    "*.hookspec",
    "*.task",
    "*shared_task",
    "*.listens_for",
    "*.on_event",
    "*.exception_handler",
    "*.middleware",
    "*register",
    "*receiver",
    "*validator",
    "*.filter",
    "*.simple_tag",
    "*.inclusion_tag",
    "*.tag",
    "*.action",
    "*.display",
    "*.setter",
    "*.deleter",
];

/// Decorators that neither register nor hide a function (they leave its confidence alone).
const PLAIN_DECORATORS: &[&str] = &[
    "staticmethod",
    "classmethod",
    "property",
    "functools.cached_property",
    "functools.wraps",
    "functools.cache",
    "functools.lru_cache",
    "contextlib.contextmanager",
    "contextlib.asynccontextmanager",
    "abc.abstractmethod",
    "typing.final",
    "typing.override",
    "typing_extensions.override",
    "dataclasses.dataclass",
];

/// Test functions and hooks a test runner finds by name.
fn is_test_hook(name: &str) -> bool {
    name.starts_with("test")
        || matches!(
            name,
            "setUp"
                | "tearDown"
                | "setUpClass"
                | "tearDownClass"
                | "setUpModule"
                | "tearDownModule"
                | "setUpTestData"
                | "asyncSetUp"
                | "asyncTearDown"
                | "setup_module"
                | "teardown_module"
                | "setup_function"
                | "teardown_function"
                | "setup_class"
                | "teardown_class"
                | "setup_method"
                | "teardown_method"
        )
        || name.starts_with("pytest_")
}

fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

fn glob_set(patterns: impl IntoIterator<Item = String>) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = Glob::new(&pattern) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Module and attribute names that `pyproject.toml` entry points and scripts name
/// (`pkg.cli:main` → `pkg.cli`, `main`).
fn entry_points(project: &Project) -> Vec<String> {
    let path = project.root().join("pyproject.toml");
    let Some(file) = archlint_project::pyproject_file::PyprojectFile::read(&path) else {
        return Vec::new();
    };
    let mut targets = Vec::new();
    let tables: [&[&str]; 4] = [
        &["project", "scripts"],
        &["project", "gui-scripts"],
        &["project", "entry-points"],
        &["tool", "poetry", "scripts"],
    ];
    for keys in tables {
        let table = file.item(keys).and_then(|item| item.as_table_like());
        for (_, value) in table.into_iter().flat_map(|t| t.iter()) {
            if let Some(target) = value.as_str() {
                targets.push(target.to_string());
            } else if let Some(inner) = value.as_table_like() {
                // `[project.entry-points.group]` tables.
                targets.extend(
                    inner
                        .iter()
                        .filter_map(|(_, v)| v.as_str().map(str::to_string)),
                );
            }
        }
    }
    let mut names = Vec::new();
    for target in targets {
        let target = target.split('[').next().unwrap_or_default().trim();
        let (module, attribute) = target.split_once(':').unwrap_or((target, ""));
        names.push(module.trim().to_string());
        names.extend(
            attribute
                .split('.')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty()),
        );
    }
    names
}

/// Module names a framework loads by convention, without an import.
fn loaded_by_convention(module: &str) -> bool {
    let parts: Vec<&str> = module.split('.').collect();
    let last = parts.last().copied().unwrap_or_default();
    matches!(
        last,
        "admin"
            | "apps"
            | "models"
            | "signals"
            | "urls"
            | "views"
            | "checks"
            | "conftest"
            | "setup"
            | "manage"
            | "noxfile"
            | "fabfile"
            | "conf"
            | "wsgi"
            | "asgi"
            | "settings"
    ) || parts
        .iter()
        .any(|p| matches!(*p, "migrations" | "commands" | "templatetags"))
}

pub fn find(project: &Project) -> DeadCode {
    let modules = project.modules;
    let options = &project.options.deadcode;
    let allow = glob_set(options.allow.iter().flatten().cloned());
    let registering = glob_set(
        REGISTERING_DECORATORS
            .iter()
            .map(|d| d.to_string())
            .chain(options.used_decorators.iter().flatten().cloned()),
    );
    let entry_points = entry_points(project);

    let mut used: FxHashSet<&str> = FxHashSet::default();
    for facts in modules {
        used.extend(facts.uses.iter().map(String::as_str));
        used.extend(facts.dunder_all.iter().flatten().map(String::as_str));
    }
    used.extend(entry_points.iter().map(String::as_str));
    let registries = registering_bases(modules);

    let mut items = Vec::new();
    for (index, facts) in modules.iter().enumerate() {
        let is_stub = facts.path.extension().is_some_and(|e| e == "pyi");
        let Some(module) = facts.module.as_deref().filter(|_| !is_stub) else {
            continue;
        };
        let is_test = facts.role == Role::Tests;
        let is_init = facts.is_package;
        let mut report = |kind: DeadKind, qualname: &str, line: usize, confidence: u8| {
            let name = qualname.rsplit('.').next().unwrap_or(qualname);
            let path = format!("{module}.{qualname}");
            if !allow.is_match(name) && !allow.is_match(&path) {
                items.push(DeadItem {
                    module: index,
                    kind,
                    name: name.to_string(),
                    path,
                    line,
                    confidence,
                });
            }
        };
        if !is_init {
            for import in &facts.imports {
                let Some(bound) = import.bound_as.as_deref() else {
                    continue;
                };
                if import.kind == ImportKind::TypeChecking
                    || import.module == "__future__"
                    || used.contains(bound)
                {
                    continue;
                }
                report(DeadKind::Import, bound, import.line, 90);
            }
        }
        for definition in &facts.definitions {
            let qualname = definition.qualname.as_str();
            let name = qualname.rsplit('.').next().unwrap_or(qualname);
            if used.contains(name) || is_dunder(name) {
                continue;
            }
            let decorators = &definition.decorators;
            if decorators
                .iter()
                .any(|d| registering.is_match(d) || d.ends_with("overload"))
            {
                continue;
            }
            let decorated = decorators.iter().any(|d| {
                !PLAIN_DECORATORS.contains(&d.as_str()) && !d.ends_with("cached_property")
            });
            let confidence = if decorated { 50 } else { 60 };
            let kind = match definition.kind {
                DefinitionKind::Function | DefinitionKind::AsyncFunction => {
                    if is_test && is_test_hook(name) {
                        continue;
                    }
                    DeadKind::Function
                }
                DefinitionKind::Method | DefinitionKind::AsyncMethod => {
                    if is_test && is_test_hook(name) {
                        continue;
                    }
                    let property = decorators
                        .iter()
                        .any(|d| d == "property" || d.ends_with("cached_property"));
                    if property {
                        DeadKind::Property
                    } else {
                        DeadKind::Method
                    }
                }
                DefinitionKind::Class => {
                    let nested = qualname.contains('.');
                    if (is_test && name.contains("Test"))
                        || (nested && matches!(name, "Meta" | "Config"))
                        || definition.bases.iter().any(|base| {
                            registries.contains(base.rsplit('.').next().unwrap_or(base))
                        })
                    {
                        continue;
                    }
                    DeadKind::Class
                }
                DefinitionKind::Variable => {
                    // vulture's convention: `_x` is deliberately unused, `__x` is not.
                    if (name.starts_with('_') && !name.starts_with("__")) || name == "self" {
                        continue;
                    }
                    DeadKind::Variable
                }
                DefinitionKind::Attribute => DeadKind::Attribute,
            };
            report(kind, qualname, definition.line, confidence);
        }
    }
    items.extend(unused_modules(project, &entry_points, &allow));
    let minimum = options.min_confidence.unwrap_or(0);
    items.retain(|item| item.confidence >= minimum);
    items.sort_by_key(|item| (item.module, item.line, item.kind));
    DeadCode { items }
}

/// Names of classes whose `__init_subclass__` registers subclasses, and of their
/// subclasses, to a fixed point.
fn registering_bases(modules: &[ModuleFacts]) -> FxHashSet<&str> {
    let mut names: FxHashSet<&str> = FxHashSet::default();
    for facts in modules {
        for definition in &facts.definitions {
            if let Some(class) = definition.qualname.strip_suffix(".__init_subclass__") {
                names.insert(class.rsplit('.').next().unwrap_or(class));
            }
        }
    }
    loop {
        let before = names.len();
        for facts in modules {
            for definition in facts
                .definitions
                .iter()
                .filter(|d| d.kind == DefinitionKind::Class)
            {
                if definition
                    .bases
                    .iter()
                    .any(|b| names.contains(b.rsplit('.').next().unwrap_or(b)))
                {
                    let name = definition
                        .qualname
                        .rsplit('.')
                        .next()
                        .unwrap_or(&definition.qualname);
                    names.insert(name);
                }
            }
        }
        if names.len() == before {
            return names;
        }
    }
}

/// Project modules no other module imports, and that are not run some other way.
fn unused_modules(project: &Project, entry_points: &[String], allow: &GlobSet) -> Vec<DeadItem> {
    let graph = &project.graph;
    let mut imported = vec![false; graph.nodes.len()];
    for edge in &graph.edges {
        imported[edge.to] = true;
    }
    // Every prefix of a dotted string names a module it may load (`"app.views.index"`).
    let mut referenced: FxHashSet<&str> = FxHashSet::default();
    for text in project
        .modules
        .iter()
        .flat_map(|m| m.dotted_strings.iter())
        .chain(entry_points.iter())
    {
        referenced.extend(text.match_indices('.').map(|(dot, _)| &text[..dot]));
        referenced.insert(text);
    }
    let named_in_all: FxHashSet<String> = project
        .modules
        .iter()
        .filter(|m| m.is_package)
        .filter_map(|m| Some((m.module.as_deref()?, m.dunder_all.as_ref()?)))
        .flat_map(|(package, names)| names.iter().map(move |n| format!("{package}.{n}")))
        .collect();
    let mut items = Vec::new();
    for (node, module) in graph.nodes[..graph.project_count].iter().enumerate() {
        let Some(index) = module.facts else { continue };
        let facts = &project.modules[index];
        let file_name = facts
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if imported[node]
            || module.package
            || referenced.contains(module.name.as_str())
            || facts.runs_as_script
            || file_name == "__main__.py"
            || facts.path.extension().is_some_and(|e| e == "pyi")
            || facts.role == Role::Tests
            || loaded_by_convention(&module.name)
            || named_in_all.contains(&module.name)
            || allow.is_match(&module.name)
            // A module outside any package is a script or a tool's configuration.
            || !module.name.contains('.')
        {
            continue;
        }
        items.push(DeadItem {
            module: index,
            kind: DeadKind::Module,
            name: module.name.clone(),
            path: module.name.clone(),
            line: 1,
            confidence: 60,
        });
    }
    items
}
