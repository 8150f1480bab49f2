use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a file that does not parse as Python, at the position of the first error.
    /// The file's other rules do not run; the rest of the project is still checked.
    ///
    /// ## Why it matters
    /// Guide §10 (build systems and CI): a file that does not parse fails at import time,
    /// and none of the other chapters' checks can see into it.
    ///
    /// ## Example
    /// ```python
    /// def broken(:
    ///     pass
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def fixed():
    ///     pass
    /// ```
    pub static SYNTAX_ERROR = Rule {
        code: "SYN001",
        name: "syntax-error",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "invalid-syntax")],
        roles: Roles::NOT_TEST_DATA,
        check: Check::Engine,
    };
}
