//! A module's typed surface, read from its syntax tree: every function and method with the
//! annotations of its parameters and return, every class, every module and class attribute
//! with how its type is known, `__all__`, the names it imports, and its `# type: ignore`
//! comments. Coverage and completeness (`coverage.rs`) are computed from these summaries.

use std::path::PathBuf;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineIndex;
use ruff_text_size::Ranged;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use archlint_facts::literal;
use archlint_facts::names::resolve_relative;
use archlint_source::parse::ParsedFile;

#[derive(Clone, Debug, Serialize)]
pub struct ModuleApi {
    pub path: PathBuf,
    /// The dotted module name (the file stem for a file outside any package).
    pub module: String,
    #[serde(skip)]
    pub is_package: bool,
    #[serde(skip)]
    pub is_test: bool,
    pub symbols: Vec<Symbol>,
    /// How the module builds `__all__`, when it has one.
    #[serde(skip)]
    pub dunder_all: Option<Vec<AllPart>>,
    #[serde(skip)]
    pub imports: Vec<BoundImport>,
    pub type_ignores: TypeIgnores,
}

/// A name bound by a module-level import (`*` for a star import).
#[derive(Clone, Debug)]
pub struct BoundImport {
    pub name: String,
    /// What it names: `pkg.mod` for `import pkg.mod as name`, `pkg.mod.member` for `from`.
    pub target: String,
    /// Written `import x as x` / `from m import x as x`: a re-export by the typing spec.
    pub explicit: bool,
    /// For a `from` import, the module as written, leading dots included.
    pub from: Option<String>,
    /// The module (`import a.b`) or member (`from m import x`) imported.
    pub imported: String,
    pub asname: Option<String>,
}

impl BoundImport {
    /// A `from` import (the target may be a member or a submodule).
    pub fn is_from(&self) -> bool {
        self.from.is_some()
    }

    pub fn is_star(&self) -> bool {
        self.imported == "*"
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TypeIgnores {
    pub total: usize,
    pub without_code: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Symbol {
    /// The dotted path inside the module (`Class.method`).
    pub qualname: String,
    pub line: usize,
    #[serde(flatten)]
    pub kind: SymbolKind,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SymbolKind {
    Function(Signature),
    Class,
    Attribute { annotation: AttributeType },
}

#[derive(Clone, Debug, Serialize)]
pub struct Signature {
    /// Parameters other than a method's `self`/`cls`, written as in the source (`*args`).
    pub parameters: Vec<Parameter>,
    pub returns: Annotation,
    /// `__init__`: like mypy, a missing return annotation is fine when a parameter is annotated.
    #[serde(skip)]
    pub is_init: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Parameter {
    pub name: String,
    pub annotation: Annotation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Annotation {
    Missing,
    /// Annotated `Any` (explicitly unknown).
    Any,
    Given,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttributeType {
    Annotated,
    /// Not annotated, assigned a simple literal: type checkers all infer the same type.
    Literal,
    /// Another name for a function, class or module (`__str__ = __repr__`, `Error = OSError`):
    /// its type is the declared type of what it names.
    Alias,
    /// Not annotated, assigned something whose type checkers may infer differently.
    Inferred,
}

impl Signature {
    /// Whether every parameter and the return carry an annotation.
    pub fn is_complete(&self) -> bool {
        self.parameters
            .iter()
            .all(|p| p.annotation != Annotation::Missing)
            && (self.returns != Annotation::Missing || self.init_return_implied())
    }

    /// Whether nothing at all is annotated.
    pub fn is_bare(&self) -> bool {
        self.parameters
            .iter()
            .all(|p| p.annotation == Annotation::Missing)
            && self.returns == Annotation::Missing
    }

    /// `__init__` with an annotated parameter needs no `-> None` (mypy's rule).
    pub fn init_return_implied(&self) -> bool {
        self.is_init
            && self
                .parameters
                .iter()
                .any(|p| p.annotation != Annotation::Missing)
    }

    pub fn return_counts(&self) -> bool {
        !self.init_return_implied()
    }
}

/// Reads a module's typed surface.
pub fn read(file: &ParsedFile, is_test: bool) -> ModuleApi {
    let module = file.module.clone().unwrap_or_else(|| {
        file.path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let mut reader = Reader {
        index: LineIndex::from_source_text(file.source),
        module: &module,
        is_package: file.is_package,
        imports: Vec::new(),
        typing_names: FxHashMap::default(),
        symbols: Vec::new(),
        seen: FxHashSet::default(),
    };
    let body = &file.parsed.syntax().body;
    reader.scan_imports(body);
    reader.module_body(body);
    ModuleApi {
        path: file.path.to_path_buf(),
        is_package: file.is_package,
        is_test,
        symbols: reader.symbols,
        dunder_all: dunder_all(body, &reader.imports),
        imports: reader.imports,
        type_ignores: type_ignores(file),
        module,
    }
}

/// Counts `# type: ignore` comments, and those without an `[error-code]`.
fn type_ignores(file: &ParsedFile) -> TypeIgnores {
    let mut counts = TypeIgnores::default();
    for token in file.parsed.tokens().iter() {
        if token.kind() != TokenKind::Comment {
            continue;
        }
        let text = &file.source[token.range()];
        if let Some(rest) = type_ignore_rest(text) {
            counts.total += 1;
            if !rest.trim_start().starts_with('[') {
                counts.without_code += 1;
            }
        }
    }
    counts
}

/// The text after `type: ignore` in a comment (`# type: ignore[attr] # noqa` → `[attr] # noqa`).
pub fn type_ignore_rest(comment: &str) -> Option<&str> {
    ignore_rest(comment, "type:")
}

/// The text after `<checker> ignore` (`type:`, `pyright:`) in a comment.
pub fn ignore_rest<'c>(comment: &'c str, checker: &str) -> Option<&'c str> {
    let mut rest = comment;
    // A comment may hold several pragmas: `# noqa: E501 # type: ignore`.
    while let Some(hash) = rest.find('#') {
        rest = &rest[hash + 1..];
        let pragma = rest.trim_start();
        if let Some(after) = pragma.strip_prefix(checker)
            && let Some(tail) = after.trim_start().strip_prefix("ignore")
            && !tail.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            return Some(tail);
        }
    }
    None
}

struct Reader<'s> {
    index: LineIndex,
    module: &'s str,
    is_package: bool,
    imports: Vec<BoundImport>,
    /// Names bound to `typing`/`typing_extensions` (`t`) or to their `Any` (`Any`).
    typing_names: FxHashMap<String, &'static str>,
    symbols: Vec<Symbol>,
    /// Qualnames already recorded: a redefinition (overload implementation, `@x.setter`,
    /// a branch of `if`/`try`) is not a second symbol.
    seen: FxHashSet<String>,
}

impl Reader<'_> {
    fn line(&self, node: &impl Ranged) -> usize {
        self.index.line_index(node.start()).get()
    }

    /// Module-level imports (in nested blocks too): names bound and typing aliases.
    fn scan_imports(&mut self, body: &[Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let target = alias.name.to_string();
                        let (name, explicit) = match &alias.asname {
                            Some(asname) => (asname.to_string(), *asname == alias.name),
                            None => (
                                target.split('.').next().unwrap_or_default().to_string(),
                                false,
                            ),
                        };
                        if matches!(target.as_str(), "typing" | "typing_extensions") {
                            self.typing_names.insert(name.clone(), "module");
                        }
                        let target = if alias.asname.is_some() {
                            target
                        } else {
                            name.clone()
                        };
                        self.imports.push(BoundImport {
                            name,
                            target,
                            explicit,
                            from: None,
                            imported: alias.name.to_string(),
                            asname: alias.asname.as_ref().map(ToString::to_string),
                        });
                    }
                }
                Stmt::ImportFrom(import) => {
                    let Some(from) = resolve_relative(
                        Some(self.module),
                        self.is_package,
                        import.module.as_deref(),
                        import.level,
                    ) else {
                        continue;
                    };
                    let written = format!(
                        "{}{}",
                        ".".repeat(import.level as usize),
                        import.module.as_deref().unwrap_or_default()
                    );
                    for alias in &import.names {
                        let name = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                        if matches!(from.as_str(), "typing" | "typing_extensions")
                            && alias.name.as_str() == "Any"
                        {
                            self.typing_names.insert(name.clone(), "Any");
                        }
                        self.imports.push(BoundImport {
                            explicit: alias.asname.as_ref() == Some(&alias.name),
                            target: format!("{from}.{}", alias.name),
                            name,
                            from: Some(written.clone()),
                            imported: alias.name.to_string(),
                            asname: alias.asname.as_ref().map(ToString::to_string),
                        });
                    }
                }
                _ => for_each_block(stmt, |block| self.scan_imports(block)),
            }
        }
    }

    fn module_body(&mut self, body: &[Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(function) => self.function(function, ""),
                Stmt::ClassDef(class) => self.class(class, ""),
                Stmt::Assign(_) | Stmt::AnnAssign(_) => self.assignment(stmt, ""),
                _ => for_each_block(stmt, |block| self.module_body(block)),
            }
        }
    }

    fn class_body(&mut self, body: &[Stmt], prefix: &str) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(function) => self.function(function, prefix),
                Stmt::ClassDef(class) => self.class(class, prefix),
                Stmt::Assign(_) | Stmt::AnnAssign(_) => self.assignment(stmt, prefix),
                _ => for_each_block(stmt, |block| self.class_body(block, prefix)),
            }
        }
    }

    fn push(&mut self, qualname: String, line: usize, kind: SymbolKind) {
        if !self.seen.insert(qualname.clone()) {
            return;
        }
        self.symbols.push(Symbol {
            qualname,
            line,
            kind,
        });
    }

    fn class(&mut self, class: &ast::StmtClassDef, prefix: &str) {
        let qualname = format!("{prefix}{}", class.name);
        self.push(qualname.clone(), self.line(&class.name), SymbolKind::Class);
        self.class_body(&class.body, &format!("{qualname}."));
    }

    fn function(&mut self, function: &ast::StmtFunctionDef, prefix: &str) {
        let qualname = format!("{prefix}{}", function.name);
        let is_method = !prefix.is_empty();
        let is_static = function
            .decorator_list
            .iter()
            .any(|d| literal::terminal_name(&d.expression) == Some("staticmethod"));
        let skip_first = is_method && !is_static;
        let parameters = &function.parameters;
        let mut list = Vec::new();
        let positional = parameters.posonlyargs.iter().chain(&parameters.args);
        for (index, parameter) in positional.enumerate() {
            if index == 0 && skip_first {
                continue;
            }
            list.push(self.parameter(&parameter.parameter, ""));
        }
        if let Some(vararg) = &parameters.vararg {
            list.push(self.parameter(vararg, "*"));
        }
        for parameter in &parameters.kwonlyargs {
            list.push(self.parameter(&parameter.parameter, ""));
        }
        if let Some(kwarg) = &parameters.kwarg {
            list.push(self.parameter(kwarg, "**"));
        }
        let signature = Signature {
            parameters: list,
            returns: self.annotation(function.returns.as_deref()),
            is_init: is_method && function.name.as_str() == "__init__",
        };
        // An `@overload` variant stands for the function; the implementation that follows
        // is then a redefinition and skipped.
        self.push(
            qualname,
            self.line(&function.name),
            SymbolKind::Function(signature),
        );
    }

    fn parameter(&self, parameter: &ast::Parameter, stars: &str) -> Parameter {
        Parameter {
            name: format!("{stars}{}", parameter.name),
            annotation: self.annotation(parameter.annotation.as_deref()),
        }
    }

    fn annotation(&self, annotation: Option<&Expr>) -> Annotation {
        match annotation {
            None => Annotation::Missing,
            Some(expr) if self.is_any(expr) => Annotation::Any,
            Some(_) => Annotation::Given,
        }
    }

    /// `Any`, `typing.Any`, `t.Any`, `"Any"`.
    fn is_any(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Name(name) => self.typing_names.get(name.id.as_str()) == Some(&"Any"),
            Expr::Attribute(attribute) => {
                attribute.attr.as_str() == "Any"
                    && matches!(attribute.value.as_ref(), Expr::Name(module)
                        if self.typing_names.get(module.id.as_str()) == Some(&"module"))
            }
            Expr::StringLiteral(string) => {
                let text = string.value.to_str().trim();
                text == "Any" || text == "typing.Any"
            }
            _ => false,
        }
    }

    fn assignment(&mut self, stmt: &Stmt, prefix: &str) {
        let (targets, value, annotated): (&[Expr], Option<&Expr>, bool) = match stmt {
            Stmt::Assign(assign) => (&assign.targets, Some(&assign.value), false),
            Stmt::AnnAssign(assign) => (
                std::slice::from_ref(&*assign.target),
                assign.value.as_deref(),
                true,
            ),
            _ => return,
        };
        for target in targets {
            let Expr::Name(name) = target else { continue };
            let name = name.id.as_str();
            if is_dunder(name) || value.is_some_and(|v| !annotated && is_type_definition(v)) {
                continue;
            }
            let annotation = if annotated {
                AttributeType::Annotated
            } else if value.is_some_and(is_simple_literal) {
                AttributeType::Literal
            } else if value.is_some_and(|v| matches!(v, Expr::Name(_) | Expr::Attribute(_))) {
                AttributeType::Alias
            } else {
                AttributeType::Inferred
            };
            self.push(
                format!("{prefix}{name}"),
                self.line(target),
                SymbolKind::Attribute { annotation },
            );
        }
    }
}

/// A piece of `__all__` as a module builds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllPart {
    Names(Vec<String>),
    /// Another module's `__all__` (`from .fields import __all__ as fields_all`).
    Of(String),
}

/// The module's `__all__` with what `+=`, `.extend` and `.append` add; `None` when it has
/// none, or builds it in a way not followed (then nothing narrows its public names).
pub fn dunder_all(body: &[Stmt], imports: &[BoundImport]) -> Option<Vec<AllPart>> {
    /// What the statements do to `__all__`, in order (in `if`/`try` blocks too).
    fn walk(
        body: &[Stmt],
        imports: &[BoundImport],
        all: &mut Option<Vec<AllPart>>,
        unknown: &mut bool,
    ) {
        let is_all =
            |expr: &Expr| matches!(expr, Expr::Name(name) if name.id.as_str() == "__all__");
        let parts = |expr: &Expr| all_parts(expr, imports);
        for stmt in body {
            let (value, extend) = match stmt {
                Stmt::Assign(assign) if assign.targets.iter().any(is_all) => {
                    (Some(&*assign.value), false)
                }
                Stmt::AnnAssign(assign) if is_all(&assign.target) => {
                    (assign.value.as_deref(), false)
                }
                Stmt::AugAssign(assign) if is_all(&assign.target) => (Some(&*assign.value), true),
                Stmt::Expr(ast::StmtExpr { value, .. }) => {
                    let Expr::Call(call) = value.as_ref() else {
                        continue;
                    };
                    let Expr::Attribute(method) = call.func.as_ref() else {
                        continue;
                    };
                    let Some(argument) = call.arguments.args.first() else {
                        continue;
                    };
                    if !is_all(&method.value) {
                        continue;
                    }
                    match method.attr.as_str() {
                        "extend" => (Some(argument), true),
                        "append" => {
                            match literal::string(argument) {
                                Some(name) => {
                                    all.get_or_insert_default().push(AllPart::Names(vec![name]))
                                }
                                None => *unknown = true,
                            }
                            continue;
                        }
                        _ => continue,
                    }
                }
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => continue,
                _ => {
                    for_each_block(stmt, |block| walk(block, imports, all, unknown));
                    continue;
                }
            };
            match (value.and_then(parts), extend) {
                (Some(more), true) => all.get_or_insert_default().extend(more),
                (Some(value), false) => *all = Some(value),
                (None, _) => *unknown = true,
            }
        }
    }
    let (mut all, mut unknown) = (None, false);
    walk(body, imports, &mut all, &mut unknown);
    if unknown { None } else { all }
}

/// `["a", "b"]`, `fields_all + ["c"]`, `base.__all__`.
fn all_parts(expr: &Expr, imports: &[BoundImport]) -> Option<Vec<AllPart>> {
    match expr {
        Expr::List(_) | Expr::Tuple(_) => Some(vec![AllPart::Names(literal::string_list(expr)?)]),
        Expr::BinOp(binary) if binary.op == ast::Operator::Add => {
            let mut parts = all_parts(&binary.left, imports)?;
            parts.extend(all_parts(&binary.right, imports)?);
            Some(parts)
        }
        Expr::Name(name) => {
            let import = imports.iter().find(|i| i.name == name.id.as_str())?;
            let module = import.target.strip_suffix(".__all__")?;
            Some(vec![AllPart::Of(module.to_string())])
        }
        Expr::Attribute(attribute) if attribute.attr.as_str() == "__all__" => {
            let Expr::Name(name) = attribute.value.as_ref() else {
                return None;
            };
            let import = imports.iter().find(|i| i.name == name.id.as_str())?;
            Some(vec![AllPart::Of(import.target.clone())])
        }
        _ => None,
    }
}

/// The names of a module's `__all__`, following other modules' `__all__` it is built from;
/// `None` when it has none, or one of them cannot be followed.
pub fn resolve_all<'a>(
    parts: &'a [AllPart],
    all_of: &dyn Fn(&str) -> Option<&'a [AllPart]>,
    depth: usize,
) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for part in parts {
        match part {
            AllPart::Names(more) => names.extend(more.iter().cloned()),
            AllPart::Of(module) if depth < 8 => {
                names.extend(resolve_all(all_of(module)?, all_of, depth + 1)?);
            }
            AllPart::Of(_) => return None,
        }
    }
    Some(names)
}

/// Runs `visit` on each block nested in a compound statement that is not a scope (`if`,
/// `try`, `with`, `for`, `while`, `match`).
pub fn for_each_block<'a>(stmt: &'a Stmt, mut visit: impl FnMut(&'a [Stmt])) {
    match stmt {
        Stmt::If(if_) => {
            visit(&if_.body);
            for clause in &if_.elif_else_clauses {
                visit(&clause.body);
            }
        }
        Stmt::Try(try_) => {
            visit(&try_.body);
            for handler in &try_.handlers {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                visit(&handler.body);
            }
            visit(&try_.orelse);
            visit(&try_.finalbody);
        }
        Stmt::With(with) => visit(&with.body),
        Stmt::For(for_) => {
            visit(&for_.body);
            visit(&for_.orelse);
        }
        Stmt::While(while_) => {
            visit(&while_.body);
            visit(&while_.orelse);
        }
        Stmt::Match(match_) => {
            for case in &match_.cases {
                visit(&case.body);
            }
        }
        _ => {}
    }
}

pub fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

/// A literal whose type every checker infers alike: numbers, strings, bytes, booleans, `None`.
pub fn is_simple_literal(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::FString(_) => true,
        Expr::UnaryOp(unary) => matches!(unary.operand.as_ref(), Expr::NumberLiteral(_)),
        _ => false,
    }
}

/// A value that defines a type rather than a variable: `TypeVar(...)`, `NewType(...)`,
/// `ParamSpec(...)`, `namedtuple(...)`, `TypedDict("T", ...)`, or an alias to a generic
/// (`Pair = tuple[int, int]`, `Handler = Callable[[int], None]`).
pub fn is_type_definition(value: &Expr) -> bool {
    match value {
        Expr::Call(call) => matches!(
            literal::terminal_name(&call.func),
            Some(
                "TypeVar"
                    | "ParamSpec"
                    | "TypeVarTuple"
                    | "NewType"
                    | "namedtuple"
                    | "NamedTuple"
                    | "TypedDict"
                    | "TypeAliasType"
            )
        ),
        // `Pair = tuple[int, int]`, `Handler = Callable[[int], None]`; not `x = table[0]`.
        Expr::Subscript(subscript) => {
            literal::terminal_name(&subscript.value).is_some_and(|name| {
                name.starts_with(char::is_uppercase)
                    || matches!(
                        name,
                        "list" | "dict" | "tuple" | "set" | "frozenset" | "type"
                    )
            }) && !matches!(subscript.slice.as_ref(), Expr::NumberLiteral(_))
        }
        Expr::BinOp(binary) => {
            binary.op == ast::Operator::BitOr
                && is_type_like(&binary.left)
                && is_type_like(&binary.right)
        }
        _ => false,
    }
}

fn is_type_like(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::NoneLiteral(_)
    ) || matches!(expr, Expr::BinOp(b) if is_type_like(&b.left) && is_type_like(&b.right))
}
