use ruff_python_ast::visitor::{self, Visitor};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::prelude::*;
use archlint_facts::ImportKind;
use archlint_facts::names::names_bound_in;

rule! {
    /// ## What it does
    /// Flags a name bound only by an import under `if TYPE_CHECKING:` that the module uses
    /// where Python evaluates it: a call, `isinstance`, a base class, a decorator, a default
    /// value, `cast(X, …)`, a function body, module-level code — and annotations of
    /// functions and of module or class variables, unless `from __future__ import
    /// annotations` is in effect or every supported Python defers them (3.14, PEP 649).
    /// String annotations, annotations of local variables, `type` statements and code under
    /// `if TYPE_CHECKING:` are fine.
    ///
    /// ## Why it matters
    /// Guide §4: `TYPE_CHECKING` is `False` when the program runs, so the import never
    /// happens. Every run-time use of the name is a `NameError` waiting for the first call
    /// that reaches it.
    ///
    /// ## Example
    /// ```python
    /// from typing import TYPE_CHECKING
    ///
    /// if TYPE_CHECKING:
    ///     from decimal import Decimal
    ///
    /// def total(values: list[str]) -> "Decimal":
    ///     return sum(Decimal(v) for v in values)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from decimal import Decimal
    ///
    /// def total(values: list[str]) -> Decimal:
    ///     return sum(Decimal(v) for v in values)
    /// ```
    pub static TYPE_CHECKING_IMPORT_USED_AT_RUNTIME = Rule {
        code: "TYP006",
        name: "type-checking-import-used-at-runtime",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "TC004")],
        check: Check::Source { run: check },
    };
}

fn check(cx: &mut FileContext) {
    if !cx
        .facts
        .imports
        .iter()
        .any(|import| import.kind == ImportKind::TypeChecking)
    {
        return;
    }
    let body = cx.module_body;
    // Names the `if TYPE_CHECKING:` blocks import, with the line of the import.
    let mut typing_only: FxHashMap<&str, usize> = FxHashMap::default();
    let mut elsewhere: FxHashSet<&str> = FxHashSet::default();
    for stmt in body {
        match stmt {
            Stmt::If(if_) if cx.is_type_checking_test(&if_.test) => {
                for import in &if_.body {
                    let names = match import {
                        Stmt::Import(import) => &import.names,
                        Stmt::ImportFrom(import) => &import.names,
                        _ => continue,
                    };
                    let line = cx.location(import.start()).line;
                    for alias in names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                        let bound = bound.split('.').next().unwrap_or(bound);
                        typing_only.entry(bound).or_insert(line);
                    }
                }
                for clause in &if_.elif_else_clauses {
                    elsewhere.extend(names_bound_in(&clause.body));
                }
            }
            other => elsewhere.extend(names_bound_in(std::slice::from_ref(other))),
        }
    }
    typing_only.retain(|name, _| !elsewhere.contains(name));
    if typing_only.is_empty() {
        return;
    }
    let deferred = cx.target >= (3, 14) || cx.facts.has_future_annotations();
    let mut finder = RuntimeUses {
        cx,
        typing_only: &typing_only,
        deferred,
        in_function: false,
        shadowed: Vec::new(),
        uses: Vec::new(),
    };
    finder.visit_body(body);
    let uses = std::mem::take(&mut finder.uses);
    for (range, name, line) in uses {
        cx.report(
            range,
            format!(
                "`{name}` is imported only under `if TYPE_CHECKING:` (line {line}) but used at run time, a `NameError`; import it normally, or quote the annotation"
            ),
        );
    }
}

struct RuntimeUses<'c, 'a, 'n> {
    cx: &'c FileContext<'a>,
    typing_only: &'n FxHashMap<&'n str, usize>,
    /// Annotations are not evaluated (`from __future__ import annotations`, or 3.14+).
    deferred: bool,
    in_function: bool,
    /// Names the enclosing functions bind themselves.
    shadowed: Vec<String>,
    uses: Vec<(TextRange, String, usize)>,
}

impl RuntimeUses<'_, '_, '_> {
    fn annotation(&mut self, annotation: &Expr) {
        if !self.deferred {
            self.visit_expr(annotation);
        }
    }

    fn parameters(&mut self, parameters: &ast::Parameters) {
        for parameter in parameters.iter() {
            if let Some(default) = parameter.default() {
                self.visit_expr(default);
            }
            if let Some(annotation) = parameter.annotation() {
                self.annotation(annotation);
            }
        }
    }
}

impl<'e> Visitor<'e> for RuntimeUses<'_, '_, '_> {
    fn visit_stmt(&mut self, stmt: &'e Stmt) {
        match stmt {
            Stmt::If(if_) if self.cx.is_type_checking_test(&if_.test) => {
                for clause in &if_.elif_else_clauses {
                    self.visit_body(&clause.body);
                }
            }
            Stmt::FunctionDef(function) => {
                for decorator in &function.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                self.parameters(&function.parameters);
                if let Some(returns) = &function.returns {
                    self.annotation(returns);
                }
                let outer = std::mem::replace(&mut self.in_function, true);
                // A function that imports or assigns the name itself uses its own binding.
                let parameters = function.parameters.iter().map(|p| p.name().as_str());
                let locals: Vec<&str> = names_bound_in(&function.body)
                    .into_iter()
                    .chain(parameters)
                    .filter(|name| self.typing_only.contains_key(name))
                    .collect();
                let shadowed = self.shadowed.len();
                self.shadowed.extend(locals.into_iter().map(str::to_string));
                self.visit_body(&function.body);
                self.shadowed.truncate(shadowed);
                self.in_function = outer;
            }
            Stmt::AnnAssign(assign) => {
                // Local variable annotations are never evaluated.
                if !self.in_function {
                    self.annotation(&assign.annotation);
                }
                self.visit_expr(&assign.target);
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
            }
            Stmt::TypeAlias(_) => {}
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'e Expr) {
        match expr {
            Expr::Name(name) if name.ctx.is_load() => {
                if let Some(&line) = self.typing_only.get(name.id.as_str())
                    && !self.shadowed.iter().any(|local| local == name.id.as_str())
                {
                    self.uses.push((name.range(), name.id.to_string(), line));
                }
            }
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                    }
                }
                self.visit_expr(&lambda.body);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}
