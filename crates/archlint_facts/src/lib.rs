//! Per-module facts: what one file imports, defines and calls, with names resolved, and what a
//! rule sees of the file it checks ([`context`]).
//!
//! The facts are gathered in the same walk that runs the rules. `ModuleFacts` is small enough
//! to keep for every file of a project, so project-wide analyses (import graph, dead code,
//! dependencies) work from it without re-parsing.

pub mod blocks;
pub mod ci;
pub mod context;
pub mod literal;
pub mod names;
pub mod versions;

use serde::{Deserialize, Serialize};

/// How an import is reached when the module runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    /// At module level, unconditionally.
    Normal,
    /// Only under `if TYPE_CHECKING:`.
    TypeChecking,
    /// Inside a function body: runs when the function is called.
    Lazy,
    /// Inside `try:` with an `except ImportError` (or inside another `if`).
    Conditional,
    /// `importlib.import_module("literal")` or `__import__("literal")`.
    Dynamic,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFact {
    /// The absolute module imported (`os.path`, `pkg.sub` for `from . import sub`).
    pub module: String,
    /// The member imported by `from module import member`, if any.
    pub member: Option<String>,
    /// The name the import binds in the module, if any.
    pub bound_as: Option<String>,
    pub line: usize,
    pub column: usize,
    pub kind: ImportKind,
    /// Leading dots of a relative import (0 when absolute).
    pub level: u32,
    /// Inside `try:` with an `except ImportError` (or `ModuleNotFoundError`, `Exception`,
    /// bare `except`), at any depth: the code copes without the module.
    pub guarded: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefinitionKind {
    Function,
    AsyncFunction,
    Method,
    AsyncMethod,
    Class,
    /// A name bound by assignment, loop, `with … as` or walrus (any scope).
    Variable,
    /// An attribute assigned (`self.x = …`); `qualname` ends with the attribute's name.
    Attribute,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub kind: DefinitionKind,
    /// The dotted path inside the module (`Class.method`).
    pub qualname: String,
    pub line: usize,
    /// Decorators, resolved to qualified names where possible, else as written.
    pub decorators: Vec<String>,
    /// Bases of a class, resolved where possible.
    pub bases: Vec<String>,
    /// The `metaclass=` of a class, resolved where possible.
    pub metaclass: Option<String>,
    /// For functions: parameters (other than `self`/`cls`) and how many carry annotations.
    pub parameters: u32,
    pub annotated_parameters: u32,
    pub annotated_return: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFact {
    /// The callee: a qualified name, or `.method` for a method on an unresolved receiver.
    pub callee: String,
    pub line: usize,
    pub column: usize,
    /// The qualname of the enclosing function (`Class.method`; empty at module level).
    pub caller: String,
    /// The callee as a project path, for the call graph: an imported name as resolved
    /// (`pkg.util.load`), a name of this module prefixed with it (`pkg.mod.helper`), and for
    /// `self.m()`/`cls.m()` the enclosing class's path plus the method (`pkg.mod.C.m`).
    pub target: Option<String>,
    /// The call is made on `self` or `cls` (look the method up in the class's bases too).
    pub on_self: bool,
    /// The call is a statement of its own: its result, a coroutine if any, is dropped.
    pub discarded: bool,
}

/// What one module holds, for project-wide analyses. The facts are serialised only by the
/// check cache, in a format without field names: a field may be skipped (the cache sets
/// `path` itself) but never skipped conditionally.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ModuleFacts {
    #[serde(skip)]
    pub path: std::path::PathBuf,
    /// The dotted module name, when the file sits in a package or a source root.
    pub module: Option<String>,
    pub is_package: bool,
    /// What the file is for (shipped code, tests, docs…).
    pub role: archlint_vocabulary::Role,
    pub imports: Vec<ImportFact>,
    pub definitions: Vec<Definition>,
    pub calls: Vec<CallFact>,
    /// Names listed in a literal `__all__`, when the module has one.
    pub dunder_all: Option<Vec<String>>,
    /// What Python version the module's unguarded code needs, feature by feature (recorded
    /// when the version rules run).
    pub version_needs: Vec<versions::VersionNeed>,
    /// Every name the module reads: names loaded or deleted, attributes loaded, the literal
    /// of `getattr`/`hasattr`, the original name of `import x as y` (dead-code analysis).
    pub uses: rustc_hash::FxHashSet<String>,
    /// String literals that look like dotted module paths (`"app.views.index"`): settings
    /// and plugin registries name modules this way.
    pub dotted_strings: Vec<String>,
    /// Whether the module has an `if __name__ == "__main__":` block (it is a script).
    pub runs_as_script: bool,
    /// The file's suppression comments, for the findings of project-wide rules.
    pub suppressions: archlint_source::suppress::Suppressions,
}

impl ModuleFacts {
    /// Whether the module has `from __future__ import annotations` (its annotations are
    /// strings, never evaluated).
    pub fn has_future_annotations(&self) -> bool {
        self.imports
            .iter()
            .any(|i| i.module == "__future__" && i.member.as_deref() == Some("annotations"))
    }

    /// Whether any import of the module names `module` or a submodule of it.
    pub fn imports_module(&self, module: &str) -> bool {
        self.imports
            .iter()
            .any(|import| is_within(&import.module, module))
    }
}

/// Whether `module` is `package` or inside it.
pub fn is_within(module: &str, package: &str) -> bool {
    module == package
        || module
            .strip_prefix(package)
            .is_some_and(|rest| rest.starts_with('.'))
}
