use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a file that could not be read (permissions, an I/O error), naming the cause.
    ///
    /// ## Why it matters
    /// Guide §10 (build systems and CI): a file the auditor cannot read is a file nobody
    /// audited; the run goes on with the others.
    ///
    /// ## Example
    /// ```python
    /// # a file without read permission
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # a readable file
    /// ```
    pub static FILE_UNREADABLE = Rule {
        code: "IO001",
        name: "file-unreadable",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Engine,
    };
}
