use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use rustc_hash::FxHashSet;

use crate::prelude::*;
use archlint_facts::names::target_names;

rule! {
    /// ## What it does
    /// Flags a function or lambda created inside a loop (or comprehension) that reads a
    /// variable the loop rebinds — its target, or a name assigned in its body — without
    /// binding it as a default argument. As in ruff's B023 (flake8-bugbear), lambdas passed
    /// straight to `map`, `filter`, `reduce` or a `key=` argument, and `return lambda: …`,
    /// are not flagged, since they are used before the loop moves on. archlint also leaves
    /// alone a nested `def` that is only ever called directly inside the loop body, which
    /// likewise cannot outlive the iteration.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming: functions generated in loops, the guide's `make_getter` /
    /// `make_setter` factories done right): a closure reads its free variables when it runs,
    /// not when it is made. Every callback created in the loop sees the value from the last
    /// iteration — the classic bug of handlers, properties and tasks built in a loop.
    ///
    /// ## Example
    /// ```python
    /// def make_adders():
    ///     adders = []
    ///     for step in range(3):
    ///         adders.append(lambda x: x + step)
    ///     return adders
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def make_adders():
    ///     adders = []
    ///     for step in range(3):
    ///         adders.append(lambda x, step=step: x + step)
    ///     return adders
    /// ```
    pub static LATE_BINDING_CLOSURE = Rule {
        code: "META016",
        name: "late-binding-closure",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "B023"), Peer::same("pylint", "W0640")],
        check: Check::Several(&[
            Check::Stmt {
                kinds: &[NodeKind::StmtFor, NodeKind::StmtWhile],
                run: check_statement,
            },
            Check::Expr {
                kinds: &[
                    NodeKind::ExprListComp,
                    NodeKind::ExprSetComp,
                    NodeKind::ExprDictComp,
                    NodeKind::ExprGenerator,
                ],
                run: check_comprehension,
            },
        ]),
    };
}

fn check_statement(stmt: &Stmt, cx: &mut FileContext) {
    let mut rebound = FxHashSet::default();
    let body = match stmt {
        Stmt::For(for_stmt) => {
            target_names(&for_stmt.target, &mut rebound);
            &for_stmt.body
        }
        Stmt::While(while_stmt) => &while_stmt.body,
        _ => return,
    };
    let mut assigned = Assigned(&mut rebound);
    assigned.visit_body(body);
    let mut functions = Functions::default();
    functions.visit_body(body);
    report(functions, &rebound, body, cx);
}

fn check_comprehension(expr: &Expr, cx: &mut FileContext) {
    let (generators, elements): (&[ast::Comprehension], Vec<&Expr>) = match expr {
        Expr::ListComp(c) => (&c.generators, vec![&*c.elt]),
        Expr::SetComp(c) => (&c.generators, vec![&*c.elt]),
        Expr::Generator(c) => (&c.generators, vec![&*c.elt]),
        Expr::DictComp(c) => (
            &c.generators,
            c.key.as_deref().into_iter().chain([&*c.value]).collect(),
        ),
        _ => return,
    };
    let mut rebound = FxHashSet::default();
    for generator in generators {
        target_names(&generator.target, &mut rebound);
    }
    let mut functions = Functions::default();
    for element in elements {
        functions.visit_expr(element);
    }
    for generator in generators {
        for condition in &generator.ifs {
            functions.visit_expr(condition);
        }
    }
    report(functions, &rebound, &[], cx);
}

fn report(
    functions: Functions,
    rebound: &FxHashSet<&str>,
    loop_body: &[Stmt],
    cx: &mut FileContext,
) {
    if rebound.is_empty() {
        return;
    }
    for function in functions.found {
        if let Some(name) = function.name
            && only_called_in(name, loop_body, cx)
        {
            continue;
        }
        for read in function.free_reads {
            let Expr::Name(name) = read else { continue };
            if !rebound.contains(name.id.as_str()) || cx.already_reported(read.range()) {
                continue;
            }
            cx.report(
                read.range(),
                format!("the function made in this loop reads `{0}` when it runs, not when it is made, so it sees the last value of `{0}`; bind it as a default argument (`{0}={0}`) or use `functools.partial`", name.id),
            );
        }
    }
}

/// Whether the function `name` is called, and every use of it in the enclosing scope is a
/// direct call inside the loop body: it never outlives the iteration that made it.
fn only_called_in(name: &str, loop_body: &[Stmt], cx: &FileContext) -> bool {
    struct Uses<'n> {
        name: &'n str,
        calls: Vec<TextRange>,
        other: bool,
    }
    impl<'b> Visitor<'b> for Uses<'_> {
        fn visit_expr(&mut self, expr: &'b Expr) {
            match expr {
                Expr::Call(call) if matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == self.name) =>
                {
                    self.calls.push(expr.range());
                    for argument in call.arguments.args.iter() {
                        self.visit_expr(argument);
                    }
                    for keyword in call.arguments.keywords.iter() {
                        self.visit_expr(&keyword.value);
                    }
                }
                Expr::Name(n) if n.id.as_str() == self.name && n.ctx.is_load() => self.other = true,
                _ => walk_expr(self, expr),
            }
        }
    }
    let Some(loop_range) = archlint_facts::blocks::block_range(loop_body) else {
        return false;
    };
    let scope = cx
        .enclosing_function()
        .map_or(cx.module_body, |f| f.body.as_slice());
    let mut uses = Uses {
        name,
        calls: Vec::new(),
        other: false,
    };
    uses.visit_body(scope);
    !uses.other
        && !uses.calls.is_empty()
        && uses
            .calls
            .iter()
            .all(|call| loop_range.contains_range(*call))
}

/// Names a loop body rebinds (assignments, nested loop targets), outside nested functions.
struct Assigned<'s, 'a>(&'s mut FxHashSet<&'a str>);

impl<'a> Visitor<'a> for Assigned<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::Assign(assign) => assign.targets.iter().for_each(|t| target_names(t, self.0)),
            Stmt::AugAssign(assign) => target_names(&assign.target, self.0),
            Stmt::AnnAssign(assign) => target_names(&assign.target, self.0),
            Stmt::For(for_stmt) => target_names(&for_stmt.target, self.0),
            Stmt::With(with) => with
                .items
                .iter()
                .filter_map(|item| item.optional_vars.as_deref())
                .for_each(|t| target_names(t, self.0)),
            _ => {}
        }
        walk_stmt(self, stmt);
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => {}
            Expr::Named(named) => {
                target_names(&named.target, self.0);
                walk_expr(self, expr);
            }
            _ => walk_expr(self, expr),
        }
    }
}

/// A function or lambda made in a loop, with the names it reads but does not bind.
struct Made<'a> {
    /// The name of a `def`.
    name: Option<&'a str>,
    free_reads: Vec<&'a Expr>,
}

/// The functions and lambdas in a loop, except lambdas used on the spot.
#[derive(Default)]
struct Functions<'a> {
    found: Vec<Made<'a>>,
    /// Lambdas handed to `map`/`filter`/`reduce`/`key=` or returned.
    used_on_the_spot: FxHashSet<TextRange>,
}

impl<'a> Visitor<'a> for Functions<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                let mut reads = Reads::default();
                reads.visit_body(&def.body);
                let parameters: Vec<&str> =
                    def.parameters.iter().map(|p| p.name().as_str()).collect();
                self.found.push(Made {
                    // A decorator may keep the function (a registry, a callback list).
                    name: def.decorator_list.is_empty().then_some(def.name.as_str()),
                    free_reads: reads.free(&parameters),
                });
            }
            Stmt::Return(ast::StmtReturn {
                value: Some(value), ..
            }) if value.is_lambda_expr() => {
                self.used_on_the_spot.insert(value.range());
                walk_stmt(self, stmt);
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                let consumes = matches!(
                    literal::dotted(&call.func).as_deref(),
                    Some("map" | "filter" | "reduce" | "functools.reduce")
                );
                if consumes {
                    for argument in call.arguments.args.iter().filter(|a| a.is_lambda_expr()) {
                        self.used_on_the_spot.insert(argument.range());
                    }
                }
                for keyword in call.arguments.keywords.iter() {
                    if keyword
                        .arg
                        .as_ref()
                        .is_some_and(|arg| arg.as_str() == "key")
                        && keyword.value.is_lambda_expr()
                    {
                        self.used_on_the_spot.insert(keyword.value.range());
                    }
                }
                walk_expr(self, expr);
            }
            Expr::Lambda(lambda) if !self.used_on_the_spot.contains(&expr.range()) => {
                let mut reads = Reads::default();
                reads.visit_expr(&lambda.body);
                let parameters: Vec<&str> = lambda
                    .parameters
                    .iter()
                    .flat_map(|p| p.iter())
                    .map(|p| p.name().as_str())
                    .collect();
                self.found.push(Made {
                    name: None,
                    free_reads: reads.free(&parameters),
                });
            }
            _ => walk_expr(self, expr),
        }
    }
}

/// The names a function body reads and binds (nested functions and lambdas included).
#[derive(Default)]
struct Reads<'a> {
    loaded: Vec<&'a Expr>,
    bound: FxHashSet<&'a str>,
}

impl<'a> Reads<'a> {
    fn free(self, parameters: &[&str]) -> Vec<&'a Expr> {
        let bound = self.bound;
        self.loaded
            .into_iter()
            .filter(|read| {
                let Expr::Name(name) = read else { return false };
                let id = name.id.as_str();
                !bound.contains(id) && !parameters.contains(&id)
            })
            .collect()
    }
}

impl<'a> Visitor<'a> for Reads<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx.is_load() => self.loaded.push(expr),
            Expr::Name(name) => {
                self.bound.insert(name.id.as_str());
            }
            Expr::Lambda(lambda) => {
                for parameter in lambda.parameters.iter().flat_map(|p| p.iter()) {
                    self.bound.insert(parameter.name().as_str());
                }
                walk_expr(self, expr);
            }
            _ => walk_expr(self, expr),
        }
    }
}
