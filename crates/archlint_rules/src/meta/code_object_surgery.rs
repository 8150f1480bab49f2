use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags building or rewriting code and function objects by hand:
    /// `types.FunctionType(code, ...)`, `types.CodeType(...)`, `<code>.replace(...)` on a
    /// `__code__`, assigning `<function>.__code__`, and writing into
    /// `<function>.__globals__`.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): code objects change layout in every Python release
    /// (`CodeType`'s positional signature changed in 3.8 and 3.11), no static tool can see
    /// what the rewritten function does, and debuggers and profilers show the wrong source.
    /// A decorator, a closure or `functools.partial` does the same job visibly.
    ///
    /// ## Example
    /// ```python
    /// def retarget(function, new_globals):
    ///     function.__code__ = function.__code__.replace(co_name="patched")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import functools
    ///
    /// def retarget(function):
    ///     @functools.wraps(function)
    ///     def patched(*args, **kwargs):
    ///         return function(*args, **kwargs)
    ///     return patched
    /// ```
    pub static CODE_OBJECT_SURGERY = Rule {
        code: "META006",
        name: "code-object-surgery",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Call { targets: &["types.FunctionType", "types.CodeType", ".replace", ".update"], run: check_call },
            Check::Stmt { kinds: &[NodeKind::StmtAssign, NodeKind::StmtAugAssign], run: check_assignment },
        ]),
    };
}

const ADVICE: &str = "use a decorator, a closure or `functools.partial` instead";

fn is_dunder(expr: &Expr, dunder: &str) -> bool {
    matches!(expr, Expr::Attribute(attribute) if attribute.attr.as_str() == dunder)
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    let what = if call.is("types.FunctionType") {
        "`types.FunctionType(...)`"
    } else if call.is("types.CodeType") {
        "`types.CodeType(...)`"
    } else {
        // `f.__code__.replace(...)`, `f.__globals__.update(...)`
        match (call.method, call.receiver()) {
            (Some("replace"), Some(receiver)) if is_dunder(receiver, "__code__") => {
                "`__code__.replace(...)`"
            }
            (Some("update"), Some(receiver)) if is_dunder(receiver, "__globals__") => {
                "`__globals__.update(...)`"
            }
            _ => return,
        }
    };
    cx.report(
        call.range(),
        format!("{what} rewrites code behind every tool's back; {ADVICE}"),
    );
}

fn check_assignment(stmt: &Stmt, cx: &mut FileContext) {
    let targets: &[Expr] = match stmt {
        Stmt::Assign(assign) => &assign.targets,
        Stmt::AugAssign(assign) => std::slice::from_ref(&*assign.target),
        _ => return,
    };
    for target in targets {
        let what = match target {
            target if is_dunder(target, "__code__") => "assigning `__code__`",
            Expr::Subscript(subscript) if is_dunder(&subscript.value, "__globals__") => {
                "writing into `__globals__`"
            }
            _ => continue,
        };
        cx.report(
            target.range(),
            format!("{what} rewrites a function behind every tool's back; {ADVICE}"),
        );
    }
}
