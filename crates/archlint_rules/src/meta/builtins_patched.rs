use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags assignments to the `builtins` module (`builtins.open = ...`,
    /// `setattr(builtins, "print", ...)`) and to `__builtins__` (`__builtins__["_"] = ...`,
    /// `__builtins__.x = ...`), outside test files.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): a patched builtin changes every module in the process,
    /// including libraries that never imported the patching code; the behaviour depends on
    /// import order and is invisible to readers and tools.
    ///
    /// ## Example
    /// ```python
    /// import builtins
    ///
    /// builtins._ = translate
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from myapp.i18n import translate as _
    /// ```
    pub static BUILTINS_PATCHED = Rule {
        code: "META013",
        name: "builtins-patched",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Stmt { kinds: &[NodeKind::StmtAssign, NodeKind::StmtAugAssign, NodeKind::StmtDelete], run: check_assignment },
            Check::Call { targets: &["setattr", "delattr"], run: check_setattr },
        ]),
    };
}

const MESSAGE: &str = "patching `builtins` changes every module in the process, in import order; import the function where it is needed instead";

/// `builtins` itself, or `__builtins__`.
fn is_builtins(expr: &Expr, cx: &FileContext) -> bool {
    matches!(expr, Expr::Name(name) if name.id.as_str() == "__builtins__")
        || cx.qualified_name(expr).as_deref() == Some("builtins")
}

fn check_assignment(stmt: &Stmt, cx: &mut FileContext) {
    if cx.role == Role::Tests {
        return;
    }
    let targets: &[Expr] = match stmt {
        Stmt::Assign(assign) => &assign.targets,
        Stmt::AugAssign(assign) => std::slice::from_ref(&*assign.target),
        Stmt::Delete(delete) => &delete.targets,
        _ => return,
    };
    for target in targets {
        let patched = match target {
            Expr::Attribute(attribute) => is_builtins(&attribute.value, cx),
            Expr::Subscript(subscript) => is_builtins(&subscript.value, cx),
            _ => false,
        };
        if patched {
            cx.report(target.range(), MESSAGE);
        }
    }
}

fn check_setattr(call: &CallSite, cx: &mut FileContext) {
    if cx.role != Role::Tests && call.arg(0).is_some_and(|target| is_builtins(target, cx)) {
        cx.report(call.range(), MESSAGE);
    }
}
