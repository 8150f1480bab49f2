use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports an `# archlint: ignore[...]` comment that suppresses nothing: no finding of
    /// the listed codes starts on its line (or on the statement it begins). `# nosec` and
    /// `# noqa` comments are not reported, since other tools read them too.
    ///
    /// ## Why it matters
    /// Guide §8 (security): a stale suppression hides the next real finding on that line.
    ///
    /// ## Example
    /// ```python
    /// x = 1  # archlint: ignore[SEC307]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// x = 1
    /// ```
    pub static UNUSED_SUPPRESSION = Rule {
        code: "SUP001",
        name: "unused-suppression",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "RUF100")],
        roles: Roles::NOT_TEST_DATA,
        check: Check::Engine,
    };
}
