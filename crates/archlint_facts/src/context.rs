//! What a rule sees: the file being walked ([`FileContext`]), a call with its resolved callee
//! ([`CallSite`]) and an import ([`ImportedModule`]). Rules ask questions here ("what does this
//! expression name?", "what was this local assigned?") and report findings through
//! [`FileContext::report`].

use std::path::Path;

use ruff_python_ast::token::Tokens;
use ruff_python_ast::{self as ast, Expr};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::ModuleFacts;
use super::names::{QualifiedName, Scopes};
use super::versions::{Guards, NeedKind, Version, VersionNeed};
use archlint_project::pyproject_file::PyprojectFile;
use archlint_project::settings::RuleOptions;
use archlint_vocabulary::diagnostic::{self, Diagnostic, Location};
use archlint_vocabulary::{Confidence, Role, Rule, Severity};

/// A call, with its callee resolved.
pub struct CallSite<'a> {
    pub call: &'a ast::ExprCall,
    /// The qualified name of the callee (`subprocess.run`), when it resolves.
    pub qualified: Option<QualifiedName>,
    /// The attribute called, for `<receiver>.name(...)`.
    pub method: Option<&'a str>,
}

impl<'a> CallSite<'a> {
    /// The name to show in messages: the qualified name, else `.method`, else `call`.
    pub fn name(&self) -> String {
        match (&self.qualified, self.method) {
            (Some(q), _) => q.name.clone(),
            (None, Some(method)) => format!(".{method}"),
            (None, None) => "call".to_string(),
        }
    }

    /// `true` when the callee resolves to exactly `qualified`.
    pub fn is(&self, qualified: &str) -> bool {
        self.qualified.as_ref().is_some_and(|q| q.name == qualified)
    }

    pub fn receiver(&self) -> Option<&'a Expr> {
        match self.call.func.as_ref() {
            Expr::Attribute(attribute) => Some(&attribute.value),
            _ => None,
        }
    }

    pub fn args(&self) -> &'a [Expr] {
        &self.call.arguments.args
    }

    pub fn keywords(&self) -> &'a [ast::Keyword] {
        &self.call.arguments.keywords
    }

    pub fn arg(&self, index: usize) -> Option<&'a Expr> {
        self.call
            .arguments
            .args
            .get(index)
            .filter(|arg| !arg.is_starred_expr())
    }

    pub fn keyword(&self, name: &str) -> Option<&'a ast::Keyword> {
        self.call.arguments.find_keyword(name)
    }

    pub fn keyword_value(&self, name: &str) -> Option<&'a Expr> {
        self.keyword(name).map(|keyword| &keyword.value)
    }

    /// The argument at `index`, or the keyword `name` (for parameters that can be either).
    pub fn argument(&self, index: usize, name: &str) -> Option<&'a Expr> {
        self.keyword_value(name).or_else(|| self.arg(index))
    }

    /// `true` when the call passes `**kwargs` or `*args`, so absent arguments are unknown.
    pub fn has_unpacking(&self) -> bool {
        self.call.arguments.args.iter().any(Expr::is_starred_expr)
            || self
                .call
                .arguments
                .keywords
                .iter()
                .any(|keyword| keyword.arg.is_none())
    }

    pub fn range(&self) -> TextRange {
        self.call.range()
    }
}

/// An imported module (`import a.b`) or member (`from a import b` gives `a.b`), or a module
/// imported by `importlib.import_module("a")` / `__import__("a")`.
pub struct ImportedModule {
    pub name: String,
    /// The whole import statement (or the dynamic import call).
    pub statement: TextRange,
    /// The imported name itself.
    pub range: TextRange,
    /// Where the import sits: plain, under `TYPE_CHECKING`, in a function, in `try`/`if`.
    pub kind: super::ImportKind,
    /// `from . import x`: the name is the project's own package, resolved.
    pub relative: bool,
}

/// The file being checked, as the rules see it.
pub struct FileContext<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    pub tokens: &'a Tokens,
    pub options: &'a RuleOptions,
    /// What the file is for (the dispatcher runs only the rules of this role).
    pub role: Role,
    /// The oldest Python the file must run on: the project's, or the version a documentation
    /// example's name says it is for (`tutorial_py310.py`).
    pub target: (u8, u8),
    pub scopes: Scopes<'a>,
    /// The functions that enclose the walk's position, innermost last.
    pub functions: Vec<&'a ast::StmtFunctionDef>,
    /// The classes that enclose the walk's position, innermost last.
    pub classes: Vec<&'a ast::StmtClassDef>,
    /// The expressions enclosing the one being checked, innermost last (within the current
    /// statement).
    pub expr_parents: Vec<&'a Expr>,
    /// The statements enclosing the walk's position, innermost last: a statement's own rules
    /// see its parents, an expression's rules see its statement last.
    pub stmt_parents: Vec<&'a ruff_python_ast::Stmt>,
    /// The module's top-level statements (for rules that look ahead, e.g. at functions
    /// defined further down).
    pub module_body: &'a [ruff_python_ast::Stmt],
    /// `true` inside `if TYPE_CHECKING:`.
    pub in_type_checking: bool,
    pub facts: ModuleFacts,
    pub(crate) line_index: LineIndex,
    version_guards: std::cell::OnceCell<Guards>,
    /// What rules computed once for the whole file ([`FileContext::memo`]).
    memos: std::cell::RefCell<rustc_hash::FxHashMap<&'static str, std::rc::Rc<dyn std::any::Any>>>,
    /// The rule running now, set by the dispatcher: findings are reported under it.
    pub rule: Option<&'static Rule>,
    /// The findings so far, taken by the pipeline once the rules ran.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> FileContext<'a> {
    /// `make()`, computed once per file under `key` and shared by every later call: for what
    /// a rule learns from the whole module and needs at each node it visits (key it with the
    /// rule's code, so that rules do not share values by accident).
    pub fn memo<T: 'static>(&self, key: &'static str, make: impl FnOnce() -> T) -> std::rc::Rc<T> {
        let known = self.memos.borrow().get(key).cloned();
        if let Some(value) = known.and_then(|value| value.downcast::<T>().ok()) {
            return value;
        }
        // Not borrowed while `make` runs: it may use other memos.
        let value = std::rc::Rc::new(make());
        self.memos.borrow_mut().insert(key, value.clone());
        value
    }

    pub fn new(
        path: &'a Path,
        source: &'a str,
        tokens: &'a Tokens,
        options: &'a RuleOptions,
        facts: ModuleFacts,
    ) -> Self {
        let target = options
            .target
            .max(version_in_name(path).unwrap_or_default());
        let scopes = Scopes::new(facts.module.clone(), facts.is_package);
        FileContext {
            path,
            source,
            tokens,
            options,
            role: facts.role,
            target,
            scopes,
            functions: Vec::new(),
            classes: Vec::new(),
            expr_parents: Vec::new(),
            stmt_parents: Vec::new(),
            module_body: &[],
            in_type_checking: false,
            facts,
            line_index: LineIndex::from_source_text(source),
            version_guards: std::cell::OnceCell::new(),
            memos: std::cell::RefCell::default(),
            rule: None,
            diagnostics: Vec::new(),
        }
    }

    /// Reports a finding of the running rule at `range`, with the rule's own severity.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) {
        self.report_rated(range, message, None, None);
    }

    /// Reports a finding with a severity and confidence other than the rule's defaults
    /// (bandit rates some checks by how the call is written).
    pub fn report_rated(
        &mut self,
        range: TextRange,
        message: impl Into<String>,
        severity: Option<Severity>,
        confidence: Option<Confidence>,
    ) {
        let rule = self.rule.expect("the dispatcher sets the running rule");
        self.push(rule, range, message.into(), severity, confidence);
    }

    /// Whether the running rule has already reported exactly `range` (bandit reports some
    /// checks once per statement however many names in it match).
    pub fn already_reported(&self, range: TextRange) -> bool {
        let offset = (range.start().to_u32(), range.end().to_u32());
        self.rule.is_some_and(|rule| {
            self.diagnostics
                .iter()
                .any(|d| d.code == rule.code && d.offset == offset)
        })
    }

    /// Reports a finding of `rule` (the engine's own rules too), at another severity or
    /// confidence than the rule's when given.
    pub fn push(
        &mut self,
        rule: &'static Rule,
        range: TextRange,
        message: String,
        severity: Option<Severity>,
        confidence: Option<Confidence>,
    ) {
        let mut diagnostic = Diagnostic::at(
            rule,
            self.path,
            self.source,
            &self.line_index,
            range,
            message,
        );
        diagnostic.severity = severity.unwrap_or(rule.severity);
        diagnostic.confidence = confidence.or(rule.confidence);
        self.diagnostics.push(diagnostic);
    }

    pub fn location(&self, offset: TextSize) -> Location {
        diagnostic::location(self.source, &self.line_index, offset)
    }

    /// The source text of a node.
    pub fn text(&self, range: TextRange) -> &'a str {
        &self.source[range]
    }

    /// The qualified name an expression stands for (`sp.run` → `subprocess.run`). Names bound
    /// nowhere in the file (builtins included) resolve to themselves.
    pub fn qualified_name(&self, expr: &Expr) -> Option<String> {
        self.scopes.resolve(expr).map(|q| q.name)
    }

    /// Like [`Self::qualified_name`], but only for names that come from an import.
    pub fn imported_name(&self, expr: &Expr) -> Option<String> {
        self.scopes
            .resolve(expr)
            .filter(|q| q.imported)
            .map(|q| q.name)
    }

    /// `true` when `expr` names one of `qualified` (after resolution).
    pub fn resolves_to(&self, expr: &Expr, qualified: &[&str]) -> bool {
        self.qualified_name(expr)
            .is_some_and(|name| qualified.contains(&name.as_str()))
    }

    /// The value last assigned to a plain local name in the current function (or module).
    pub fn local_value(&self, name: &str) -> Option<&'a Expr> {
        self.scopes.assigned_value(name)
    }

    /// The qualified name of a name or attribute chain being read, once per chain: for
    /// `typing.List` it is `typing.List`, and nothing for its `typing` part. Stores and
    /// deletions give nothing.
    pub fn read_name(&self, expr: &Expr) -> Option<String> {
        if !is_read(expr) || matches!(self.expr_parents.last(), Some(Expr::Attribute(_))) {
            return None;
        }
        self.qualified_name(expr)
    }

    /// Follows a plain name back to the value assigned to it in the same scope (once).
    pub fn follow<'e>(&self, expr: &'e Expr) -> &'e Expr
    where
        'a: 'e,
    {
        match expr {
            Expr::Name(name) => self.local_value(&name.id).unwrap_or(expr),
            _ => expr,
        }
    }

    /// How a string is built at run time, looking through one local assignment.
    pub fn dynamic_string(&self, expr: &Expr) -> Option<super::literal::DynamicString> {
        super::literal::dynamic_string(self.follow(expr))
    }

    /// What made the object `expr` names, by light local inference: a name assigned a call in
    /// this function (or module), or `self.attr` assigned a call in the class's `__init__`.
    /// Gives the call's qualified name (`threading.Lock`).
    pub fn constructed_by(&self, expr: &Expr) -> Option<String> {
        let value = match expr {
            Expr::Name(_) => self.follow(expr),
            Expr::Attribute(attribute) if matches!(attribute.value.as_ref(), Expr::Name(name) if name.id.as_str() == "self") => {
                self.init_assignment(attribute.attr.as_str())?
            }
            other => other,
        };
        let Expr::Call(call) = value else { return None };
        self.qualified_name(&call.func)
    }

    /// The value `self.<attr> = value` gets in the enclosing class's `__init__`.
    fn init_assignment(&self, attr: &str) -> Option<&'a Expr> {
        let class = self.classes.last()?;
        let init = super::blocks::function_in(&class.body, "__init__")?;
        init.body.iter().find_map(|stmt| {
            let (targets, value): (&[Expr], &Expr) = match stmt {
                ruff_python_ast::Stmt::Assign(assign) => (&assign.targets, &assign.value),
                ruff_python_ast::Stmt::AnnAssign(ast::StmtAnnAssign {
                    target,
                    value: Some(value),
                    ..
                }) => (std::slice::from_ref(&**target), &**value),
                _ => return None,
            };
            targets
                .iter()
                .any(|target| {
                    matches!(target, Expr::Attribute(a) if a.attr.as_str() == attr
                        && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self"))
                })
                .then_some(value)
        })
    }

    /// Records that the code at `range` needs Python `version` for `feature`, unless a guard
    /// keeps older interpreters away from it.
    pub fn need_version(
        &mut self,
        range: TextRange,
        version: Version,
        feature: impl Into<String>,
        kind: NeedKind,
    ) {
        let guards = self
            .version_guards
            .get_or_init(|| Guards::of(self.module_body, self.source, self.tokens));
        if guards.covers(range, version, kind) {
            return;
        }
        let line = self.location(range.start()).line;
        self.facts.version_needs.push(VersionNeed {
            version,
            feature: feature.into(),
            line,
            range,
            kind,
        });
    }

    /// Whether `test` is `TYPE_CHECKING` (`typing.TYPE_CHECKING`, `t.TYPE_CHECKING`, …).
    pub fn is_type_checking_test(&self, test: &Expr) -> bool {
        self.qualified_name(test)
            .is_some_and(|name| name == "TYPE_CHECKING" || name.ends_with(".TYPE_CHECKING"))
    }

    /// Whether the module imports `module` (or a submodule of it) anywhere.
    pub fn imports_module(&self, module: &str) -> bool {
        self.facts.imports_module(module)
    }

    /// A class defined at the top level of the module, by name.
    pub fn module_class(&self, name: &str) -> Option<&'a ast::StmtClassDef> {
        self.module_body.iter().find_map(|stmt| match stmt {
            ruff_python_ast::Stmt::ClassDef(class) if class.name.as_str() == name => Some(class),
            _ => None,
        })
    }

    pub fn enclosing_function(&self) -> Option<&'a ast::StmtFunctionDef> {
        self.functions.last().copied()
    }
}

/// Whether a name or attribute is read (not stored or deleted).
pub fn is_read(expr: &Expr) -> bool {
    match expr {
        Expr::Name(name) => name.ctx.is_load(),
        Expr::Attribute(attribute) => attribute.ctx.is_load(),
        _ => false,
    }
}

/// What a rule about project metadata sees: the project's `pyproject.toml`.
pub struct PyprojectContext<'a> {
    pub file: &'a PyprojectFile,
    pub options: &'a RuleOptions,
    /// The rule running now, set by the dispatcher: findings are reported under it.
    pub rule: Option<&'static Rule>,
    /// The findings so far, taken by the pipeline once the rules ran.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> PyprojectContext<'a> {
    pub fn new(file: &'a PyprojectFile, options: &'a RuleOptions) -> Self {
        PyprojectContext {
            file,
            options,
            rule: None,
            diagnostics: Vec::new(),
        }
    }

    /// Reports a finding of the running rule at `range` of the file.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) {
        let rule = self.rule.expect("a rule is running");
        self.diagnostics
            .push(self.file.diagnostic(rule, range, message.into()));
    }

    /// Reports a finding of the running rule where a setting is: a range of `pyproject.toml`,
    /// or a line of another configuration file the tool reads (an INI file).
    pub fn report_setting(&mut self, at: &SettingAt, message: impl Into<String>) {
        match at {
            SettingAt::Toml(range) => self.report(*range, message),
            SettingAt::Line(path, line) => {
                let rule = self.rule.expect("a rule is running");
                let mut d = Diagnostic::for_file(rule, path.clone(), message.into());
                d.start.line = *line;
                d.end = d.start;
                self.diagnostics.push(d);
            }
        }
    }
}

/// Where a setting is, for [`PyprojectContext::report_setting`].
#[derive(Clone, Debug)]
pub enum SettingAt {
    Toml(TextRange),
    Line(std::path::PathBuf, usize),
}

/// The Python version a file's name says it is written for: `_py310` or `_py39` at the end of
/// its stem, as documentation examples written once per version are named.
fn version_in_name(path: &Path) -> Option<(u8, u8)> {
    let stem = path.file_stem()?.to_str()?;
    let digits = stem.rsplit_once("_py3")?.1;
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((3, digits.parse().ok()?))
}
