//! Name resolution: which qualified name (`subprocess.Popen`) a name or attribute chain in the
//! source stands for, after imports, aliases and local shadowing.
//!
//! Scopes follow Python's rules closely enough for a linter: the module and class bodies bind
//! names in order; a function body is pre-scanned so that a name assigned anywhere in it is
//! local everywhere in it (as CPython's compiler decides), and class bodies are invisible to
//! the functions nested in them. A name bound by an import, or assigned from an imported name
//! (`run = subprocess.run`), resolves to that name; any other local binding hides the import.

use ruff_python_ast::{self as ast, Expr, Stmt};
use rustc_hash::{FxHashMap, FxHashSet};

/// What a name is bound to in a scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// An imported module or member, by its qualified name.
    Imported(String),
    /// Anything else: a local variable, parameter, function or class.
    Local,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
}

/// The result of resolving an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualifiedName {
    pub name: String,
    /// `true` when the head of the chain is bound by an import; `false` for builtins and names
    /// bound nowhere in the file (both resolve to their own spelling).
    pub imported: bool,
}

struct Scope<'a> {
    kind: ScopeKind,
    bindings: FxHashMap<&'a str, Binding>,
    /// Names a function body binds somewhere (pre-scanned), hence local before they are bound.
    locals: FxHashSet<&'a str>,
    globals: FxHashSet<&'a str>,
    /// The last value assigned to each plain name in this scope, in walk order: a light
    /// def-use for rules that follow a local back to where it was built.
    assignments: FxHashMap<&'a str, &'a Expr>,
}

impl<'a> Scope<'a> {
    fn new(kind: ScopeKind) -> Self {
        Scope {
            kind,
            bindings: FxHashMap::default(),
            locals: FxHashSet::default(),
            globals: FxHashSet::default(),
            assignments: FxHashMap::default(),
        }
    }
}

pub struct Scopes<'a> {
    stack: Vec<Scope<'a>>,
    /// The dotted name of the module, used to resolve relative imports.
    module: Option<String>,
    is_package: bool,
}

impl<'a> Scopes<'a> {
    pub fn new(module: Option<String>, is_package: bool) -> Self {
        Scopes {
            stack: vec![Scope::new(ScopeKind::Module)],
            module,
            is_package,
        }
    }

    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    pub fn current_kind(&self) -> ScopeKind {
        self.stack.last().map_or(ScopeKind::Module, |s| s.kind)
    }

    pub fn push_class(&mut self) {
        self.stack.push(Scope::new(ScopeKind::Class));
    }

    /// Enters a function body: every name it binds is local from its first line.
    pub fn push_function(&mut self, parameters: Option<&'a ast::Parameters>, body: &'a [Stmt]) {
        let mut scope = Scope::new(ScopeKind::Function);
        if let Some(parameters) = parameters {
            for parameter in parameters.iter() {
                let name = parameter.name().as_str();
                scope.locals.insert(name);
                scope.bindings.insert(name, Binding::Local);
            }
        }
        prescan_body(body, &mut scope.locals, &mut scope.globals);
        for name in &scope.globals {
            scope.locals.remove(name);
        }
        self.stack.push(scope);
    }

    /// Enters a comprehension or lambda whose names are given up front.
    pub fn push_local_names(&mut self, names: impl IntoIterator<Item = &'a str>) {
        let mut scope = Scope::new(ScopeKind::Function);
        for name in names {
            scope.locals.insert(name);
            scope.bindings.insert(name, Binding::Local);
        }
        self.stack.push(scope);
    }

    pub fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    fn binding_scope(&mut self, name: &str) -> &mut Scope<'a> {
        let last = self.stack.len() - 1;
        let index = if self.stack[last].globals.contains(name) {
            0
        } else {
            last
        };
        &mut self.stack[index]
    }

    pub fn bind(&mut self, name: &'a str, binding: Binding) {
        self.binding_scope(name).bindings.insert(name, binding);
    }

    pub fn record_assignment(&mut self, name: &'a str, value: &'a Expr) {
        self.binding_scope(name).assignments.insert(name, value);
    }

    /// The last value assigned to `name` in the innermost scope that binds it (a
    /// comprehension or closure sees the enclosing function's variables).
    pub fn assigned_value(&self, name: &str) -> Option<&'a Expr> {
        let last = self.stack.len() - 1;
        for (index, scope) in self.stack.iter().enumerate().rev() {
            if scope.kind == ScopeKind::Class && index != last {
                continue;
            }
            if scope.globals.contains(name) {
                break;
            }
            if let Some(value) = scope.assignments.get(name) {
                return Some(value);
            }
            if scope.kind == ScopeKind::Function
                && (scope.locals.contains(name) || scope.bindings.contains_key(name))
            {
                return None;
            }
        }
        self.stack[0].assignments.get(name).copied()
    }

    /// The value last assigned to `name` at module level, when `name` where the walk stands
    /// is the module's (no enclosing function binds it, or it is declared `global`).
    pub fn module_value(&self, name: &str) -> Option<&'a Expr> {
        let last = self.stack.len() - 1;
        for (index, scope) in self.stack.iter().enumerate().skip(1).rev() {
            if scope.kind == ScopeKind::Class && index != last {
                continue;
            }
            if scope.globals.contains(name) {
                break;
            }
            if scope.locals.contains(name) || scope.bindings.contains_key(name) {
                return None;
            }
        }
        self.stack[0].assignments.get(name).copied()
    }

    /// Whether `name` in the innermost function is a free variable bound by an enclosing
    /// function (a closure cell).
    pub fn is_closure_variable(&self, name: &str) -> bool {
        let Some((innermost, outer)) = self.stack.split_last() else {
            return false;
        };
        if innermost.kind != ScopeKind::Function
            || innermost.locals.contains(name)
            || innermost.bindings.contains_key(name)
        {
            return false;
        }
        outer.iter().skip(1).rev().any(|scope| {
            scope.kind == ScopeKind::Function
                && (scope.locals.contains(name) || scope.bindings.contains_key(name))
        })
    }

    /// Whether the innermost function declares `name` `global` or `nonlocal`.
    pub fn declared_global(&self, name: &str) -> bool {
        self.stack
            .last()
            .is_some_and(|scope| scope.kind == ScopeKind::Function && scope.globals.contains(name))
    }

    /// The binding `name` has where the walk stands now.
    pub fn lookup(&self, name: &str) -> Option<&Binding> {
        let last = self.stack.len() - 1;
        for (index, scope) in self.stack.iter().enumerate().rev() {
            // Class bodies are not visible from the functions nested in them.
            if scope.kind == ScopeKind::Class && index != last {
                continue;
            }
            if scope.globals.contains(name) {
                return self.stack[0].bindings.get(name);
            }
            if let Some(binding) = scope.bindings.get(name) {
                return Some(binding);
            }
            if scope.locals.contains(name) {
                return Some(&Binding::Local);
            }
        }
        None
    }

    /// Resolves a name or attribute chain (`sp.Popen`) to a qualified name.
    pub fn resolve(&self, expr: &Expr) -> Option<QualifiedName> {
        match expr {
            Expr::Name(name) => match self.lookup(&name.id) {
                Some(Binding::Imported(qualified)) => Some(QualifiedName {
                    name: qualified.clone(),
                    imported: true,
                }),
                Some(Binding::Local) => None,
                None => Some(QualifiedName {
                    name: name.id.to_string(),
                    imported: false,
                }),
            },
            Expr::Attribute(attribute) => {
                let mut head = self.resolve(&attribute.value)?;
                head.name.push('.');
                head.name.push_str(&attribute.attr);
                Some(head)
            }
            Expr::Call(call) => {
                let name = self.dynamic_import(call)?;
                Some(QualifiedName {
                    name,
                    imported: true,
                })
            }
            _ => None,
        }
    }

    /// The module a literal dynamic import returns: `importlib.import_module("a.b")` is
    /// `a.b`; `__import__("a.b")` is `a` (the top package) unless a `fromlist` is given.
    pub fn dynamic_import(&self, call: &ast::ExprCall) -> Option<String> {
        let callee = self.resolve(&call.func)?.name;
        let module = match call.arguments.args.first()? {
            Expr::StringLiteral(literal) => literal.value.to_str().to_string(),
            _ => return None,
        };
        if !is_dotted_name(module.trim_start_matches('.')) {
            return None;
        }
        match callee.as_str() {
            "importlib.import_module" if !module.starts_with('.') => Some(module),
            "__import__" => {
                let has_fromlist = call.arguments.args.len() > 3
                    || call.arguments.find_keyword("fromlist").is_some();
                if has_fromlist {
                    Some(module)
                } else {
                    module.split('.').next().map(str::to_string)
                }
            }
            _ => None,
        }
    }

    /// The absolute module a `from` import names, resolving leading dots from this module.
    pub fn absolute_module(&self, module: Option<&str>, level: u32) -> Option<String> {
        resolve_relative(self.module.as_deref(), self.is_package, module, level)
    }
}

/// Whether `text` can name a module (`a.b_c`): `__import__("sqlalchemy-stubs")` probes for a
/// distribution that no import can load.
pub fn is_dotted_name(text: &str) -> bool {
    text.split('.').all(|part| {
        part.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && part.chars().all(|c| c.is_alphanumeric() || c == '_')
    })
}

/// The absolute module that `from <dots><module> import …` names in module `own` (a
/// package's `__init__` when `is_package`).
pub fn resolve_relative(
    own: Option<&str>,
    is_package: bool,
    module: Option<&str>,
    level: u32,
) -> Option<String> {
    if level == 0 {
        return module.map(str::to_string);
    }
    let mut parts: Vec<&str> = own?.split('.').collect();
    // In `pkg/__init__.py` one dot is `pkg` itself; in `pkg/mod.py` it is `pkg`.
    let drop = if is_package { level - 1 } else { level } as usize;
    if drop > parts.len() {
        return None;
    }
    parts.truncate(parts.len() - drop);
    if let Some(module) = module {
        parts.push(module);
    }
    (!parts.is_empty()).then(|| parts.join("."))
}

/// The names a body binds at its own level (imports, functions, classes, assignments, in
/// nested blocks too, not in nested scopes): for the module body, its global names.
pub fn names_bound_in(body: &[Stmt]) -> FxHashSet<&str> {
    let (mut names, mut declared) = (FxHashSet::default(), FxHashSet::default());
    prescan_body(body, &mut names, &mut declared);
    names
}

/// Collects the names a function body binds, without entering nested scopes.
fn prescan_body<'a>(
    body: &'a [Stmt],
    locals: &mut FxHashSet<&'a str>,
    globals: &mut FxHashSet<&'a str>,
) {
    for stmt in body {
        match stmt {
            Stmt::FunctionDef(def) => {
                locals.insert(def.name.as_str());
            }
            Stmt::ClassDef(class) => {
                locals.insert(class.name.as_str());
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    target_names(target, locals);
                }
            }
            Stmt::AugAssign(assign) => target_names(&assign.target, locals),
            Stmt::AnnAssign(assign) => target_names(&assign.target, locals),
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    target_names(target, locals);
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.split('.').next().unwrap_or_default(),
                        |asname| asname.as_str(),
                    );
                    locals.insert(bound);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    locals.insert(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                }
            }
            Stmt::Global(global) => globals.extend(global.names.iter().map(|n| n.as_str())),
            Stmt::Nonlocal(nonlocal) => globals.extend(nonlocal.names.iter().map(|n| n.as_str())),
            Stmt::For(for_stmt) => {
                target_names(&for_stmt.target, locals);
                prescan_body(&for_stmt.body, locals, globals);
                prescan_body(&for_stmt.orelse, locals, globals);
            }
            Stmt::While(while_stmt) => {
                prescan_body(&while_stmt.body, locals, globals);
                prescan_body(&while_stmt.orelse, locals, globals);
            }
            Stmt::If(if_stmt) => {
                prescan_body(&if_stmt.body, locals, globals);
                for clause in &if_stmt.elif_else_clauses {
                    prescan_body(&clause.body, locals, globals);
                }
            }
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(vars) = &item.optional_vars {
                        target_names(vars, locals);
                    }
                }
                prescan_body(&with.body, locals, globals);
            }
            Stmt::Try(try_stmt) => {
                prescan_body(&try_stmt.body, locals, globals);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(name) = &handler.name {
                        locals.insert(name.as_str());
                    }
                    prescan_body(&handler.body, locals, globals);
                }
                prescan_body(&try_stmt.orelse, locals, globals);
                prescan_body(&try_stmt.finalbody, locals, globals);
            }
            Stmt::Match(match_stmt) => {
                for case in &match_stmt.cases {
                    prescan_body(&case.body, locals, globals);
                }
            }
            _ => {}
        }
    }
}

/// The plain names an assignment target binds (`a`, `a, *b`), not attributes or subscripts.
/// The `for` clauses of a comprehension or generator expression; `None` for other expressions.
pub fn comprehension_generators(expr: &Expr) -> Option<&[ruff_python_ast::Comprehension]> {
    match expr {
        Expr::ListComp(c) => Some(&c.generators),
        Expr::SetComp(c) => Some(&c.generators),
        Expr::DictComp(c) => Some(&c.generators),
        Expr::Generator(c) => Some(&c.generators),
        _ => None,
    }
}

pub fn target_names<'a>(target: &'a Expr, names: &mut FxHashSet<&'a str>) {
    match target {
        Expr::Name(name) => {
            names.insert(name.id.as_str());
        }
        Expr::Tuple(tuple) => tuple.elts.iter().for_each(|e| target_names(e, names)),
        Expr::List(list) => list.elts.iter().for_each(|e| target_names(e, names)),
        Expr::Starred(starred) => target_names(&starred.value, names),
        _ => {}
    }
}
