use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a path that is not a regular file (a FIFO, socket or device), a link loop, or a
    /// dangling link. It is skipped, never opened.
    ///
    /// ## Why it matters
    /// Guide §10 (build systems and CI): reading a FIFO would block the run forever; a dangling
    /// link is usually a broken checkout.
    ///
    /// ## Example
    /// ```python
    /// # a FIFO named x.py in the tree
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # a regular file
    /// ```
    pub static FILE_NOT_REGULAR = Rule {
        code: "IO005",
        name: "file-not-regular",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Engine,
    };
}
