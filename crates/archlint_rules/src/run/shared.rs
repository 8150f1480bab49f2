//! Shared state as the free-threading rules see it: whether a module runs threads, which
//! values are mutable containers, and whether a class is built to be shared (it owns a lock).

use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{self as ast, Expr, Stmt};

use super::locks::is_lock;
use super::thread_safety::Container;
use crate::FileContext;

/// Modules whose import means the code runs threads (or is written to be called from them).
const THREAD_MODULES: &[&str] = &[
    "threading",
    "_thread",
    "concurrent.futures",
    "multiprocessing.dummy",
    "multiprocessing.pool",
];

/// Whether the module imports a threading API anywhere (threads, thread pools, executors).
pub fn module_runs_threads(cx: &FileContext) -> bool {
    struct Finder(bool);
    impl StatementVisitor<'_> for Finder {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::Import(import) => {
                    self.0 |= import
                        .names
                        .iter()
                        .any(|alias| is_thread_module(alias.name.as_str()));
                }
                Stmt::ImportFrom(import) if import.level == 0 => {
                    let module = import.module.as_ref().map_or("", |m| m.as_str());
                    self.0 |= is_thread_module(module)
                        || import.names.iter().any(|alias| {
                            is_thread_module(&format!("{module}.{}", alias.name.as_str()))
                        });
                }
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_body(cx.module_body);
    finder.0
}

fn is_thread_module(module: &str) -> bool {
    THREAD_MODULES.contains(&module)
}

/// A list, dict or set display or comprehension.
pub fn is_mutable_display(value: &Expr) -> bool {
    container_of_display(value).is_some()
}

fn container_of_display(value: &Expr) -> Option<Container> {
    Some(match value {
        Expr::List(_) | Expr::ListComp(_) => Container::List,
        Expr::Dict(_) | Expr::DictComp(_) => Container::Dict,
        Expr::Set(_) | Expr::SetComp(_) => Container::Set,
        _ => return None,
    })
}

/// The built-in container `value` builds: a display, a comprehension, or a call of a
/// container type (`dict()`, `collections.deque()`, `weakref.WeakSet()`, …).
pub fn container_of(value: &Expr, cx: &FileContext) -> Option<Container> {
    container_of_display(value).or_else(|| match value {
        Expr::Call(call) => Container::of_constructor(&cx.qualified_name(&call.func)?),
        _ => None,
    })
}

/// A mutable display, or a call of a container type.
pub fn is_mutable_container(value: &Expr, cx: &FileContext) -> bool {
    container_of(value, cx).is_some()
}

/// Whether a class assigns a lock (a call such as `threading.Lock()`, `RLock()`,
/// `allocate_lock()`) in its body or to `self.<attr>` in its methods: a class built to be
/// shared between threads.
pub fn class_owns_lock(class: &ast::StmtClassDef, cx: &FileContext) -> bool {
    struct Finder<'c, 'a> {
        cx: &'c FileContext<'a>,
        found: bool,
    }
    impl StatementVisitor<'_> for Finder<'_, '_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            let (targets, value): (&[Expr], &Expr) = match stmt {
                Stmt::ClassDef(_) => return,
                Stmt::Assign(assign) => (&assign.targets, &assign.value),
                Stmt::AnnAssign(ast::StmtAnnAssign {
                    target,
                    value: Some(value),
                    ..
                }) => (std::slice::from_ref(&**target), &**value),
                _ => return walk_stmt(self, stmt),
            };
            let on_self = targets.iter().any(|target| {
                matches!(target, Expr::Attribute(attribute)
                    if matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self"))
            });
            self.found |= on_self && matches!(value, Expr::Call(_)) && is_lock(value, self.cx);
        }
    }
    let class_level = class.body.iter().any(|stmt| match stmt {
        Stmt::Assign(assign) => {
            matches!(assign.value.as_ref(), Expr::Call(_)) && is_lock(&assign.value, cx)
        }
        _ => false,
    });
    let mut finder = Finder { cx, found: false };
    finder.visit_body(&class.body);
    class_level || finder.found
}

/// The class `owner` stands for: the first parameter of a method (`cls`, `mcs`) of the class
/// being walked, or a class of the module named `owner`.
pub fn owning_class<'a>(owner: &str, cx: &FileContext<'a>) -> Option<&'a ast::StmtClassDef> {
    let function = cx.enclosing_function()?;
    let first = function.parameters.iter().next().map(|p| p.name().as_str());
    if first == Some(owner) && matches!(owner, "cls" | "mcs" | "mcls" | "metacls") {
        return cx.classes.last().copied();
    }
    cx.classes
        .iter()
        .rev()
        .copied()
        .find(|class| class.name.as_str() == owner)
        .or_else(|| cx.module_class(owner))
}

/// How a piece of state is shared between threads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// A module-level variable (read, or declared `global`).
    ModuleGlobal,
    /// A variable of an enclosing function, seen from a closure.
    ClosureCell,
    /// An attribute of a class (`cls.x`, `ClassName.x`).
    ClassAttribute,
    /// An attribute of an instance whose class owns a lock.
    LockedInstance,
    /// An attribute of `self` changed from a closure (a callback, a thread target).
    CapturedInstance,
}

impl Sharing {
    /// Why the state is shared, for messages.
    pub fn reason(self) -> &'static str {
        match self {
            Sharing::ModuleGlobal => "module-level state is shared by every thread",
            Sharing::ClosureCell => "a closure variable is shared by every caller of the closure",
            Sharing::ClassAttribute => "a class attribute is shared by every thread",
            Sharing::LockedInstance => "the class locks its state elsewhere",
            Sharing::CapturedInstance => "a callback can run on any thread",
        }
    }
}

/// How `expr` (a name, `self.x`, `cls.x`, or an item of one of them) is shared between
/// threads, when the code is written for threads: the module imports a threading API, or the
/// instance's class owns a lock.
pub fn sharing(expr: &Expr, cx: &FileContext) -> Option<Sharing> {
    cx.enclosing_function()?;
    let root = match expr {
        Expr::Subscript(subscript) => &*subscript.value,
        other => other,
    };
    let sharing = match root {
        Expr::Name(name) => {
            let id = name.id.as_str();
            if cx.scopes.module_value(id).is_some() {
                Sharing::ModuleGlobal
            } else if cx.scopes.declared_global(id) || cx.scopes.is_closure_variable(id) {
                Sharing::ClosureCell
            } else {
                return None;
            }
        }
        Expr::Attribute(attribute) => {
            let Expr::Name(owner) = attribute.value.as_ref() else {
                return None;
            };
            if owner.id.as_str() == "self" {
                let class = cx.classes.last()?;
                if class_owns_lock(class, cx) {
                    return Some(Sharing::LockedInstance);
                }
                if cx.functions.len() < 2 || cx.enclosing_function()?.parameters.includes("self") {
                    return None;
                }
                Sharing::CapturedInstance
            } else {
                owning_class(owner.id.as_str(), cx)?;
                Sharing::ClassAttribute
            }
        }
        _ => return None,
    };
    module_runs_threads(cx).then_some(sharing)
}

/// Whether the file is a program's entry point rather than a library module: a
/// `__main__.py`, or a module with an `if __name__ == "__main__":` block.
pub fn is_entry_module(cx: &FileContext) -> bool {
    cx.path
        .file_name()
        .is_some_and(|name| name == "__main__.py")
        || cx.module_body.iter().any(|stmt| {
            matches!(stmt, Stmt::If(if_stmt) if matches!(if_stmt.test.as_ref(),
                Expr::Compare(compare) if matches!(compare.left.as_ref(),
                    Expr::Name(name) if name.id.as_str() == "__name__")))
        })
}

/// `mapping.get(key)` with one argument: the mapping and the key.
pub fn get_call(expr: &Expr) -> Option<(&Expr, &Expr)> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Attribute(method) = call.func.as_ref() else {
        return None;
    };
    let [key] = &call.arguments.args[..] else {
        return None;
    };
    (method.attr.as_str() == "get" && call.arguments.keywords.is_empty())
        .then_some((&*method.value, key))
}

/// Whether a function is a generator (its own body yields): its state belongs to the one
/// consumer iterating it, since sharing a generator between threads is unsafe anyway (the
/// free-threading HOWTO, § Iterators).
pub fn is_generator(function: &ast::StmtFunctionDef) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    struct Finder(bool);
    impl Visitor<'_> for Finder {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            if !self.0 && !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &Expr) {
            self.0 |= matches!(expr, Expr::Yield(_) | Expr::YieldFrom(_));
            if !self.0 && !matches!(expr, Expr::Lambda(_)) {
                walk_expr(self, expr);
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_body(&function.body);
    finder.0
}

/// Whether the module registers `function` to run in the child after a fork
/// (`os.register_at_fork(after_in_child=function)`): the child has one thread.
pub fn runs_in_forked_child(function: &str, cx: &FileContext) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr};
    struct Finder<'c, 'a> {
        function: &'c str,
        cx: &'c FileContext<'a>,
        found: bool,
    }
    impl Visitor<'_> for Finder<'_, '_> {
        fn visit_expr(&mut self, expr: &Expr) {
            if let Expr::Call(call) = expr
                && self
                    .cx
                    .qualified_name(&call.func)
                    .is_some_and(|name| name == "os.register_at_fork")
            {
                self.found |= call.arguments.keywords.iter().any(|keyword| {
                    keyword.arg.as_ref().is_some_and(|arg| arg.as_str() == "after_in_child")
                        && matches!(&keyword.value, Expr::Name(name) if name.id.as_str() == self.function)
                });
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        function,
        cx,
        found: false,
    };
    finder.visit_body(cx.module_body);
    finder.found
}
