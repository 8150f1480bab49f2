use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags writes to `sys.modules` outside test files: `sys.modules[name] = ...`,
    /// `del sys.modules[name]`, `sys.modules.pop/update/setdefault/clear(...)`. The lazy
    /// module idiom `sys.modules[__name__] = ...` is allowed.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): `sys.modules` is the process-wide import cache; swapping
    /// or removing entries makes `import x` return different objects depending on timing
    /// and breaks code that already holds the old module.
    ///
    /// ## Example
    /// ```python
    /// import sys
    ///
    /// import fast_json
    ///
    /// sys.modules["json"] = fast_json
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// try:
    ///     import fast_json as json
    /// except ImportError:
    ///     import json
    /// ```
    pub static SYS_MODULES_WRITE = Rule {
        code: "META014",
        name: "sys-modules-write",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Stmt { kinds: &[NodeKind::StmtAssign, NodeKind::StmtDelete], run: check_assignment },
            Check::Call { targets: &["sys.modules.pop", "sys.modules.update", "sys.modules.setdefault", "sys.modules.clear", "sys.modules.popitem"], run: check_call },
        ]),
    };
}

const MESSAGE: &str = "writing to `sys.modules` changes what every later `import` returns; import the module you need under the name you want instead";

fn check_assignment(stmt: &Stmt, cx: &mut FileContext) {
    if cx.role == Role::Tests {
        return;
    }
    let targets: &[Expr] = match stmt {
        Stmt::Assign(assign) => &assign.targets,
        Stmt::Delete(delete) => &delete.targets,
        _ => return,
    };
    for target in targets {
        let Expr::Subscript(subscript) = target else {
            continue;
        };
        if !cx.resolves_to(&subscript.value, &["sys.modules"]) {
            continue;
        }
        // `sys.modules[__name__] = LazyModule(...)`: a module replacing itself.
        if matches!(subscript.slice.as_ref(), Expr::Name(n) if n.id.as_str() == "__name__") {
            continue;
        }
        cx.report(target.range(), MESSAGE);
    }
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    if cx.role != Role::Tests {
        cx.report(call.range(), MESSAGE);
    }
}
