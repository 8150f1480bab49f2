//! The single walk over a file's syntax tree, and the tables that decide which rules run at
//! each node.
//!
//! [`Dispatch`] is built once per run from the selected rules' declared hooks: a hash map from
//! qualified callee names, another from method names, and per-node-kind lists. The [`Walker`]
//! keeps the scopes current (imports, assignments, function and class bodies), records the
//! module's facts, and at each node calls only the rules registered for it.

#[cfg(test)]
mod tests;

use rayon::prelude::*;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, AnyNodeRef, Expr, NodeKind, Stmt};
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::{
    Analysis, CallFn, Check, CiContext, CiFn, DistributionContext, DistributionFn, ExprFn,
    ImportFn, ProjectContext, ProjectFn, PyprojectContext, PyprojectFn, Role, Rule, RuleDefinition,
    SourceFn, StmtFn,
};
use archlint_facts::context::{CallSite, FileContext, ImportedModule};
use archlint_facts::names::{Binding, ScopeKind, is_dotted_name};
use archlint_facts::{CallFact, Definition, DefinitionKind, ImportFact, ImportKind, literal};
use archlint_project::selection::RuleSet;

/// Expressions nested deeper than this are not walked further: the guard that keeps
/// pathological input (a million `not not not …`) from exhausting the stack.
pub const MAX_NESTING: usize = 1_000;

#[derive(Default)]
pub struct Dispatch {
    calls: FxHashMap<&'static str, Vec<(&'static Rule, CallFn)>>,
    methods: FxHashMap<&'static str, Vec<(&'static Rule, CallFn)>>,
    any_calls: Vec<(&'static Rule, CallFn)>,
    stmts: FxHashMap<NodeKind, Vec<(&'static Rule, StmtFn)>>,
    exprs: FxHashMap<NodeKind, Vec<(&'static Rule, ExprFn)>>,
    imports: Vec<(&'static Rule, &'static [&'static str], ImportFn)>,
    sources: Vec<(&'static Rule, SourceFn)>,
    pyprojects: Vec<(&'static Rule, PyprojectFn)>,
    cis: Vec<(&'static Rule, CiFn)>,
    projects: Vec<(&'static Rule, ProjectFn)>,
    /// The shared analyses the project-wide rules read, each once.
    analyses: Vec<Analysis>,
    distributions: Vec<(&'static Rule, DistributionFn)>,
    /// Whether to record every name read and bound: only the dead-code rules need them, and
    /// they cost a tenth of the walk.
    record_names: bool,
}

/// The tables of a run, one per code role: a rule's per-file hooks are in the tables of the
/// roles it runs in; its hooks on the whole project, `pyproject.toml` or a distribution are in
/// every table.
pub struct Dispatches {
    by_role: Vec<Dispatch>,
}

impl Dispatches {
    /// The tables for the rules of `set`.
    pub fn for_rules(set: &RuleSet) -> Self {
        Dispatches::new(&crate::registry::selected(set))
    }

    pub fn new(rules: &[&'static RuleDefinition]) -> Self {
        Dispatches {
            by_role: Role::ALL
                .iter()
                .map(|role| Dispatch::build(rules, Some(*role)))
                .collect(),
        }
    }

    /// The table for the files of `role`.
    pub fn of(&self, role: Role) -> &Dispatch {
        &self.by_role[Role::ALL.iter().position(|r| *r == role).unwrap_or(0)]
    }

    /// The table for the hooks on the whole project.
    pub fn project(&self) -> &Dispatch {
        self.of(Role::Package)
    }
}

impl Dispatch {
    /// The tables for the rules of `set`, whatever the role of the file.
    pub fn for_rules(set: &RuleSet) -> Self {
        Dispatch::new(&crate::registry::selected(set))
    }

    pub fn new(rules: &[&'static RuleDefinition]) -> Self {
        Dispatch::build(rules, None)
    }

    /// With `role`, the per-file hooks of rules that do not run in it are left out.
    fn build(rules: &[&'static RuleDefinition], role: Option<Role>) -> Self {
        let mut dispatch = Dispatch::default();
        for &definition in rules {
            let per_file = role.is_none_or(|role| definition.roles().contains(role));
            dispatch.add(&definition.rule, definition.check, per_file);
        }
        // The names a file uses count for the dead code of every other file, whatever its role
        // (project-wide hooks are in every role's table).
        dispatch.record_names = dispatch.analyses.contains(&Analysis::DeadCode);
        dispatch
    }

    fn add(&mut self, rule: &'static Rule, check: Check, per_file: bool) {
        match check {
            Check::Pyproject { run } => self.pyprojects.push((rule, run)),
            Check::Ci { run } => self.cis.push((rule, run)),
            Check::Project { run, reads } => {
                self.projects.push((rule, run));
                for analysis in reads {
                    if !self.analyses.contains(analysis) {
                        self.analyses.push(*analysis);
                    }
                }
            }
            Check::Distribution { run } => self.distributions.push((rule, run)),
            Check::Several(checks) => {
                for check in checks {
                    self.add(rule, *check, per_file);
                }
            }
            Check::Engine => {}
            _ if !per_file => {}
            Check::Call { targets, run } => {
                for target in targets {
                    match target.strip_prefix('.') {
                        Some(method) => self.methods.entry(method).or_default(),
                        None => self.calls.entry(target).or_default(),
                    }
                    .push((rule, run));
                }
            }
            Check::AnyCall { run } => self.any_calls.push((rule, run)),
            Check::Stmt { kinds, run } => {
                for kind in kinds {
                    self.stmts.entry(*kind).or_default().push((rule, run));
                }
            }
            Check::Expr { kinds, run } => {
                for kind in kinds {
                    self.exprs.entry(*kind).or_default().push((rule, run));
                }
            }
            Check::Import { modules, run } => self.imports.push((rule, modules, run)),
            Check::Source { run } => self.sources.push((rule, run)),
        }
    }

    /// Whether any selected rule is about the project's `pyproject.toml`.
    pub fn has_pyproject_rules(&self) -> bool {
        !self.pyprojects.is_empty()
    }

    /// Runs the selected rules about the project's `pyproject.toml`.
    pub fn run_pyproject(&self, cx: &mut PyprojectContext) {
        for (rule, run) in &self.pyprojects {
            cx.rule = Some(rule);
            run(cx);
        }
    }

    /// Whether any selected rule is about the project's CI configuration.
    pub fn has_ci_rules(&self) -> bool {
        !self.cis.is_empty()
    }

    /// Runs the selected rules about the project's CI configuration.
    pub fn run_ci(&self, cx: &mut CiContext) {
        for (rule, run) in &self.cis {
            cx.rule = Some(rule);
            run(cx);
        }
    }

    /// Whether any selected rule runs on the whole project.
    pub fn has_project_rules(&self) -> bool {
        !self.projects.is_empty()
    }

    /// Runs the selected project-wide rules.
    pub fn run_project(&self, cx: &mut ProjectContext) {
        let project = cx.project;
        project.prepare(&self.analyses);
        // Each rule reports into its own context; the findings are gathered in rule order.
        let found: Vec<Vec<archlint_vocabulary::diagnostic::Diagnostic>> = self
            .projects
            .par_iter()
            .map(|(rule, run)| {
                let mut own = ProjectContext::new(project);
                own.rule = Some(rule);
                run(&mut own);
                own.diagnostics
            })
            .collect();
        cx.diagnostics.extend(found.into_iter().flatten());
    }

    /// Runs the selected rules about a built distribution.
    pub fn run_distribution(&self, cx: &mut DistributionContext) {
        for (rule, run) in &self.distributions {
            cx.rule = Some(rule);
            run(cx);
        }
    }

    /// Runs every selected rule on one parsed module.
    pub fn run<'a>(&self, module: &'a ast::ModModule, cx: &mut FileContext<'a>) {
        cx.module_body = &module.body;
        let mut walker = Walker {
            dispatch: self,
            cx,
            depth: 0,
            too_deep: None,
            conditional: 0,
            scope_path: String::new(),
        };
        walker.visit_body(&module.body);
        if let Some(range) = walker.too_deep {
            let message = format!(
                "code nested more than {MAX_NESTING} levels deep was not analysed; split the expression"
            );
            cx.push(
                &super::engine::nesting_too_deep::NESTING_TOO_DEEP,
                range,
                message,
                None,
                None,
            );
        }
        for (rule, run) in &self.sources {
            cx.rule = Some(rule);
            run(cx);
        }
        cx.rule = None;
    }
}

struct Walker<'d, 'c, 'a> {
    dispatch: &'d Dispatch,
    cx: &'c mut FileContext<'a>,
    depth: usize,
    too_deep: Option<ruff_text_size::TextRange>,
    /// Depth of `try`/`if` blocks around the position (for the kind of an import).
    conditional: usize,
    /// The enclosing classes and functions, dotted (`Order.save`), kept as the walk enters
    /// and leaves them: qualified names are asked for at every binding.
    scope_path: String,
}

impl<'a> Walker<'_, '_, 'a> {
    fn import_kind(&self) -> ImportKind {
        if self.cx.in_type_checking {
            ImportKind::TypeChecking
        } else if !self.cx.functions.is_empty() {
            ImportKind::Lazy
        } else if self.conditional > 0 {
            ImportKind::Conditional
        } else {
            ImportKind::Normal
        }
    }

    fn line(&self, node: &impl Ranged) -> usize {
        self.cx.location(node.start()).line
    }

    fn qualname(&self, name: &str) -> String {
        if self.scope_path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.scope_path)
        }
    }

    /// Enters a class or function scope named `name`; returns what [`Self::leave_scope`]
    /// needs.
    fn enter_scope(&mut self, name: &str) -> usize {
        let length = self.scope_path.len();
        if length > 0 {
            self.scope_path.push('.');
        }
        self.scope_path.push_str(name);
        length
    }

    fn leave_scope(&mut self, length: usize) {
        self.scope_path.truncate(length);
    }

    fn run_imports(
        &mut self,
        name: String,
        statement: ruff_text_size::TextRange,
        range: ruff_text_size::TextRange,
        kind: ImportKind,
        level: u32,
    ) {
        let module = ImportedModule {
            name,
            statement,
            range,
            kind,
            relative: level > 0,
        };
        for (rule, targets, run) in &self.dispatch.imports {
            let matches = targets.is_empty()
                || targets
                    .iter()
                    .any(|target| archlint_facts::is_within(&module.name, target));
            if matches {
                self.cx.rule = Some(rule);
                run(&module, self.cx);
            }
        }
    }

    /// Whether the import being visited sits in the body (or `else:`) of a `try` that
    /// catches a failed import.
    fn import_guarded(&self, import: ruff_text_size::TextRange) -> bool {
        let catches_import_error = |handler: &ruff_python_ast::ExceptHandler| {
            let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
            let Some(caught) = &handler.type_ else {
                return true;
            };
            let names: Vec<&Expr> = match caught.as_ref() {
                Expr::Tuple(tuple) => tuple.elts.iter().collect(),
                other => vec![other],
            };
            names.iter().any(|name| {
                let text = match name {
                    Expr::Name(n) => n.id.as_str(),
                    Expr::Attribute(a) => a.attr.as_str(),
                    _ => return false,
                };
                matches!(
                    text,
                    "ImportError" | "ModuleNotFoundError" | "Exception" | "BaseException"
                )
            })
        };
        self.cx.stmt_parents.iter().any(|parent| match parent {
            Stmt::Try(try_stmt) => {
                // The body, and `else:` which runs only when the body's imports worked.
                try_stmt
                    .body
                    .iter()
                    .chain(&try_stmt.orelse)
                    .any(|body| body.range().contains_range(import))
                    && try_stmt.handlers.iter().any(catches_import_error)
            }
            _ => false,
        })
    }

    fn visit_import(&mut self, stmt: &'a Stmt) {
        let kind = self.import_kind();
        let guarded = self.import_guarded(stmt.range());
        let line = self.line(stmt);
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.to_string();
                    let (bound, qualified) = match &alias.asname {
                        Some(asname) => (asname.as_str(), module.clone()),
                        None => {
                            let head = alias.name.split('.').next().unwrap_or_default();
                            (head, head.to_string())
                        }
                    };
                    self.cx.scopes.bind(bound, Binding::Imported(qualified));
                    if alias.asname.is_some() {
                        // `import a.b as c` uses `a.b` (and `import os as os` re-exports).
                        self.cx.facts.uses.insert(module.clone());
                    }
                    self.cx.facts.imports.push(ImportFact {
                        module: module.clone(),
                        member: None,
                        bound_as: Some(bound.to_string()),
                        line,
                        column: self.cx.location(alias.start()).column,
                        kind,
                        level: 0,
                        guarded,
                    });
                    self.run_imports(module, stmt.range(), alias.range(), kind, 0);
                }
            }
            Stmt::ImportFrom(import) => {
                let written = import.module.as_ref().map(|m| m.as_str());
                let absolute = self.cx.scopes.absolute_module(written, import.level);
                let module = absolute.clone().unwrap_or_else(|| {
                    format!(
                        "{}{}",
                        ".".repeat(import.level as usize),
                        written.unwrap_or("")
                    )
                });
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        self.cx.facts.imports.push(ImportFact {
                            module: module.clone(),
                            member: Some("*".to_string()),
                            bound_as: None,
                            line,
                            column: self.cx.location(alias.start()).column,
                            kind,
                            level: import.level,
                            guarded,
                        });
                        self.run_imports(
                            module.clone(),
                            stmt.range(),
                            alias.range(),
                            kind,
                            import.level,
                        );
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    if alias.asname.is_some() {
                        self.cx.facts.uses.insert(alias.name.to_string());
                    }
                    let member = format!("{module}.{}", alias.name);
                    self.cx
                        .scopes
                        .bind(bound, Binding::Imported(member.clone()));
                    self.cx.facts.imports.push(ImportFact {
                        module: module.clone(),
                        member: Some(alias.name.to_string()),
                        bound_as: Some(bound.to_string()),
                        line,
                        column: self.cx.location(alias.start()).column,
                        kind,
                        level: import.level,
                        guarded,
                    });
                    self.run_imports(member, stmt.range(), alias.range(), kind, import.level);
                }
            }
            _ => {}
        }
    }

    fn definition(
        &mut self,
        kind: DefinitionKind,
        name: &str,
        node: &impl Ranged,
        decorators: &[ast::Decorator],
    ) -> Definition {
        let decorators = decorators
            .iter()
            .map(|d| {
                let callee = match &d.expression {
                    Expr::Call(call) => &*call.func,
                    other => other,
                };
                self.cx
                    .qualified_name(callee)
                    .unwrap_or_else(|| self.cx.text(callee.range()).to_string())
            })
            .collect();
        Definition {
            kind,
            qualname: self.qualname(name),
            line: self.line(node),
            decorators,
            bases: Vec::new(),
            metaclass: None,
            parameters: 0,
            annotated_parameters: 0,
            annotated_return: false,
        }
    }

    fn visit_function(&mut self, def: &'a ast::StmtFunctionDef) {
        let method = self.cx.scopes.current_kind() == ScopeKind::Class;
        let kind = match (method, def.is_async) {
            (true, true) => DefinitionKind::AsyncMethod,
            (true, false) => DefinitionKind::Method,
            (false, true) => DefinitionKind::AsyncFunction,
            (false, false) => DefinitionKind::Function,
        };
        let mut definition = self.definition(kind, &def.name, def, &def.decorator_list);
        let skip_first = method
            && !definition
                .decorators
                .iter()
                .any(|d| d.ends_with("staticmethod"));
        for (index, parameter) in def.parameters.iter().enumerate() {
            if index == 0 && skip_first {
                continue;
            }
            definition.parameters += 1;
            definition.annotated_parameters += u32::from(parameter.annotation().is_some());
        }
        definition.annotated_return = def.returns.is_some();
        self.cx.facts.definitions.push(definition);

        // Decorators, defaults and annotations belong to the enclosing scope.
        for decorator in &def.decorator_list {
            self.visit_decorator(decorator);
        }
        if let Some(type_params) = &def.type_params {
            self.visit_type_params(type_params);
        }
        self.visit_parameters(&def.parameters);
        if let Some(returns) = &def.returns {
            self.visit_annotation(returns);
        }
        self.cx.scopes.bind(def.name.as_str(), Binding::Local);
        self.cx
            .scopes
            .push_function(Some(&def.parameters), &def.body);
        self.cx.functions.push(def);
        let scope = self.enter_scope(&def.name);
        let conditional = std::mem::take(&mut self.conditional);
        self.visit_body(&def.body);
        self.conditional = conditional;
        self.leave_scope(scope);
        self.cx.functions.pop();
        self.cx.scopes.pop();
    }

    fn visit_class(&mut self, class: &'a ast::StmtClassDef) {
        let mut definition = self.definition(
            DefinitionKind::Class,
            &class.name,
            class,
            &class.decorator_list,
        );
        if let Some(arguments) = &class.arguments {
            definition.bases = arguments
                .args
                .iter()
                .map(|base| {
                    self.cx
                        .qualified_name(base)
                        .unwrap_or_else(|| self.cx.text(base.range()).to_string())
                })
                .collect();
            definition.metaclass = arguments.find_keyword("metaclass").map(|keyword| {
                self.cx
                    .qualified_name(&keyword.value)
                    .unwrap_or_else(|| self.cx.text(keyword.value.range()).to_string())
            });
        }
        self.cx.facts.definitions.push(definition);
        for decorator in &class.decorator_list {
            self.visit_decorator(decorator);
        }
        if let Some(type_params) = &class.type_params {
            self.visit_type_params(type_params);
        }
        if let Some(arguments) = &class.arguments {
            self.visit_arguments(arguments);
        }
        self.cx.scopes.bind(class.name.as_str(), Binding::Local);
        self.cx.scopes.push_class();
        self.cx.classes.push(class);
        let scope = self.enter_scope(&class.name);
        self.visit_body(&class.body);
        self.leave_scope(scope);
        self.cx.classes.pop();
        self.cx.scopes.pop();
    }

    /// After an assignment: aliases of imported names, dynamic imports, def-use records.
    fn record_assignment(&mut self, target: &'a Expr, value: &'a Expr) {
        let Expr::Name(name) = target else { return };
        let name = name.id.as_str();
        if self.cx.scopes.current_kind() == ScopeKind::Module
            && self.cx.functions.is_empty()
            && name == "__all__"
        {
            self.cx.facts.dunder_all = literal::string_list(value);
        }
        self.cx.scopes.record_assignment(name, value);
        if matches!(value, Expr::Name(_) | Expr::Attribute(_)) {
            if let Some(qualified) = self.cx.imported_name(value) {
                self.cx.scopes.bind(name, Binding::Imported(qualified));
            }
        } else if let Expr::Call(call) = value
            && let Some(module) = self.cx.scopes.dynamic_import(call)
        {
            self.cx.scopes.bind(name, Binding::Imported(module));
        }
    }

    /// The facts dead-code analysis needs: names read, and names and attributes bound.
    fn record_use_or_definition(&mut self, expr: &'a Expr) {
        // Modules named in strings count as used, by dead code and by unused dependencies;
        // strings are few, so they are recorded whatever rules run.
        if let Expr::StringLiteral(string) = expr {
            let text = string.value.to_str();
            if text.len() > 2
                && text.contains('.')
                && text
                    .split('.')
                    .all(ruff_python_stdlib::identifiers::is_identifier)
            {
                self.cx.facts.dotted_strings.push(text.to_string());
            }
            return;
        }
        if !self.dispatch.record_names {
            return;
        }
        let (name, store) = match expr {
            Expr::Name(name) => (name.id.as_str(), name.ctx.is_store()),
            Expr::Attribute(attribute) if !attribute.ctx.is_del() => {
                (attribute.attr.as_str(), attribute.ctx.is_store())
            }
            _ => return,
        };
        if !store {
            if !self.cx.facts.uses.contains(name) {
                self.cx.facts.uses.insert(name.to_string());
            }
            return;
        }
        let definition = if matches!(expr, Expr::Name(_)) {
            self.definition(DefinitionKind::Variable, name, expr, &[])
        } else {
            // An attribute belongs to the class whose method sets it (`Job.started`).
            let mut definition = self.definition(DefinitionKind::Attribute, name, expr, &[]);
            let classes: Vec<&str> = self.cx.classes.iter().map(|c| c.name.as_str()).collect();
            definition.qualname = classes
                .into_iter()
                .chain([name])
                .collect::<Vec<_>>()
                .join(".");
            definition
        };
        self.cx.facts.definitions.push(definition);
    }

    /// The callee as a project path (see [`CallFact::target`]), and whether it is called on
    /// `self` or `cls`.
    fn call_target(&self, func: &Expr, site: &CallSite) -> (Option<String>, bool) {
        if let Some(qualified) = site.qualified.as_ref().filter(|q| q.imported) {
            return (Some(qualified.name.clone()), false);
        }
        let module = self.cx.facts.module.as_deref();
        match func {
            Expr::Name(name) => (module.map(|m| format!("{m}.{}", name.id)), false),
            Expr::Attribute(attribute) => match attribute.value.as_ref() {
                Expr::Name(receiver)
                    if matches!(receiver.id.as_str(), "self" | "cls")
                        && !self.cx.functions.is_empty() =>
                {
                    let class: Vec<&str> =
                        self.cx.classes.iter().map(|c| c.name.as_str()).collect();
                    if class.is_empty() {
                        return (None, false);
                    }
                    let path =
                        module.map(|m| format!("{m}.{}.{}", class.join("."), attribute.attr));
                    (path, true)
                }
                _ => match (module, literal::dotted(func)) {
                    (Some(m), Some(dotted)) => (Some(format!("{m}.{dotted}")), false),
                    _ => (None, false),
                },
            },
            _ => (None, false),
        }
    }

    fn visit_call(&mut self, call: &'a ast::ExprCall) {
        let qualified = self.cx.scopes.resolve(&call.func);
        let method = match call.func.as_ref() {
            Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
            _ => None,
        };
        let site = CallSite {
            call,
            qualified,
            method,
        };
        let caller = if self.cx.functions.is_empty() {
            String::new()
        } else {
            self.scope_path.clone()
        };
        // Only the project call graph reads the target; most runs need not build it.
        let (target, on_self) = if self.dispatch.has_project_rules() {
            self.call_target(&call.func, &site)
        } else {
            (None, false)
        };
        let discarded = self.cx.expr_parents.is_empty()
            && matches!(self.cx.stmt_parents.last(), Some(Stmt::Expr(e)) if e.value.range() == call.range());
        let callee = site.name();
        let line = self.line(call);
        if matches!(callee.as_str(), "importlib.import_module" | "__import__")
            && let Some(module) = call.arguments.args.first().and_then(literal::string)
            && is_dotted_name(&module)
        {
            self.cx.facts.imports.push(ImportFact {
                module: module.clone(),
                member: None,
                bound_as: None,
                line,
                column: self.cx.location(call.start()).column,
                kind: ImportKind::Dynamic,
                level: 0,
                guarded: self.import_guarded(call.range()),
            });
            // Import rules see dynamic imports of a literal name too, as bandit does.
            self.run_imports(module, call.range(), call.range(), ImportKind::Dynamic, 0);
        }
        if matches!(callee.as_str(), "getattr" | "hasattr")
            && let Some(name) = call.arguments.args.get(1).and_then(literal::string)
        {
            self.cx.facts.uses.insert(name);
        }
        let column = self.cx.location(call.start()).column;
        self.cx.facts.calls.push(CallFact {
            callee,
            line,
            column,
            caller,
            target,
            on_self,
            discarded,
        });

        if let Some(q) = &site.qualified
            && let Some(rules) = self.dispatch.calls.get(q.name.as_str())
        {
            for (rule, run) in rules {
                self.cx.rule = Some(rule);
                run(&site, self.cx);
            }
        }
        let unresolved_receiver = site.qualified.as_ref().is_none_or(|q| !q.imported);
        if let (Some(method), true) = (method, unresolved_receiver)
            && let Some(rules) = self.dispatch.methods.get(method)
        {
            for (rule, run) in rules {
                self.cx.rule = Some(rule);
                run(&site, self.cx);
            }
        }
        for (rule, run) in &self.dispatch.any_calls {
            self.cx.rule = Some(rule);
            run(&site, self.cx);
        }
    }
}

impl<'a> Visitor<'a> for Walker<'_, '_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Some(rules) = self.dispatch.stmts.get(&AnyNodeRef::from(stmt).kind()) {
            for (rule, run) in rules {
                self.cx.rule = Some(rule);
                run(stmt, self.cx);
            }
        }
        self.cx.stmt_parents.push(stmt);
        match stmt {
            Stmt::Import(_) | Stmt::ImportFrom(_) => self.visit_import(stmt),
            Stmt::FunctionDef(def) => self.visit_function(def),
            Stmt::ClassDef(class) => self.visit_class(class),
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                for target in &assign.targets {
                    self.visit_expr(target);
                }
                if let [target] = assign.targets.as_slice() {
                    self.record_assignment(target, &assign.value);
                }
            }
            Stmt::AnnAssign(assign) => {
                self.visit_annotation(&assign.annotation);
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
                self.visit_expr(&assign.target);
                if let Some(value) = &assign.value {
                    self.record_assignment(&assign.target, value);
                }
            }
            Stmt::If(if_stmt) if self.cx.is_type_checking_test(&if_stmt.test) => {
                self.visit_expr(&if_stmt.test);
                let outer = std::mem::replace(&mut self.cx.in_type_checking, true);
                self.visit_body(&if_stmt.body);
                self.cx.in_type_checking = outer;
                for clause in &if_stmt.elif_else_clauses {
                    self.visit_elif_else_clause(clause);
                }
            }
            Stmt::If(_) | Stmt::Try(_) => {
                if let Stmt::If(if_stmt) = stmt
                    && self.cx.functions.is_empty()
                    && self.cx.classes.is_empty()
                    && literal::is_main_guard(&if_stmt.test)
                {
                    self.cx.facts.runs_as_script = true;
                }
                self.conditional += 1;
                visitor::walk_stmt(self, stmt);
                self.conditional -= 1;
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.cx.stmt_parents.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_NESTING {
            self.too_deep.get_or_insert(expr.range());
            return;
        }
        self.depth += 1;
        if let Some(rules) = self.dispatch.exprs.get(&AnyNodeRef::from(expr).kind()) {
            for (rule, run) in rules {
                self.cx.rule = Some(rule);
                run(expr, self.cx);
            }
        }
        if let Expr::Call(call) = expr {
            self.visit_call(call);
        }
        self.record_use_or_definition(expr);
        self.cx.expr_parents.push(expr);
        match expr {
            Expr::Name(name) if name.ctx.is_store() || name.ctx.is_del() => {
                self.cx.scopes.bind(name.id.as_str(), Binding::Local);
            }
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    self.visit_parameters(parameters);
                }
                let names = lambda
                    .parameters
                    .iter()
                    .flat_map(|p| p.iter())
                    .map(|p| p.name().as_str());
                self.cx.scopes.push_local_names(names);
                self.visit_expr(&lambda.body);
                self.cx.scopes.pop();
            }
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                let generators =
                    archlint_facts::names::comprehension_generators(expr).unwrap_or_default();
                let mut names = rustc_hash::FxHashSet::default();
                for generator in generators {
                    archlint_facts::names::target_names(&generator.target, &mut names);
                }
                self.cx.scopes.push_local_names(names);
                visitor::walk_expr(self, expr);
                self.cx.scopes.pop();
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.cx.expr_parents.pop();
        self.depth -= 1;
    }

    fn visit_body(&mut self, body: &'a [Stmt]) {
        // Deeply nested blocks recurse through statements, not expressions.
        if self.depth >= MAX_NESTING {
            if let Some(first) = body.first() {
                self.too_deep.get_or_insert(first.range());
            }
            return;
        }
        self.depth += 1;
        visitor::walk_body(self, body);
        self.depth -= 1;
    }
}
