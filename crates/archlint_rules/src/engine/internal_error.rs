use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a file on which archlint itself failed (a bug in archlint). The rest of the run
    /// goes on.
    ///
    /// ## Why it matters
    /// Guide §9 (testing): a checker that fails silently gives false confidence; the failure is
    /// reported with the file so it can be reproduced.
    ///
    /// ## Example
    /// ```python
    /// # any file that makes archlint fail
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # please report it with the file
    /// ```
    pub static INTERNAL_ERROR = Rule {
        code: "INT001",
        name: "internal-error",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Engine,
    };
}
