use super::{is_runtime_checkable, protocols_checked};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `isinstance(x, P)` and `issubclass(C, P)` where `P` (or a member of a tuple of
    /// classes there) is a `typing.Protocol` defined in the module without
    /// `@runtime_checkable`. Protocols imported from other modules are not followed yet.
    ///
    /// ## Why it matters
    /// Guide §4 (protocols): a protocol is a static contract. Checking it at run time raises
    /// `TypeError: Instance and class checks can only be used with @runtime_checkable
    /// protocols` — the line fails the first time it runs, typically on an error path no
    /// test reaches.
    ///
    /// ## Example
    /// ```python
    /// from typing import Protocol
    ///
    /// class Drawable(Protocol):
    ///     def draw(self) -> None: ...
    ///
    /// def render(item: object) -> None:
    ///     if isinstance(item, Drawable):
    ///         item.draw()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from typing import Protocol, runtime_checkable
    ///
    /// @runtime_checkable
    /// class Drawable(Protocol):
    ///     def draw(self) -> None: ...
    ///
    /// def render(item: object) -> None:
    ///     if isinstance(item, Drawable):
    ///         item.draw()
    /// ```
    pub static ISINSTANCE_NON_RUNTIME_PROTOCOL = Rule {
        code: "TYP007",
        name: "isinstance-non-runtime-protocol",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("mypy", "misc"), Peer::related("pyright", "reportGeneralTypeIssues")],
        check: Check::Call { targets: &["isinstance", "issubclass"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    for (class, range) in protocols_checked(call, cx) {
        if is_runtime_checkable(class, cx) {
            continue;
        }
        cx.report(
            range,
            format!(
                "`{}` against protocol `{}`, which is not `@runtime_checkable`, raises `TypeError`; decorate the protocol with `@runtime_checkable`",
                call.name(),
                class.name
            ),
        );
    }
}
