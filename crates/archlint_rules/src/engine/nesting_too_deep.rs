use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports code nested deeper than archlint walks (1,000 levels of expressions or blocks):
    /// the part below that depth is not analysed. Brackets nested deeper than CPython's own
    /// limit of 200 are a syntax error (`SYN001`) instead.
    ///
    /// ## Why it matters
    /// Guide §6 (performance): generated code this deep is slow to compile and hard to
    /// read, and archlint must not exhaust its stack on it.
    ///
    /// ## Example
    /// ```python
    /// # a machine-generated expression a thousand operators deep
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// total = sum(values)
    /// ```
    pub static NESTING_TOO_DEEP = Rule {
        code: "SYN002",
        name: "nesting-too-deep",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        roles: Roles::NOT_TEST_DATA,
        check: Check::Engine,
    };
}
