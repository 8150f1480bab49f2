//! Per-module facts: what one file imports, defines and calls, with names resolved, gathered
//! in the same walk that runs the rules. `ModuleFacts` is small enough to keep for every file
//! of a project, so project-wide analyses (import graph, dead code, dependencies, coverage)
//! work from it without re-parsing.

pub mod context;
pub mod literal;
pub mod names;

use serde::Serialize;

/// How an import is reached when the module runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportFact {
    /// The absolute module imported (`os.path`, `pkg.sub` for `from . import sub`).
    pub module: String,
    /// The member imported by `from module import member`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// The name the import binds in the module, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound_as: Option<String>,
    pub line: usize,
    pub kind: ImportKind,
    /// Leading dots of a relative import (0 when absolute).
    pub level: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefinitionKind {
    Function,
    AsyncFunction,
    Method,
    AsyncMethod,
    Class,
    Variable,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub kind: DefinitionKind,
    /// The dotted path inside the module (`Class.method`).
    pub qualname: String,
    pub line: usize,
    /// Decorators, resolved to qualified names where possible, else as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decorators: Vec<String>,
    /// Bases of a class, resolved where possible.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<String>,
    /// For functions: parameters (other than `self`/`cls`) and how many carry annotations.
    pub parameters: u32,
    pub annotated_parameters: u32,
    pub annotated_return: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallFact {
    /// The callee: a qualified name, or `.method` for a method on an unresolved receiver.
    pub callee: String,
    pub line: usize,
    /// The qualname of the enclosing function or class (empty at module level).
    pub caller: String,
}

/// What one module holds, for project-wide analyses.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ModuleFacts {
    pub path: std::path::PathBuf,
    /// The dotted module name, when the file sits in a package or a source root.
    pub module: Option<String>,
    pub is_package: bool,
    pub imports: Vec<ImportFact>,
    pub definitions: Vec<Definition>,
    pub calls: Vec<CallFact>,
    /// Names listed in a literal `__all__`, when the module has one.
    pub dunder_all: Option<Vec<String>>,
}

impl ModuleFacts {
    /// Whether any import of the module names `module` or a submodule of it.
    pub fn imports_module(&self, module: &str) -> bool {
        self.imports.iter().any(|import| {
            import.module == module
                || import
                    .module
                    .strip_prefix(module)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }
}
