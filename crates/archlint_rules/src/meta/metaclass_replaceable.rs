use crate::prelude::*;
use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};

rule! {
    /// ## What it does
    /// Flags a metaclass (a class deriving from `type`) that only registers, validates or
    /// decorates the classes it creates: it defines `__new__` and/or `__init__` and nothing
    /// that needs a metaclass (`__call__`, `__prepare__`, `__instancecheck__`,
    /// `__subclasscheck__`, `__getattr__`, properties), and it passes the class's bases and
    /// namespace to `type.__new__` unchanged. Advice (`info`).
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming), whose own tip this is: `__init_subclass__` (or a class
    /// decorator) does registration and validation without a metaclass. Metaclasses do not
    /// combine: a class using this one cannot also derive from a class with another
    /// metaclass (ABCs, Django models, enums) without a hand-written merge.
    ///
    /// ## Example
    /// ```python
    /// registry = {}
    ///
    /// class PluginMeta(type):
    ///     def __new__(mcs, name, bases, namespace):
    ///         cls = super().__new__(mcs, name, bases, namespace)
    ///         registry[name] = cls
    ///         return cls
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// registry = {}
    ///
    /// class Plugin:
    ///     def __init_subclass__(cls, **kwargs):
    ///         super().__init_subclass__(**kwargs)
    ///         registry[cls.__name__] = cls
    /// ```
    pub static METACLASS_REPLACEABLE = Rule {
        code: "META007",
        name: "metaclass-replaceable",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtClassDef], run: check },
    };
}

/// Methods that only a metaclass can provide.
const NEEDS_METACLASS: &[&str] = &[
    "__call__",
    "__prepare__",
    "__instancecheck__",
    "__subclasscheck__",
    "__getattr__",
    "__getattribute__",
    "__setattr__",
    "__iter__",
    "__len__",
    "__getitem__",
    "__contains__",
    "__or__",
    "__repr__",
];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::ClassDef(class) = stmt else { return };
    let derives_from_type = class.bases().iter().any(|base| {
        cx.qualified_name(base)
            .as_deref()
            .is_some_and(|n| n == "type" || n == "builtins.type")
    });
    if !derives_from_type {
        return;
    }
    let mut hooks = 0;
    for item in &class.body {
        match item {
            Stmt::FunctionDef(method) => {
                let name = method.name.as_str();
                if NEEDS_METACLASS.contains(&name) || !method.decorator_list.is_empty() {
                    return;
                }
                if name == "__new__" || name == "__init__" {
                    if !passes_namespace_unchanged(method) {
                        return;
                    }
                    hooks += 1;
                } else if !name.starts_with('_') {
                    // Public methods become class methods of every class made: a metaclass job.
                    return;
                }
            }
            Stmt::Pass(_) | Stmt::Expr(_) => {}
            _ => return,
        }
    }
    if hooks > 0 {
        cx.report(
            class.name.range(),
            format!("metaclass `{}` only registers, validates or decorates classes; `__init_subclass__` or a class decorator does that without a metaclass", class.name),
        );
    }
}

/// Whether `__new__(mcs, name, bases, namespace)` leaves `bases` and `namespace` alone: no
/// store into, reassignment of, or call on them other than passing them on.
fn passes_namespace_unchanged(method: &ast::StmtFunctionDef) -> bool {
    let parameters: Vec<&str> = method
        .parameters
        .args
        .iter()
        .map(|p| p.parameter.name.as_str())
        .collect();
    let (Some(bases), Some(namespace)) = (parameters.get(2), parameters.get(3)) else {
        // `__init__(cls, *args, **kwargs)` and similar pass everything on.
        return true;
    };
    struct Mutations<'n> {
        names: [&'n str; 2],
        found: bool,
    }
    impl Visitor<'_> for Mutations<'_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            let targets: &[Expr] = match stmt {
                Stmt::Assign(assign) => &assign.targets,
                Stmt::AugAssign(assign) => std::slice::from_ref(&*assign.target),
                Stmt::Delete(delete) => &delete.targets,
                _ => &[],
            };
            for target in targets {
                let base = match target {
                    Expr::Subscript(subscript) => &*subscript.value,
                    other => other,
                };
                if matches!(base, Expr::Name(n) if self.names.contains(&n.id.as_str())) {
                    self.found = true;
                }
            }
            walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &Expr) {
            // `namespace.update(...)`, `namespace.setdefault(...)`, `bases + (Mixin,)`.
            if let Expr::Call(call) = expr
                && let Expr::Attribute(attribute) = call.func.as_ref()
                && matches!(attribute.value.as_ref(), Expr::Name(n) if self.names.contains(&n.id.as_str()))
                && !matches!(attribute.attr.as_str(), "get" | "items" | "keys" | "values")
            {
                self.found = true;
            }
            if let Expr::BinOp(binop) = expr
                && [&*binop.left, &*binop.right].iter().any(
                    |side| matches!(side, Expr::Name(n) if self.names.contains(&n.id.as_str())),
                )
            {
                self.found = true;
            }
            walk_expr(self, expr);
        }
    }
    let mut mutations = Mutations {
        names: [bases, namespace],
        found: false,
    };
    mutations.visit_body(&method.body);
    !mutations.found
}
