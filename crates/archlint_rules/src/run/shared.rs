//! Shared state as the free-threading rules see it: whether a module runs threads, which
//! values are mutable containers, and whether a class is built to be shared (it owns a lock).

use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{self as ast, Expr, Stmt};
use rustc_hash::FxHashSet;

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

/// The built-in container a module-level name is bound to (`_jobs = collections.deque()`).
pub fn module_container(expr: &Expr, cx: &FileContext) -> Option<Container> {
    let Expr::Name(name) = expr else { return None };
    container_of(cx.scopes.module_value(name.id.as_str())?, cx)
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

/// The attributes of `self` the methods of `class` touch inside a `with <lock>:` block.
pub fn locked_attributes<'a>(
    class: &'a ast::StmtClassDef,
    cx: &FileContext<'a>,
) -> FxHashSet<&'a str> {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    struct Finder<'c, 'a> {
        cx: &'c FileContext<'a>,
        depth: usize,
        found: FxHashSet<&'a str>,
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::ClassDef(_) => {}
                Stmt::With(with)
                    if with
                        .items
                        .iter()
                        .any(|item| is_lock(&item.context_expr, self.cx)) =>
                {
                    self.depth += 1;
                    walk_stmt(self, stmt);
                    self.depth -= 1;
                }
                _ => walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.depth > 0
                && let Expr::Attribute(attribute) = expr
                && matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
            {
                self.found.insert(attribute.attr.as_str());
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        cx,
        depth: 0,
        found: FxHashSet::default(),
    };
    for stmt in &class.body {
        if let Stmt::FunctionDef(function) = stmt {
            finder.visit_body(&function.body);
        }
    }
    finder.found
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
    /// An attribute of an instance whose class touches it under a lock elsewhere.
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
            Sharing::LockedInstance => "the class takes a lock around it elsewhere",
            Sharing::CapturedInstance => "a callback can run on any thread",
        }
    }
}

/// How `expr` (a name, `self.x`, `cls.x`, or an item of one of them) is shared between
/// threads, when the code is written for threads: the module imports a threading API, or the
/// instance's class touches the attribute under a lock elsewhere.
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
                if cx.functions.len() > 1 && !closure_escapes(cx) {
                    return None;
                }
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
                // A property decides itself where its value lives (thread-local storage,
                // a locked field): `self.x += 1` on it is the property's business.
                if is_property(class, attribute.attr.as_str(), cx) {
                    return None;
                }
                let sharing = if class_owns_lock(class, cx) {
                    // The lock says the object is shared; that this field is, only if the
                    // class touches it under a lock somewhere.
                    if !locked_attributes(class, cx).contains(attribute.attr.as_str()) {
                        return None;
                    }
                    Sharing::LockedInstance
                } else if cx.functions.len() < 2
                    || cx.enclosing_function()?.parameters.includes("self")
                {
                    return None;
                } else {
                    Sharing::CapturedInstance
                };
                // Last, as it walks the whole module.
                if runs_during_construction(cx) {
                    return None;
                }
                if sharing == Sharing::LockedInstance {
                    return Some(sharing);
                }
                sharing
            } else {
                owning_class(owner.id.as_str(), cx)?;
                Sharing::ClassAttribute
            }
        }
        _ => return None,
    };
    module_runs_threads(cx).then_some(sharing)
}

/// Whether the function being walked outlives the call that made it: its enclosing function
/// returns it, passes it on (a thread target, a callback, a decorator's wrapper) or stores it,
/// rather than only calling it. Only then can two threads run it on the same closure cells; a
/// helper defined and called inside one call has cells of its own per call.
fn closure_escapes(cx: &FileContext) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr};
    let [.., outer, inner] = cx.functions.as_slice() else {
        return true;
    };
    struct Uses<'n> {
        name: &'n str,
        escapes: bool,
    }
    impl Visitor<'_> for Uses<'_> {
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                // A direct call keeps it inside; the arguments may still pass it on.
                Expr::Call(call) if matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == self.name) =>
                {
                    for argument in &call.arguments.args {
                        self.visit_expr(argument);
                    }
                    for keyword in &call.arguments.keywords {
                        self.visit_expr(&keyword.value);
                    }
                }
                Expr::Name(name) if name.id.as_str() == self.name => self.escapes = true,
                _ => walk_expr(self, expr),
            }
        }
    }
    // Decorated, it is handed to the decorator.
    if !inner.decorator_list.is_empty() {
        return true;
    }
    let mut uses = Uses {
        name: inner.name.as_str(),
        escapes: false,
    };
    uses.visit_body(&outer.body);
    uses.escapes
}

/// Whether a method is a property's getter (`@property`, `@functools.cached_property`).
pub fn is_property_getter(function: &ast::StmtFunctionDef, cx: &FileContext) -> bool {
    function.decorator_list.iter().any(|decorator| {
        cx.qualified_name(&decorator.expression)
            .is_some_and(|name| matches!(name.as_str(), "property" | "functools.cached_property"))
    })
}

/// Whether the class defines `name` as a property (a getter, a `@name.setter`, or
/// `name = property(...)`).
fn is_property(class: &ast::StmtClassDef, name: &str, cx: &FileContext) -> bool {
    class.body.iter().any(|stmt| match stmt {
        Stmt::FunctionDef(function) => {
            function.name.as_str() == name
                && (is_property_getter(function, cx)
                    || function.decorator_list.iter().any(|decorator| {
                        matches!(&decorator.expression, Expr::Attribute(setter)
                            if setter.attr.as_str() == "setter")
                    }))
        }
        Stmt::Assign(assign) => {
            assign
                .targets
                .iter()
                .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name))
                && matches!(assign.value.as_ref(), Expr::Call(call)
                    if matches!(call.func.as_ref(), Expr::Name(f) if f.id.as_str() == "property"))
        }
        _ => false,
    })
}

/// Methods that run before an object is shared: `__init__`, `__new__`, `__post_init__`.
pub const CONSTRUCTORS: &[&str] = &["__init__", "__new__", "__post_init__"];

/// The methods of `class` that run only while an object is built: the constructors, and
/// methods every use of which, anywhere in the module, is a `self.method(...)` call from
/// such a method (`self._setup()` in `__init__`). No other thread can see the object yet.
pub fn construction_methods<'a>(
    class: &'a ast::StmtClassDef,
    cx: &FileContext<'a>,
) -> FxHashSet<&'a str> {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    /// Every `.name` in the module: in which method of the class (if any) and whether it is
    /// `self.name(...)`.
    struct Uses<'a> {
        class: &'a ast::StmtClassDef,
        method: Option<&'a str>,
        in_class: bool,
        uses: Vec<(&'a str, Option<&'a str>, bool)>,
    }
    impl<'a> Visitor<'a> for Uses<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::ClassDef(class) => {
                    let outer = (self.in_class, self.method);
                    self.in_class = std::ptr::eq(class, self.class);
                    self.method = None;
                    walk_stmt(self, stmt);
                    (self.in_class, self.method) = outer;
                }
                Stmt::FunctionDef(function) if self.in_class && self.method.is_none() => {
                    self.method = Some(function.name.as_str());
                    walk_stmt(self, stmt);
                    self.method = None;
                }
                _ => walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Attribute(method) = call.func.as_ref()
                && matches!(method.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
            {
                let method_name = if self.in_class { self.method } else { None };
                self.uses.push((method.attr.as_str(), method_name, true));
                for argument in &call.arguments.args {
                    self.visit_expr(argument);
                }
                for keyword in &call.arguments.keywords {
                    self.visit_expr(&keyword.value);
                }
                return;
            }
            if let Expr::Attribute(attribute) = expr {
                self.uses.push((attribute.attr.as_str(), None, false));
            }
            walk_expr(self, expr);
        }
    }
    let mut uses = Uses {
        class,
        method: None,
        in_class: false,
        uses: Vec::new(),
    };
    uses.visit_body(cx.module_body);
    let methods: Vec<&str> = class
        .body
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::FunctionDef(function) => Some(function.name.as_str()),
            _ => None,
        })
        .collect();
    let mut construction: FxHashSet<&str> = methods
        .iter()
        .copied()
        .filter(|name| CONSTRUCTORS.contains(name))
        .collect();
    loop {
        let before = construction.len();
        for name in &methods {
            if construction.contains(name) {
                continue;
            }
            let mut sites = uses
                .uses
                .iter()
                .filter(|(attr, _, _)| attr == name)
                .peekable();
            if sites.peek().is_some()
                && sites.all(|(_, caller, is_self_call)| {
                    *is_self_call && caller.is_some_and(|caller| construction.contains(caller))
                })
            {
                construction.insert(name);
            }
        }
        if construction.len() == before {
            return construction;
        }
    }
}

/// Whether the code being walked runs only while its object is built (see
/// [`construction_methods`]).
pub fn runs_during_construction(cx: &FileContext) -> bool {
    let (Some(class), Some(function)) = (cx.classes.last(), cx.enclosing_function()) else {
        return false;
    };
    let is_method = class
        .body
        .iter()
        .any(|stmt| matches!(stmt, Stmt::FunctionDef(def) if std::ptr::eq(def, function)));
    is_method && construction_methods(class, cx).contains(function.name.as_str())
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
