use super::{has_decorator, is_runtime_checkable, protocols_checked};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `isinstance(x, P)` where `P` is a `@runtime_checkable` protocol of the module
    /// that declares data members (annotated attributes or properties), and, as an error,
    /// `issubclass(C, P)` with such a protocol.
    ///
    /// ## Why it matters
    /// Guide §4 (`Drawable`, `process_drawable`): a runtime check only looks for the
    /// attributes' presence, never their types, so `isinstance` passes objects the static
    /// contract rejects. `issubclass` refuses protocols with non-method members outright
    /// and raises `TypeError`.
    ///
    /// ## Example
    /// ```python
    /// from typing import Protocol, runtime_checkable
    ///
    /// @runtime_checkable
    /// class Drawable(Protocol):
    ///     @property
    ///     def area(self) -> float: ...
    ///
    /// def process_drawable(item: object) -> float:
    ///     if isinstance(item, Drawable):
    ///         return item.area
    ///     return 0.0
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from typing import Protocol, runtime_checkable
    ///
    /// @runtime_checkable
    /// class Drawable(Protocol):
    ///     def area(self) -> float: ...
    ///
    /// def process_drawable(item: object) -> float:
    ///     if isinstance(item, Drawable):
    ///         return item.area()
    ///     return 0.0
    /// ```
    pub static RUNTIME_PROTOCOL_WITH_DATA_MEMBERS = Rule {
        code: "TYP008",
        name: "runtime-protocol-with-data-members",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Call { targets: &["isinstance", "issubclass"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    for (class, range) in protocols_checked(call, cx) {
        if !is_runtime_checkable(class, cx) {
            continue;
        }
        let members = data_members(class, cx);
        if members.is_empty() {
            continue;
        }
        let members = super::listed(&members);
        if call.is("issubclass") {
            cx.report_rated(
                range,
                format!(
                    "`issubclass` against protocol `{}`, which has data members ({members}), raises `TypeError`; check the methods instead",
                    class.name
                ),
                Some(Severity::Error),
                None,
            );
        } else {
            cx.report(
                range,
                format!(
                    "`isinstance` against protocol `{}` only checks that its data members ({members}) exist, not their types; validate the values, or make them methods",
                    class.name
                ),
            );
        }
    }
}

/// Annotated attributes and properties declared in the protocol's body.
fn data_members(class: &ast::StmtClassDef, cx: &FileContext) -> Vec<String> {
    let mut members = Vec::new();
    for stmt in &class.body {
        match stmt {
            Stmt::AnnAssign(assign) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    members.push(name.id.to_string());
                }
            }
            Stmt::FunctionDef(function)
                if has_decorator(
                    function,
                    cx,
                    &["property", "builtins.property", "functools.cached_property"],
                ) =>
            {
                members.push(function.name.to_string());
            }
            _ => {}
        }
    }
    members
}
