use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags module-level statements, which run on import, that assign or delete an
    /// attribute of an imported module or of a class imported from another module:
    /// `json.dumps = fast_dumps`, `requests.Session.request = traced`,
    /// `setattr(socket, "socket", Patched)`, `del os.environ_hook`. Standard-library targets
    /// are errors; third-party and project ones warnings.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): importing the module changes the behaviour of every
    /// other user of the patched one, in an order that depends on who imports first. Tests
    /// pass or fail by import order, and upgrades of the patched library break silently.
    /// Wrap, subclass, or pass the replacement explicitly; if a patch is unavoidable, apply
    /// it in an explicit `install()` function the application calls.
    ///
    /// ## Example
    /// ```python
    /// import json
    ///
    /// def fast_dumps(obj):
    ///     return "{}"
    ///
    /// json.dumps = fast_dumps
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    ///
    /// def dumps(obj):
    ///     return json.dumps(obj, separators=(",", ":"))
    /// ```
    pub static IMPORT_TIME_MONKEYPATCH = Rule {
        code: "META011",
        name: "import-time-monkeypatch",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Several(&[
            Check::Stmt {
                kinds: &[NodeKind::StmtAssign, NodeKind::StmtAugAssign, NodeKind::StmtDelete],
                run: check_statement,
            },
            Check::Call {
                targets: &["setattr", "builtins.setattr", "delattr", "builtins.delattr"],
                run: check_setattr,
            },
        ]),
    };
}

fn at_import_time(cx: &FileContext) -> bool {
    cx.functions.is_empty() && cx.classes.is_empty()
}

/// `builtins` patching and `sys.modules` writes have their own rules (META013, META014).
fn is_patch_target(owner: &Expr, cx: &FileContext) -> Option<String> {
    let name = cx.imported_name(owner)?;
    let root = name.split('.').next().unwrap_or_default();
    (root != "builtins" && name != "sys.modules" && name != "os.environ").then_some(name)
}

fn report(cx: &mut FileContext, range: TextRange, owner: &str, what: &str) {
    let root = owner.split('.').next().unwrap_or_default();
    let stdlib = ruff_python_stdlib::sys::is_known_standard_library(14, root);
    let message = format!(
        "`{owner}` {what} when this module is imported, for every user of `{owner}`; wrap or subclass it, or patch it in an explicit `install()` the application calls"
    );
    if stdlib {
        cx.report_rated(range, message, Some(Severity::Error), None);
    } else {
        cx.report(range, message);
    }
}

fn check_statement(stmt: &Stmt, cx: &mut FileContext) {
    if !at_import_time(cx) {
        return;
    }
    let (targets, what): (&[Expr], &str) = match stmt {
        Stmt::Assign(assign) => (&assign.targets, "is patched"),
        Stmt::AugAssign(assign) => (std::slice::from_ref(&*assign.target), "is patched"),
        Stmt::Delete(delete) => (&delete.targets, "loses an attribute"),
        _ => return,
    };
    for target in targets {
        let Expr::Attribute(attribute) = target else {
            continue;
        };
        if let Some(owner) = is_patch_target(&attribute.value, cx) {
            report(cx, target.range(), &owner, what);
        }
    }
}

fn check_setattr(call: &CallSite, cx: &mut FileContext) {
    if !at_import_time(cx) {
        return;
    }
    let Some(target) = call.arg(0) else { return };
    if let Some(owner) = is_patch_target(target, cx) {
        report(cx, call.range(), &owner, "is patched");
    }
}
