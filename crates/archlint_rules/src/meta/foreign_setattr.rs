use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags, inside functions, `setattr`/`delattr` on something the code does not own: an
    /// imported module or class (`setattr(json, "dumps", f)`), or a class or module handed
    /// in by the caller — a parameter annotated `type`/`Type[...]`/`ModuleType`, or named
    /// `target`, `target_class`, `klass`, `module`... — as in the guide's generic
    /// injectors (`inject_method(target_class, name, method)`,
    /// `monkey_patch_with_context(target, patches)`). A class decorator that returns the
    /// class it was given, and `self`/`cls` in methods, are not flagged. Import-time patches
    /// are META011.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): a helper that rewrites arbitrary classes at run time
    /// makes every class's behaviour depend on who called what before; type checkers cannot
    /// see the injected members, and two injectors of the same name silently overwrite each
    /// other. Use subclassing, composition, a registry, or `unittest.mock.patch` in tests.
    ///
    /// ## Example
    /// ```python
    /// def inject_method(target_class: type, name, method):
    ///     setattr(target_class, name, method)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def with_method(name, method):
    ///     def decorate(cls):
    ///         setattr(cls, name, method)
    ///         return cls
    ///     return decorate
    /// ```
    pub static FOREIGN_SETATTR = Rule {
        code: "META012",
        name: "foreign-setattr",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "B010")],
        check: Check::Call {
            targets: &["setattr", "builtins.setattr", "delattr", "builtins.delattr"],
            run: check,
        },
    };
}

/// Parameter names that say "somebody else's class or module".
const FOREIGN_NAMES: &[&str] = &[
    "target",
    "target_class",
    "target_cls",
    "target_module",
    "klass",
    "module",
    "mod",
    "obj_class",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    if cx.functions.is_empty() {
        return;
    }
    let Some(target) = call.arg(0) else { return };
    let shown = cx.text(target.range());
    let name = call.name();
    let function = name.trim_start_matches("builtins.");
    if let Some(owner) = cx.imported_name(target) {
        if owner == "builtins" || owner == "sys.modules" {
            return; // META013, META014
        }
        cx.report(
            call.range(),
            format!("`{function}` on imported `{owner}` changes it for every user at run time; subclass, wrap, or use `unittest.mock.patch` in tests"),
        );
        return;
    }
    let Expr::Name(target_name) = target else {
        return;
    };
    let target_name = target_name.id.as_str();
    for owner in cx.functions.iter().rev() {
        let Some(parameter) = owner
            .parameters
            .iter()
            .find(|p| p.name().as_str() == target_name)
        else {
            continue;
        };
        let annotated_type = parameter.annotation().is_some_and(|annotation| {
            let text = cx.text(annotation.range());
            let head = text
                .split('[')
                .next()
                .unwrap_or_default()
                .rsplit('.')
                .next()
                .unwrap_or_default();
            matches!(head, "type" | "Type" | "ModuleType")
        });
        if (annotated_type || FOREIGN_NAMES.contains(&target_name))
            && !returns_name(&owner.body, target_name)
        {
            cx.report(
                call.range(),
                format!("`{function}` on `{shown}`, a class or module the caller passes in, rewrites code this module does not own; use subclassing, composition or a registry"),
            );
        }
        return;
    }
}

/// Whether a body has `return <name>` (a decorator handing its class back).
fn returns_name(body: &[Stmt], name: &str) -> bool {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder<'n>(&'n str, bool);
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Return(ret) => {
                    if matches!(ret.value.as_deref(), Some(Expr::Name(n)) if n.id.as_str() == self.0)
                    {
                        self.1 = true;
                    }
                }
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder(name, false);
    finder.visit_body(body);
    finder.1
}
