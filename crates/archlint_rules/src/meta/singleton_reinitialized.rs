use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};

use crate::prelude::*;
use archlint_facts::blocks::function_in;

rule! {
    /// ## What it does
    /// Flags singletons built on `__new__` that Python re-initialises on every call: a class
    /// whose `__new__` returns a cached instance (`return cls._instance` after storing it, or
    /// an item of an instances mapping) while it also defines `__init__`; and a replacement
    /// `__new__` assigned from outside (`cls.__new__ = singleton_new`, in a metaclass or
    /// decorator) that returns a cached instance, or that accepts no constructor arguments.
    ///
    /// ## Why it matters
    /// Guide §3 (metaclasses, the guide's `_make_singleton`): `Cls(...)` calls `__new__` and
    /// then `__init__` on whatever it returned, so the one shared instance is initialised
    /// again at every call — its state reset, its arguments replaced. A replacement
    /// `__new__` that takes only `cls` turns every `Cls(arg)` into a `TypeError`. A metaclass
    /// `__call__`, a module-level instance or `functools.cache` on a factory make one
    /// instance without re-running `__init__`.
    ///
    /// ## Example
    /// ```python
    /// class Config:
    ///     _instance = None
    ///
    ///     def __new__(cls):
    ///         if cls._instance is None:
    ///             cls._instance = super().__new__(cls)
    ///         return cls._instance
    ///
    ///     def __init__(self):
    ///         self.values = {}
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    ///
    /// class Config:
    ///     def __init__(self):
    ///         self.values = {}
    ///
    /// @functools.cache
    /// def get_config():
    ///     return Config()
    /// ```
    pub static SINGLETON_REINITIALIZED = Rule {
        code: "META008",
        name: "singleton-reinitialized",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Several(&[
            Check::Stmt { kinds: &[NodeKind::StmtClassDef], run: check_class },
            Check::Stmt { kinds: &[NodeKind::StmtAssign], run: check_replacement },
        ]),
    };
}

fn check_class(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::ClassDef(class) = stmt else { return };
    let (Some(new), Some(_)) = (
        function_in(&class.body, "__new__"),
        function_in(&class.body, "__init__"),
    ) else {
        return;
    };
    if let Some(cached) = returns_cached_instance(&new.body, cx) {
        cx.report(
            new.name.range(),
            format!("`__new__` returns the cached `{cached}`, but `{}` also defines `__init__`, which Python runs again on it at every call (resetting its state); initialise once in `__new__`, or make the single instance with a factory or a metaclass `__call__`", class.name),
        );
    }
}

fn check_replacement(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Assign(assign) = stmt else { return };
    let [Expr::Attribute(target)] = assign.targets.as_slice() else {
        return;
    };
    if target.attr.as_str() != "__new__" {
        return;
    }
    let Expr::Name(replacement) = assign.value.as_ref() else {
        return;
    };
    let scope = cx
        .enclosing_function()
        .map_or(cx.module_body, |f| f.body.as_slice());
    let Some(def) = function_in(scope, replacement.id.as_str()) else {
        return;
    };
    let class = cx.text(target.value.range());
    if let Some(cached) = returns_cached_instance(&def.body, cx) {
        cx.report(
            stmt.range(),
            format!("`{}` returns the cached `{cached}`, so `{class}(...)` runs `__init__` again on the same instance at every call (resetting its state); make the single instance with a metaclass `__call__` or a factory", def.name),
        );
    } else if def.parameters.vararg.is_none()
        && def.parameters.kwarg.is_none()
        && def.parameters.iter().count() <= 1
    {
        cx.report(
            stmt.range(),
            format!("`{}` takes no constructor arguments, so `{class}(value)` raises `TypeError`; accept `*args, **kwargs`", def.name),
        );
    }
}

/// The cached object a `__new__` body returns: a value it stores under the same name
/// (`cls._instance = …; return cls._instance`) or an item of a mapping it fills
/// (`instances[cls] = …; return instances[cls]`).
fn returns_cached_instance<'a>(body: &'a [Stmt], cx: &FileContext<'a>) -> Option<&'a str> {
    #[derive(Default)]
    struct Statements<'b> {
        returned: Vec<&'b Expr>,
        stored: Vec<&'b Expr>,
    }
    impl<'b> StatementVisitor<'b> for Statements<'b> {
        fn visit_stmt(&mut self, stmt: &'b Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Return(ast::StmtReturn {
                    value: Some(value), ..
                }) => self.returned.push(value),
                Stmt::Assign(assign) => self.stored.extend(assign.targets.iter()),
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut statements = Statements::default();
    statements.visit_body(body);
    statements.returned.iter().find_map(|value| {
        let cached = match value {
            Expr::Attribute(_) => statements
                .stored
                .iter()
                .any(|t| cx.text(t.range()) == cx.text(value.range())),
            Expr::Subscript(subscript) => statements.stored.iter().any(|t| {
                matches!(t, Expr::Subscript(s) if cx.text(s.value.range()) == cx.text(subscript.value.range()))
            }),
            _ => false,
        };
        cached.then(|| cx.text(value.range()))
    })
}
