use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

use super::locks::under_lock;
use super::shared::{
    container_of, module_container, module_runs_threads, owning_class, runs_in_forked_child,
};
use super::thread_safety::{Container, is_changing_method};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a loop or comprehension that iterates a shared built-in container (a
    /// module-level dict, list, set, `deque`, … or one held by a class body), or its
    /// `.items()`, `.keys()` or `.values()`, without a lock, in a module that imports a
    /// threading API, when a function of the same module changes that container. A single
    /// operation (`EVENTS.append(e)`, `SEEN[k] = v`, `SEEN.pop(k, None)`, `PENDING.add(x)`)
    /// is never flagged: CPython's "Thread Safety Guarantees" page documents each as atomic or
    /// safe under the container's own lock. Loops over a copy (`X.copy()`, `list(X)`,
    /// `sorted(X)`) and code under `with <lock>:` are left alone.
    ///
    /// ## Why it matters
    /// Guide §2 (GIL and free-threading): the documentation is explicit that "operations that
    /// involve multiple accesses, as well as iteration, are never atomic". A dict or set
    /// changed by another thread while one loops over it raises `RuntimeError: dictionary
    /// changed size during iteration`; a list can skip or repeat items. The GIL made the
    /// window narrow; free-threaded Python (3.13t, 3.14t) runs the writer while the loop runs.
    ///
    /// ## Example
    /// ```python
    /// import threading
    ///
    /// _handlers = {}
    ///
    /// def register(name, handler):
    ///     _handlers[name] = handler
    ///
    /// def notify(event):
    ///     for handler in _handlers.values():
    ///         handler(event)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import threading
    ///
    /// _handlers = {}
    ///
    /// def register(name, handler):
    ///     _handlers[name] = handler
    ///
    /// def notify(event):
    ///     for handler in _handlers.copy().values():
    ///         handler(event)
    /// ```
    pub static SHARED_CONTAINER_ITERATED_WHILE_CHANGED = Rule {
        code: "RUN001",
        name: "shared-container-iterated-while-changed",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Stmt { kinds: &[NodeKind::StmtFor], run: check_loop },
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

fn check_loop(stmt: &Stmt, cx: &mut FileContext) {
    if let Stmt::For(for_stmt) = stmt {
        check_iterable(&for_stmt.iter, cx);
    }
}

fn check_comprehension(expr: &Expr, cx: &mut FileContext) {
    let generators = match expr {
        Expr::ListComp(comprehension) => &comprehension.generators,
        Expr::SetComp(comprehension) => &comprehension.generators,
        Expr::DictComp(comprehension) => &comprehension.generators,
        Expr::Generator(generator) => &generator.generators,
        _ => return,
    };
    // Only the first clause runs once per comprehension; a later one is a nested loop over
    // something the first clause chose, rarely a shared container.
    if let Some(first) = generators.first() {
        check_iterable(&first.iter, cx);
    }
}

fn check_iterable(iterable: &Expr, cx: &mut FileContext) {
    let container = match iterable {
        Expr::Call(call)
            if call.arguments.is_empty()
                && matches!(call.func.as_ref(), Expr::Attribute(view)
                    if matches!(view.attr.as_str(), "items" | "keys" | "values")) =>
        {
            let Expr::Attribute(view) = call.func.as_ref() else {
                return;
            };
            &*view.value
        }
        other => other,
    };
    let Some(function) = cx.enclosing_function() else {
        return;
    };
    let Some(shared) = SharedContainer::of(container, cx) else {
        return;
    };
    if !module_runs_threads(cx)
        || under_lock(cx, iterable.range())
        || runs_in_forked_child(function.name.as_str(), cx)
    {
        return;
    }
    let Some(changer) = first_changer(&shared, cx) else {
        return;
    };
    let looper = function.name.as_str();
    let by = if changer == looper {
        format!("`{looper}()` itself changes it, so two threads running it race")
    } else {
        format!("`{changer}()` changes it")
    };
    let what_happens = match shared.container {
        Container::Dict => {
            "a change on another thread during the loop raises `RuntimeError: dictionary changed size during iteration`"
        }
        Container::Set => {
            "a change on another thread during the loop raises `RuntimeError: Set changed size during iteration`"
        }
        Container::Deque => {
            "a change on another thread during the loop raises `RuntimeError: deque mutated during iteration`"
        }
        Container::List | Container::Bytearray => {
            "a change on another thread during the loop makes it skip or repeat items"
        }
    };
    let written = cx.text(container.range());
    cx.report(
        iterable.range(),
        format!(
            "`{looper}()` iterates {} without a lock while {by}, in a module that runs threads: {what_happens}; iterate over a copy (`{written}.copy()`) or hold one lock around the loop and every change",
            shared.description
        ),
    );
}

/// A built-in container bound at module level or in a class body.
struct SharedContainer<'a> {
    container: Container,
    description: String,
    /// How code reaches it: a module-level name, or a class attribute.
    reached: Reached<'a>,
}

enum Reached<'a> {
    Global(&'a str),
    ClassAttribute { class: &'a str, attribute: &'a str },
}

impl<'a> SharedContainer<'a> {
    fn of(expr: &'a Expr, cx: &FileContext<'a>) -> Option<Self> {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                if id.starts_with("__") {
                    return None;
                }
                let container = module_container(expr, cx)?;
                Some(SharedContainer {
                    container,
                    description: format!("the module-level {} `{id}`", container.name()),
                    reached: Reached::Global(id),
                })
            }
            Expr::Attribute(attribute) => {
                let Expr::Name(owner) = attribute.value.as_ref() else {
                    return None;
                };
                let class = owning_class(owner.id.as_str(), cx)?;
                let value = class_body_value(class, attribute.attr.as_str())?;
                let container = container_of(value, cx)?;
                Some(SharedContainer {
                    container,
                    description: format!(
                        "`{}.{}` (a {} in the class body)",
                        class.name,
                        attribute.attr,
                        container.name()
                    ),
                    reached: Reached::ClassAttribute {
                        class: class.name.as_str(),
                        attribute: attribute.attr.as_str(),
                    },
                })
            }
            _ => None,
        }
    }

    fn is(&self, expr: &Expr) -> bool {
        match (&self.reached, expr) {
            (Reached::Global(id), Expr::Name(name)) => name.id.as_str() == *id,
            (Reached::ClassAttribute { class, attribute }, Expr::Attribute(reached)) => {
                reached.attr.as_str() == *attribute
                    && matches!(reached.value.as_ref(), Expr::Name(owner)
                        if matches!(owner.id.as_str(), "cls" | "mcs" | "mcls" | "metacls")
                            || owner.id.as_str() == *class)
            }
            _ => false,
        }
    }
}

/// The first function of the module (at any depth, methods included) that changes the
/// container in place: an item stored or deleted, `+=` on an item, or a changing method from
/// the documented table. Code at import time runs on one thread and does not count.
fn first_changer<'a>(shared: &SharedContainer, cx: &FileContext<'a>) -> Option<&'a str> {
    struct Finder<'s, 'n, 'a> {
        shared: &'s SharedContainer<'n>,
        function: Option<&'a str>,
        found: Option<&'a str>,
    }
    impl<'a> Visitor<'a> for Finder<'_, '_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.found.is_some() {
                return;
            }
            if let Stmt::FunctionDef(function) = stmt {
                let outer = self.function.replace(function.name.as_str());
                walk_stmt(self, stmt);
                self.function = outer;
                return;
            }
            if let Some(function) = self.function {
                let targets: &[Expr] = match stmt {
                    Stmt::Assign(assign) => &assign.targets,
                    Stmt::AugAssign(assign) => std::slice::from_ref(&*assign.target),
                    Stmt::Delete(delete) => &delete.targets,
                    _ => &[],
                };
                if targets.iter().any(
                    |target| matches!(target, Expr::Subscript(item) if self.shared.is(&item.value)),
                ) {
                    self.found = Some(function);
                    return;
                }
            }
            walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found.is_some() {
                return;
            }
            if let (Some(function), Expr::Call(call)) = (self.function, expr)
                && let Expr::Attribute(method) = call.func.as_ref()
                && is_changing_method(method.attr.as_str())
                && self.shared.is(&method.value)
            {
                self.found = Some(function);
                return;
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        shared,
        function: None,
        found: None,
    };
    finder.visit_body(cx.module_body);
    finder.found
}

/// The value a class body assigns to `name`.
fn class_body_value<'a>(class: &'a ast::StmtClassDef, name: &str) -> Option<&'a Expr> {
    class.body.iter().find_map(|stmt| match stmt {
        Stmt::Assign(assign) => assign
            .targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name))
            .then_some(&*assign.value),
        Stmt::AnnAssign(ast::StmtAnnAssign {
            target,
            value: Some(value),
            ..
        }) => matches!(target.as_ref(), Expr::Name(n) if n.id.as_str() == name).then_some(&**value),
        _ => None,
    })
}
