//! `.pyi` stubs written from a module's syntax, like mypy's `stubgen` but without importing
//! anything: every function and method with its annotations as written (unannotated
//! parameters stay unannotated) and defaults as `...`, the decorators type checkers
//! understand, classes with their bases, keywords and type parameters, annotated attributes,
//! constants typed from their literal values, type aliases, `__all__`, and the imports the
//! stub needs — re-exports written `import x as x`.
//!
//! A stub must load in a type checker without definition errors, so each scope keeps the
//! first binding of a name (the later branches of `if`/`try` that define it again are
//! dropped), an overloaded function keeps its `@overload` variants without the
//! implementation, and an import is kept only when the stub refers to the name it binds or
//! re-exports it.
//!
//! A stub must also parse and type-check: an annotation, a type alias's value or a base class
//! is copied only when it is a type expression whose names the stub binds to types
//! ([`super::annotations`]); anything else (a tuple in a string annotation, a call as a base,
//! a name imported only inside a function) becomes `Incomplete`, with a trailing
//! `# original: ...` comment naming what was written. Defaults are always `...`.

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::{FxHashMap, FxHashSet};

use super::annotations::{Check, Kind, Resolve, is_builtin_type, is_qualifier};
use super::api::{
    AllPart, BoundImport, ModuleApi, for_each_block, is_simple_literal, is_type_definition,
    resolve_all,
};
use archlint_facts::literal;
use archlint_source::parse::ParsedFile;

/// Decorators kept in stubs: those that change what a type checker sees.
const KEPT_DECORATORS: &[&str] = &[
    "overload",
    "property",
    "staticmethod",
    "classmethod",
    "abstractmethod",
    "abstractproperty",
    "final",
    "override",
    "cached_property",
    "dataclass",
    "runtime_checkable",
    "total_ordering",
    "type_check_only",
    "deprecated",
    "dataclass_transform",
    "contextmanager",
    "asynccontextmanager",
    "no_type_check",
];

/// A module's stub before the imports are chosen: which names to re-export depends on what
/// the other modules of the project import from it.
pub struct Draft {
    module: Option<String>,
    /// The first import of each name (and every star import), in order.
    imports: Vec<BoundImport>,
    dunder_all: Option<Vec<AllPart>>,
    /// Names the body refers to: the imports that bind them are kept.
    referenced: FxHashSet<String>,
    uses_incomplete: bool,
    assigns_all: bool,
    /// Imported names the module's own code never mentions again.
    unused_imports: FxHashSet<String>,
    /// Imported names the module also defines (a fallback in `except ImportError:`).
    defined_over_import: FxHashSet<String>,
    body: String,
}

/// What the project tells a stub: its modules, and the names each one is imported by.
#[derive(Default)]
pub struct StubContext<'a> {
    pub modules: FxHashSet<&'a str>,
    /// `from m import x` anywhere in the project: `x` under `m`.
    pub imported: rustc_hash::FxHashMap<&'a str, FxHashSet<&'a str>>,
    /// How each module builds its `__all__`.
    pub alls: rustc_hash::FxHashMap<&'a str, &'a [AllPart]>,
}

/// Bases that make a class an enum, whose assignments are its members.
const ENUM_BASES: &[&str] = &[
    "Enum",
    "IntEnum",
    "StrEnum",
    "Flag",
    "IntFlag",
    "ReprEnum",
    "Choices",
    "IntegerChoices",
    "TextChoices",
];

/// Writes the body of one parsed module's stub, whose typed surface `api` was read from the
/// same file.
pub fn draft(file: &ParsedFile, api: &ModuleApi) -> Draft {
    let body = &file.parsed.syntax().body;
    let star = api.imports.iter().any(BoundImport::is_star);
    let mut writer = Writer {
        globals: FxHashMap::default(),
        star,
        type_params: Vec::new(),
        notes: Vec::new(),
        source: file.source,
        tokens: file.parsed.tokens(),
        out: String::new(),
        referenced: FxHashSet::default(),
        uses_incomplete: false,
        assigns_all: false,
        enums: FxHashSet::default(),
        in_enum: false,
        defined_over_import: FxHashSet::default(),
    };
    // `from __future__` is a compiler directive, not a name the stub needs.
    let mut seen = FxHashSet::default();
    let imports: Vec<BoundImport> = api
        .imports
        .iter()
        .filter(|i| i.from.as_deref() != Some("__future__"))
        .filter(|i| i.is_star() || seen.insert(i.name.as_str()))
        .cloned()
        .collect();
    let mut scope = Scope::default();
    for import in &imports {
        scope.bound.insert(import.name.as_str());
    }
    writer.globals = module_kinds(body, &imports, star);
    writer.body(body, &mut scope, 0);
    let mut mentions: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    for token in file.parsed.tokens().iter() {
        if token.kind() == TokenKind::Name {
            *mentions.entry(&file.source[token.range()]).or_default() += 1;
        }
    }
    let unused_imports = imports
        .iter()
        .filter(|import| mentions.get(import.name.as_str()).copied().unwrap_or(0) <= 1)
        .map(|import| import.name.clone())
        .collect();
    Draft {
        defined_over_import: std::mem::take(&mut writer.defined_over_import),
        unused_imports,
        assigns_all: writer.assigns_all,
        module: file.module.clone(),
        dunder_all: api.dunder_all.clone(),
        uses_incomplete: writer.uses_incomplete && !scope.bound.contains("Incomplete"),
        referenced: writer.referenced,
        body: writer.out,
        imports,
    }
}

impl Draft {
    /// Whether a module without `__all__` re-exports a `from` import, as stubgen judges it:
    /// a public name imported without an alias, from the same top-level package or never
    /// used by the module itself.
    fn re_exports_by_default(&self, import: &BoundImport) -> bool {
        if !import.is_from() || import.asname.is_some() {
            return false;
        }
        let target = &import.target;
        if import.name.starts_with('_') {
            return false;
        }
        let top = |module: &str| module.split('.').next().unwrap_or_default().to_string();
        let own = self.module.as_deref().map(top).unwrap_or_default();
        let theirs = top(target);
        theirs == own
            || theirs == format!("_{own}")
            || (self.unused_imports.contains(&import.name)
                && !matches!(
                    theirs.as_str(),
                    "abc" | "asyncio" | "typing" | "typing_extensions"
                ))
    }

    /// The stub's text, with the imports it needs and those it re-exports: names in
    /// `__all__`, written `x as x`, imported from this module elsewhere in the project, and,
    /// in a package's `__init__` without `__all__`, what it imports from the project.
    pub fn finish(&self, project: &StubContext) -> String {
        let imported_elsewhere = self
            .module
            .as_deref()
            .and_then(|module| project.imported.get(module));
        let all_of = |module: &str| -> Option<&[AllPart]> { project.alls.get(module).copied() };
        let dunder_all = self
            .dunder_all
            .as_deref()
            .and_then(|parts| resolve_all(parts, &all_of, 0));
        let mut head = String::new();
        for import in &self.imports {
            let name = import.name.as_str();
            let re_export = import.explicit
                || self.defined_over_import.contains(name)
                || imported_elsewhere.is_some_and(|names| names.contains(name))
                || match &dunder_all {
                    Some(all) => all.iter().any(|n| n == name),
                    None => self.re_exports_by_default(import),
                };
            if import.is_star() {
                head.push_str(&statement(import, false));
            } else if re_export {
                head.push_str(&statement(import, true));
            } else if self.referenced.contains(name) {
                head.push_str(&statement(import, false));
            }
        }
        if self.uses_incomplete {
            head.push_str("from _typeshed import Incomplete\n");
        }
        if let Some(names) = &dunder_all {
            if !head.is_empty() {
                head.push('\n');
            }
            let quoted: Vec<String> = names.iter().map(|name| format!("'{name}'")).collect();
            head.push_str(&format!("__all__ = [{}]\n", quoted.join(", ")));
        } else if self.assigns_all {
            // Built at run time: it still exists for `from m import __all__`.
            head.push_str("__all__: list[str]\n");
        }
        if !head.is_empty() && !self.body.is_empty() {
            head.push('\n');
        }
        head.push_str(self.body.trim_matches('\n'));
        head.push('\n');
        head
    }
}

/// The import statement that binds `import.name`; re-exported, `x as x` (or, for `x as y`,
/// an assignment: only `x as x` re-exports).
fn statement(import: &BoundImport, re_export: bool) -> String {
    let imported = &import.imported;
    if re_export
        && let Some(asname) = &import.asname
        && asname != imported
    {
        let private = format!("_{asname}");
        let statement = match &import.from {
            Some(from) => format!("from {from} import {imported} as {private}"),
            None => format!("import {imported} as {private}"),
        };
        return format!("{statement}\n{asname} = {private}\n");
    }
    let alias = match (&import.asname, &import.from) {
        (Some(asname), _) => format!(" as {asname}"),
        // `import a.b` binds `a`: it cannot be written `as a`.
        (None, None) if imported.contains('.') => String::new(),
        (None, _) if re_export => format!(" as {}", import.name),
        (None, _) => String::new(),
    };
    match &import.from {
        Some(from) => format!("from {from} import {imported}{alias}\n"),
        None => format!("import {imported}{alias}\n"),
    }
}

/// The names bound so far in one scope of the stub.
#[derive(Default)]
struct Scope<'s> {
    bound: FxHashSet<&'s str>,
    /// Functions with `@overload` variants: their implementation is left out.
    overloaded: FxHashSet<&'s str>,
    /// In a class, what each name written so far is: a type checker looks a name up in the
    /// class body only among the members above the line it reads.
    kinds: FxHashMap<&'s str, Kind>,
}

/// Where a stub's names are looked up: the type parameters in scope, the members of the class
/// being written (above the current line), then the module.
struct Names<'a, 's> {
    globals: &'a FxHashMap<String, Kind>,
    class: Option<&'a FxHashMap<&'s str, Kind>>,
    type_params: &'a [&'s str],
    star: bool,
}

impl Resolve for Names<'_, '_> {
    fn kind(&self, name: &str) -> Option<Kind> {
        if self.type_params.contains(&name) {
            return Some(Kind::Type);
        }
        self.class
            .and_then(|class| class.get(name).copied())
            .or_else(|| self.globals.get(name).copied())
    }

    fn has_star_import(&self) -> bool {
        self.star
    }
}

/// What each module-level name of the stub is bound to, by its first binding as the writer
/// keeps it (imports first). A type alias or a type variable whose value turns out not to be
/// a type (its names are variables) is a variable, until nothing changes.
fn module_kinds(body: &[Stmt], imports: &[BoundImport], star: bool) -> FxHashMap<String, Kind> {
    fn collect<'s>(
        body: &'s [Stmt],
        kinds: &mut FxHashMap<String, Kind>,
        candidates: &mut Vec<(&'s str, &'s Expr)>,
    ) {
        for stmt in body {
            let mut bind = |name: &'s str, kind: Kind| {
                kinds.entry(name.to_string()).or_insert(kind);
            };
            match stmt {
                Stmt::FunctionDef(function) => bind(function.name.as_str(), Kind::Function),
                Stmt::ClassDef(class) => bind(class.name.as_str(), Kind::Type),
                Stmt::TypeAlias(alias) => {
                    if let Expr::Name(name) = alias.name.as_ref() {
                        bind(name.id.as_str(), Kind::Type);
                    }
                }
                Stmt::AnnAssign(assign) => {
                    if let Expr::Name(name) = assign.target.as_ref()
                        && name.id.as_str() != "__all__"
                    {
                        let kind = if is_type_alias_annotation(&assign.annotation) {
                            Kind::Type
                        } else {
                            Kind::Value
                        };
                        bind(name.id.as_str(), kind);
                    }
                }
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        if let Expr::Name(name) = target {
                            let name = name.id.as_str();
                            if name == "__all__" || kinds.contains_key(name) {
                                continue;
                            }
                            let value = assign.value.as_ref();
                            let kind = if namedtuple_string_fields(value).is_some()
                                || is_type_definition(value)
                                || matches!(value, Expr::Name(_) | Expr::Attribute(_))
                            {
                                candidates.push((name, value));
                                Kind::Type
                            } else {
                                Kind::Value
                            };
                            kinds.insert(name.to_string(), kind);
                        } else {
                            let mut names = Vec::new();
                            target_names(target, &mut names);
                            for name in names {
                                kinds.entry(name.to_string()).or_insert(Kind::Value);
                            }
                        }
                    }
                }
                Stmt::Import(_) | Stmt::ImportFrom(_) => {}
                _ => for_each_block(stmt, |block| collect(block, kinds, candidates)),
            }
        }
    }
    let mut kinds: FxHashMap<String, Kind> = imports
        .iter()
        .filter(|import| !import.is_star())
        .map(|import| (import.name.clone(), Kind::Other))
        .collect();
    let mut candidates = Vec::new();
    collect(body, &mut kinds, &mut candidates);
    loop {
        let names = Names {
            globals: &kinds,
            class: None,
            type_params: &[],
            star,
        };
        let changed: Vec<(&str, Kind)> = candidates
            .iter()
            .filter(|(name, _)| kinds.get(*name) == Some(&Kind::Type))
            .filter_map(|&(name, value)| {
                let kind = assigned_kind(value, &names);
                (kind != Kind::Type).then_some((name, kind))
            })
            .collect();
        if changed.is_empty() {
            return kinds;
        }
        for (name, kind) in changed {
            kinds.insert(name.to_string(), kind);
        }
    }
}

/// What `name = value` binds in a stub, as [`Writer::value_declaration`] writes it (outside an
/// enum): a type for a type definition or an alias whose value is a type, what the aliased
/// name is for `x = y`, a variable otherwise.
fn assigned_kind(value: &Expr, names: &Names) -> Kind {
    let check = Check::new(names);
    match value {
        _ if namedtuple_string_fields(value).is_some() => Kind::Type,
        Expr::Call(call) if is_type_definition(value) => {
            // `TypeVar` defined by the module itself (CPython's `typing`) is a class of its
            // own: calling it makes a variable.
            let mut head = call.func.as_ref();
            while let Expr::Attribute(attribute) = head {
                head = &attribute.value;
            }
            let local = matches!(head, Expr::Name(name)
                if matches!(names.kind(name.id.as_str()), Some(Kind::Type | Kind::Function)));
            if local || is_namedtuple_with_computed_fields(value) {
                Kind::Value
            } else {
                Kind::Type
            }
        }
        Expr::Subscript(_) | Expr::BinOp(_) if is_type_definition(value) => {
            if check.alias_value(value) {
                Kind::Type
            } else {
                Kind::Value
            }
        }
        // `x = y` is what `y` is; `x = m.y` cannot be told; unbound, it is written a variable.
        // An alias of a qualifier (`T = ClassVar`) is no type.
        Expr::Name(_) | Expr::Attribute(_)
            if literal::terminal_name(value).is_some_and(is_qualifier) =>
        {
            Kind::Value
        }
        Expr::Name(name) => match names.kind(name.id.as_str()) {
            Some(kind) => kind,
            None if is_builtin_type(name.id.as_str()) => Kind::Type,
            None => Kind::Value,
        },
        Expr::Attribute(_) => {
            let mut head = value;
            while let Expr::Attribute(attribute) = head {
                head = &attribute.value;
            }
            match head {
                Expr::Name(name) => match names.kind(name.id.as_str()) {
                    None => Kind::Value,
                    Some(_) => Kind::Other,
                },
                _ => Kind::Value,
            }
        }
        _ => Kind::Value,
    }
}

struct Writer<'s> {
    /// What each module-level name is ([`module_kinds`]).
    globals: FxHashMap<String, Kind>,
    /// The module has a star import: a name it does not bind may come from there.
    star: bool,
    /// The type parameters of the classes and functions being written.
    type_params: Vec<&'s str>,
    /// What the line being written replaced with `Incomplete`, for its trailing comment.
    notes: Vec<String>,
    source: &'s str,
    tokens: &'s Tokens,
    out: String,
    /// Names the stub's expressions refer to: the imports that bind them are kept.
    referenced: FxHashSet<String>,
    uses_incomplete: bool,
    /// The module assigns `__all__` (written apart from the body).
    assigns_all: bool,
    /// The enum classes of the module, and whether the class being written is one.
    enums: FxHashSet<&'s str>,
    in_enum: bool,
    /// Module-level names defined again after an import bound them.
    defined_over_import: FxHashSet<String>,
}

impl<'s> Writer<'s> {
    /// Writes one line, with a comment naming what it replaced with `Incomplete`.
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        if !self.notes.is_empty() {
            let notes = std::mem::take(&mut self.notes).join("; ");
            self.out.push_str("  # original: ");
            self.out.push_str(&notes.replace(['\n', '\r'], " "));
        }
        self.out.push('\n');
    }

    /// Where names are looked up at `depth` in `scope`.
    fn names<'a>(&'a self, scope: &'a Scope<'s>, depth: usize) -> Names<'a, 's> {
        Names {
            globals: &self.globals,
            class: (depth > 0).then_some(&scope.kinds),
            type_params: &self.type_params,
            star: self.star,
        }
    }

    /// An annotation as written when it is a type the stub can resolve, else `Incomplete`
    /// and a note `{label}{original}` for the line's comment.
    fn annotation(
        &mut self,
        annotation: &'s Expr,
        scope: &Scope<'s>,
        depth: usize,
        label: &str,
        vararg: bool,
    ) -> String {
        let valid = {
            let names = self.names(scope, depth);
            let check = Check::new(&names);
            if vararg {
                check.vararg_annotation(annotation)
            } else {
                check.annotation(annotation)
            }
        };
        if valid {
            return self.expression(annotation.range());
        }
        let original = self.flat(annotation.range());
        self.notes.push(format!("{label}{original}"));
        self.incomplete()
    }

    /// A statement list of a module or class body.
    fn body(&mut self, body: &'s [Stmt], scope: &mut Scope<'s>, depth: usize) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(function) => self.function(function, scope, depth),
                Stmt::ClassDef(class) => self.class(class, scope, depth),
                Stmt::Assign(_) | Stmt::AnnAssign(_) => self.assignment(stmt, scope, depth),
                Stmt::TypeAlias(alias) => {
                    if let Expr::Name(name) = alias.name.as_ref()
                        && scope.bound.insert(name.id.as_str())
                    {
                        let text = self.expression(alias.range());
                        self.line(depth, &text);
                        scope.kinds.insert(name.id.as_str(), Kind::Type);
                    }
                }
                Stmt::Import(_) | Stmt::ImportFrom(_) => {}
                _ => for_each_block(stmt, |block| self.body(block, scope, depth)),
            }
        }
    }

    fn class(&mut self, class: &'s ast::StmtClassDef, scope: &mut Scope<'s>, depth: usize) {
        if !self.bind(scope, class.name.as_str(), depth) {
            return;
        }
        // A nested class is known to the whole class body.
        scope.kinds.insert(class.name.as_str(), Kind::Type);
        if depth == 0 && !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        self.decorators(&class.decorator_list, depth);
        let mut head = format!("class {}", class.name);
        let outer_params = self.type_params.len();
        if let Some(parameters) = &class.type_params {
            head.push_str(&self.expression(parameters.range()));
            self.type_params
                .extend(parameters.iter().map(|p| p.name().as_str()));
        }
        if let Some(arguments) = &class.arguments
            && !arguments.is_empty()
        {
            let parts = self.class_arguments(arguments, scope, depth);
            if !parts.is_empty() {
                head.push_str(&format!("({})", parts.join(", ")));
            }
        }
        head.push(':');
        // The head's comment, kept while the body is written.
        let notes = std::mem::take(&mut self.notes);
        let is_enum = class.bases().iter().any(|base| {
            literal::terminal_name(base)
                .is_some_and(|name| ENUM_BASES.contains(&name) || self.enums.contains(name))
        });
        if is_enum {
            self.enums.insert(class.name.as_str());
        }
        let outer = std::mem::replace(&mut self.in_enum, is_enum);
        let mark = self.out.len();
        let mut members = Scope::default();
        self.instance_attributes(&class.body, &mut members, depth + 1);
        self.body(&class.body, &mut members, depth + 1);
        self.in_enum = outer;
        self.type_params.truncate(outer_params);
        self.notes = notes;
        if self.out.len() == mark {
            head.push_str(" ...");
            self.line(depth, &head);
        } else {
            let body = self.out.split_off(mark);
            self.line(depth, &head);
            self.out.push_str(&body);
        }
        if depth == 0 {
            self.out.push('\n');
        }
    }

    /// A class's bases and keywords as the stub writes them: a base that is no type the stub
    /// can resolve (a call, a variable, an unbound name) becomes one `Incomplete`, a
    /// `metaclass=` that is not a name of a class, or `**kwargs`, is left out; each with a
    /// note.
    fn class_arguments(
        &mut self,
        arguments: &'s ast::Arguments,
        scope: &Scope<'s>,
        depth: usize,
    ) -> Vec<String> {
        let mut parts = Vec::new();
        let mut incomplete = false;
        for argument in arguments.iter_source_order() {
            let (valid, is_base) = {
                let names = self.names(scope, depth);
                let check = Check::new(&names);
                match argument {
                    ast::ArgOrKeyword::Arg(base) => (check.base(base), true),
                    ast::ArgOrKeyword::Keyword(keyword) => match &keyword.arg {
                        Some(arg) if arg.as_str() == "metaclass" => (
                            matches!(keyword.value, Expr::Name(_) | Expr::Attribute(_))
                                && check.base(&keyword.value),
                            false,
                        ),
                        Some(_) => (true, false),
                        None => (false, false),
                    },
                }
            };
            if valid {
                parts.push(self.expression(argument.range()));
                continue;
            }
            let original = self.flat(argument.range());
            self.notes.push(original);
            if is_base && !incomplete {
                incomplete = true;
                parts.push(self.incomplete());
            }
        }
        parts
    }

    /// `self.x = …` in `__init__`: the instance attributes the class body does not declare.
    fn instance_attributes(&mut self, body: &'s [Stmt], scope: &mut Scope<'s>, depth: usize) {
        let Some(init) = archlint_facts::blocks::function_in(body, "__init__") else {
            return;
        };
        let Some(first) = init.parameters.args.first() else {
            return;
        };
        let own = first.parameter.name.as_str();
        let mut found: Vec<(&'s str, Option<&'s Expr>)> = Vec::new();
        collect_self_assignments(&init.body, own, &init.parameters, &mut found);
        // Declared in the class body: the declaration there is the better one.
        let declared = archlint_facts::names::names_bound_in(body);
        for (name, annotation) in found {
            if declared.contains(name) || !scope.bound.insert(name) {
                continue;
            }
            let annotation = match annotation {
                Some(annotation) => self.annotation(annotation, scope, depth, "", false),
                None => self.incomplete(),
            };
            self.line(depth, &format!("{name}: {annotation}"));
            scope.kinds.insert(name, Kind::Value);
        }
    }

    /// Binds `name` in `scope`; `false` when it is bound already. A module-level definition
    /// that an import already binds (`try: from json import loads` / `except: def loads`)
    /// makes the import part of the module's API.
    fn bind(&mut self, scope: &mut Scope<'s>, name: &'s str, depth: usize) -> bool {
        if scope.bound.insert(name) {
            return true;
        }
        if depth == 0 {
            self.defined_over_import.insert(name.to_string());
        }
        false
    }

    fn incomplete(&mut self) -> String {
        self.uses_incomplete = true;
        "Incomplete".to_string()
    }

    fn decorators(&mut self, decorators: &'s [ast::Decorator], depth: usize) {
        for decorator in decorators {
            if is_kept_decorator(&decorator.expression) {
                let text = self.expression(decorator.expression.range());
                self.line(depth, &format!("@{text}"));
            }
        }
    }

    fn function(
        &mut self,
        function: &'s ast::StmtFunctionDef,
        scope: &mut Scope<'s>,
        depth: usize,
    ) {
        let name = function.name.as_str();
        let is_overload = function
            .decorator_list
            .iter()
            .any(|d| literal::terminal_name(&d.expression) == Some("overload"));
        // `@x.setter` / `@x.deleter` add to the property `x`.
        let is_accessor = function.decorator_list.iter().any(|d| {
            matches!(&d.expression, Expr::Attribute(attribute)
                if matches!(attribute.attr.as_str(), "setter" | "deleter" | "getter")
                    && matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == name))
        });
        if is_overload {
            if scope.bound.contains(name) && !scope.overloaded.contains(name) {
                return;
            }
            scope.overloaded.insert(name);
            scope.bound.insert(name);
        } else if is_accessor {
            if !scope.bound.contains(name) {
                return;
            }
        } else if !self.bind(scope, name, depth) {
            return;
        }
        self.decorators(&function.decorator_list, depth);
        let keyword = if function.is_async {
            "async def"
        } else {
            "def"
        };
        let mut head = format!("{keyword} {name}");
        let outer_params = self.type_params.len();
        if let Some(parameters) = &function.type_params {
            head.push_str(&self.expression(parameters.range()));
            self.type_params
                .extend(parameters.iter().map(|p| p.name().as_str()));
        }
        head.push('(');
        head.push_str(&self.parameters(&function.parameters, scope, depth));
        head.push(')');
        match &function.returns {
            Some(returns) => {
                head.push_str(" -> ");
                let returns = self.annotation(returns, scope, depth, "-> ", false);
                head.push_str(&returns);
            }
            None if name == "__init__" && depth > 0 => head.push_str(" -> None"),
            None => {}
        }
        self.type_params.truncate(outer_params);
        head.push_str(": ...");
        self.line(depth, &head);
        scope.kinds.entry(name).or_insert(Kind::Function);
    }

    fn parameters(
        &mut self,
        parameters: &'s ast::Parameters,
        scope: &Scope<'s>,
        depth: usize,
    ) -> String {
        let mut parts: Vec<String> = Vec::new();
        let parameter = |writer: &mut Self, p: &'s ast::Parameter, stars, default| {
            writer.parameter(p, stars, default, scope, depth)
        };
        for p in &parameters.posonlyargs {
            parts.push(parameter(self, &p.parameter, "", p.default.is_some()));
        }
        if !parameters.posonlyargs.is_empty() {
            parts.push("/".to_string());
        }
        for p in &parameters.args {
            parts.push(parameter(self, &p.parameter, "", p.default.is_some()));
        }
        match &parameters.vararg {
            Some(vararg) => parts.push(parameter(self, vararg, "*", false)),
            None if !parameters.kwonlyargs.is_empty() => parts.push("*".to_string()),
            None => {}
        }
        for p in &parameters.kwonlyargs {
            parts.push(parameter(self, &p.parameter, "", p.default.is_some()));
        }
        if let Some(kwarg) = &parameters.kwarg {
            parts.push(parameter(self, kwarg, "**", false));
        }
        parts.join(", ")
    }

    fn parameter(
        &mut self,
        parameter: &'s ast::Parameter,
        stars: &str,
        default: bool,
        scope: &Scope<'s>,
        depth: usize,
    ) -> String {
        let mut text = format!("{stars}{}", parameter.name);
        if let Some(annotation) = &parameter.annotation {
            text.push_str(": ");
            let label = format!("{stars}{}: ", parameter.name);
            let annotation = self.annotation(annotation, scope, depth, &label, stars == "*");
            text.push_str(&annotation);
            if default {
                text.push_str(" = ...");
            }
        } else if default {
            text.push_str("=...");
        }
        text
    }

    fn assignment(&mut self, stmt: &'s Stmt, scope: &mut Scope<'s>, depth: usize) {
        match stmt {
            Stmt::AnnAssign(assign) => {
                let Expr::Name(name) = assign.target.as_ref() else {
                    return;
                };
                let name = name.id.as_str();
                if name == "__all__" && depth == 0 {
                    self.assigns_all = true;
                    return;
                }
                if !self.bind(scope, name, depth) {
                    return;
                }
                let is_alias = is_type_alias_annotation(&assign.annotation);
                let annotation = self.annotation(&assign.annotation, scope, depth, "", false);
                let needs_value = assign.value.is_some()
                    && (depth > 0
                        || is_alias
                        || literal::terminal_name(&assign.annotation) == Some("Final"));
                scope
                    .kinds
                    .insert(name, if is_alias { Kind::Type } else { Kind::Value });
                if needs_value && is_alias {
                    let value = assign.value.as_deref().expect("checked above");
                    let value = self.annotation(value, scope, depth, "= ", false);
                    self.line(depth, &format!("{name}: {annotation} = {value}"));
                } else if needs_value {
                    self.line(depth, &format!("{name}: {annotation} = ..."));
                } else {
                    self.line(depth, &format!("{name}: {annotation}"));
                }
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    let mut names = Vec::new();
                    target_names(target, &mut names);
                    let single = matches!(target, Expr::Name(_));
                    for name in names {
                        if name == "__all__" && depth == 0 {
                            // Written with the imports, once the project says what it holds.
                            self.assigns_all = true;
                            continue;
                        }
                        if !self.bind(scope, name, depth) {
                            continue;
                        }
                        let (text, kind) = if single {
                            self.value_declaration(name, &assign.value, scope, depth)
                        } else {
                            (format!("{name}: {}", self.incomplete()), Kind::Value)
                        };
                        self.line(depth, &text);
                        scope.kinds.insert(name, kind);
                    }
                }
            }
            _ => {}
        }
    }

    /// `name = value` as a stub declares it, and what that binds: a type definition or alias
    /// kept as written (when its value is a type, see [`assigned_kind`]), a literal's type, or
    /// `Incomplete`.
    fn value_declaration(
        &mut self,
        name: &str,
        value: &'s Expr,
        scope: &Scope<'s>,
        depth: usize,
    ) -> (String, Kind) {
        // An enum's members are its assignments: `RED = ...`, not `RED: int`.
        let not_member = matches!(value, Expr::Lambda(_))
            || matches!(value, Expr::Call(call) if literal::terminal_name(&call.func) == Some("nonmember"));
        if self.in_enum && !name.starts_with('_') && !not_member {
            return (format!("{name} = ..."), Kind::Value);
        }
        let kind = assigned_kind(value, &self.names(scope, depth));
        let text = self.declaration_text(name, value, scope, kind, depth);
        // In a class body `x = int` is a variable holding a class, not an alias.
        let class_alias = depth > 0 && matches!(value, Expr::Name(_) | Expr::Attribute(_));
        if class_alias || text.starts_with(&format!("{name}:")) {
            (text, Kind::Value)
        } else {
            (text, kind)
        }
    }

    fn declaration_text(
        &mut self,
        name: &str,
        value: &'s Expr,
        scope: &Scope<'s>,
        kind: Kind,
        depth: usize,
    ) -> String {
        if let Some(fields) = namedtuple_string_fields(value) {
            // Type checkers take the fields of `namedtuple("P", "x y")` as a list only.
            let Expr::Call(call) = value else {
                unreachable!()
            };
            let callee = self.expression(call.func.range());
            let type_name = self.expression(call.arguments.args[0].range());
            let fields: Vec<String> = fields.iter().map(|f| format!("'{f}'")).collect();
            return format!("{name} = {callee}({type_name}, [{}])", fields.join(", "));
        }
        if is_type_definition(value) && kind == Kind::Type {
            return format!("{name} = {}", self.expression(value.range()));
        }
        // `Path = str`: an alias of a builtin class.
        let builtin_alias = depth == 0
            && matches!(value, Expr::Name(n)
                if !scope.bound.contains(n.id.as_str()) && is_builtin_type(n.id.as_str()));
        if let Some(head) = literal::dotted(value)
            .as_deref()
            .and_then(|dotted| dotted.split('.').next().map(str::to_string))
            && (scope.bound.contains(head.as_str()) || builtin_alias)
        {
            return format!("{name} = {}", self.expression(value.range()));
        }
        match literal_type(value) {
            // A subclass may give it any value: `None` says only that it may be unset.
            Some("None") => format!("{name}: {} | None", self.incomplete()),
            Some(ty) => format!("{name}: {ty}"),
            None => format!("{name}: {}", self.incomplete()),
        }
    }

    /// The expression at `range` on one line, without comments, and the names it refers to
    /// recorded.
    fn expression(&mut self, range: TextRange) -> String {
        self.refer(range);
        self.flat(range)
    }

    /// The expression at `range` on one line, without comments.
    fn flat(&self, range: TextRange) -> String {
        let text = &self.source[range];
        if !text.contains(['\n', '\r', '#', '\\']) {
            return text.to_string();
        }
        let mut flat = String::with_capacity(text.len());
        let mut previous: Option<(TokenKind, TextRange)> = None;
        for token in self.tokens.in_range(range) {
            let kind = token.kind();
            if matches!(
                kind,
                TokenKind::Comment | TokenKind::NonLogicalNewline | TokenKind::Newline
            ) {
                continue;
            }
            if let Some((before, end)) = previous {
                let gap = &self.source[TextRange::new(end.end(), token.start())];
                if !gap.contains(['\n', '\r', '\\']) {
                    flat.push_str(gap);
                } else if !matches!(
                    before,
                    TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace
                ) && !matches!(
                    kind,
                    TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace | TokenKind::Comma
                ) {
                    flat.push(' ');
                }
            }
            flat.push_str(&self.source[token.range()]);
            previous = Some((kind, token.range()));
        }
        flat
    }

    /// Records the names an expression refers to, inside string annotations too.
    fn refer(&mut self, range: TextRange) {
        // Every identifier in the text: enough to keep the imports it needs, and harmless
        // when an attribute or a keyword matches an import's name.
        let text = &self.source[range];
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if !word.is_empty()
                && !word.starts_with(|c: char| c.is_ascii_digit())
                && !self.referenced.contains(word)
            {
                self.referenced.insert(word.to_string());
            }
        }
    }
}

/// `namedtuple("Name", base._fields + ("x",))`: a type checker cannot know its fields.
fn is_namedtuple_with_computed_fields(value: &Expr) -> bool {
    let Expr::Call(call) = value else {
        return false;
    };
    literal::terminal_name(&call.func) == Some("namedtuple")
        && !matches!(
            call.arguments.args.get(1),
            Some(Expr::List(_) | Expr::Tuple(_) | Expr::StringLiteral(_))
        )
}

/// The fields of `namedtuple("Name", "a b, c")`, written as one string.
fn namedtuple_string_fields(value: &Expr) -> Option<Vec<&str>> {
    let Expr::Call(call) = value else { return None };
    if literal::terminal_name(&call.func) != Some("namedtuple") {
        return None;
    }
    let [_, Expr::StringLiteral(fields), ..] = &call.arguments.args[..] else {
        return None;
    };
    Some(
        fields
            .value
            .to_str()
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|field| !field.is_empty())
            .collect(),
    )
}

fn is_type_alias_annotation(annotation: &Expr) -> bool {
    literal::terminal_name(annotation) == Some("TypeAlias")
}

fn is_kept_decorator(expression: &Expr) -> bool {
    let callee = match expression {
        Expr::Call(call) => call.func.as_ref(),
        other => other,
    };
    match callee {
        Expr::Attribute(attribute)
            if matches!(attribute.attr.as_str(), "setter" | "deleter" | "getter")
                && matches!(attribute.value.as_ref(), Expr::Name(_)) =>
        {
            true
        }
        _ => literal::terminal_name(callee).is_some_and(|name| KEPT_DECORATORS.contains(&name)),
    }
}

/// The type a literal value gives a constant.
fn literal_type(value: &Expr) -> Option<&'static str> {
    if !is_simple_literal(value) {
        return None;
    }
    Some(match value {
        Expr::NumberLiteral(number) => match number.value {
            ast::Number::Int(_) => "int",
            ast::Number::Float(_) => "float",
            ast::Number::Complex { .. } => "complex",
        },
        Expr::UnaryOp(unary) => return literal_type(&unary.operand),
        Expr::StringLiteral(_) | Expr::FString(_) => "str",
        Expr::BytesLiteral(_) => "bytes",
        Expr::BooleanLiteral(_) => "bool",
        Expr::NoneLiteral(_) => "None",
        _ => return None,
    })
}

/// The names an assignment target binds (`a, (b, *c) = …`).
fn target_names<'s>(target: &'s Expr, names: &mut Vec<&'s str>) {
    match target {
        Expr::Name(name) => names.push(name.id.as_str()),
        Expr::Tuple(tuple) => tuple.elts.iter().for_each(|e| target_names(e, names)),
        Expr::List(list) => list.elts.iter().for_each(|e| target_names(e, names)),
        Expr::Starred(starred) => target_names(&starred.value, names),
        _ => {}
    }
}

/// `self.name = …` and `self.name: T = …` in a method body (nested blocks included, nested
/// functions not), with the annotation when there is one, or the annotation of the
/// parameter assigned as it is (`self.url = url` with `url: str`).
fn collect_self_assignments<'s>(
    body: &'s [Stmt],
    own: &str,
    parameters: &'s ast::Parameters,
    found: &mut Vec<(&'s str, Option<&'s Expr>)>,
) {
    struct Collector<'s, 'o, 'f> {
        own: &'o str,
        parameters: &'s ast::Parameters,
        found: &'f mut Vec<(&'s str, Option<&'s Expr>)>,
    }
    impl<'s> Collector<'s, '_, '_> {
        fn parameter_annotation(&self, value: &Expr) -> Option<&'s Expr> {
            let Expr::Name(name) = value else { return None };
            let parameter = self.parameters.find(name.id.as_str())?;
            parameter.annotation()
        }

        fn target(&mut self, target: &'s Expr, annotation: Option<&'s Expr>) {
            if let Expr::Attribute(attribute) = target
                && matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == self.own)
            {
                self.found.push((attribute.attr.as_str(), annotation));
            }
        }
    }
    impl<'s> Visitor<'s> for Collector<'s, '_, '_> {
        fn visit_stmt(&mut self, stmt: &'s Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Assign(assign) => {
                    let annotation = self.parameter_annotation(&assign.value);
                    for target in &assign.targets {
                        self.target(target, annotation);
                    }
                }
                Stmt::AnnAssign(assign) => self.target(&assign.target, Some(&assign.annotation)),
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, _: &'s Expr) {}
    }
    let mut collector = Collector {
        own,
        parameters,
        found,
    };
    collector.visit_body(body);
}
