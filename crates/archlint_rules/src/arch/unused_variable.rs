use super::report_dead_code;
use crate::prelude::*;
use archlint_analysis::deadcode::DeadKind;

rule! {
    /// ## What it does
    /// Reports variables (module globals, class attributes, locals, loop and `with`
    /// targets) and instance attributes (`self.x = …`) whose name is read nowhere in the
    /// project (60% confidence). Names starting with `_` and dunder names are left alone, as
    /// vulture leaves them.
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns): state nobody reads is a leftover of a change
    /// that was not finished — a setting that no longer configures anything, a cache nobody
    /// consults — and every reader has to find out that it does nothing.
    ///
    /// ## Example
    /// ```python
    /// class Job:
    ///     def __init__(self, name):
    ///         self.name = name
    ///         self.retries = 3
    ///
    /// print(Job("x").name)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// class Job:
    ///     def __init__(self, name):
    ///         self.name = name
    ///
    /// print(Job("x").name)
    /// ```
    pub static UNUSED_VARIABLE = Rule {
        code: "ARCH013",
        name: "unused-variable",
        severity: Severity::Info,
        confidence: Some(Confidence::Medium),
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("vulture", "V107"), Peer::same("vulture", "V101")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::DeadCode],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    report_dead_code(cx, &[DeadKind::Variable, DeadKind::Attribute]);
}
