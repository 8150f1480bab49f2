use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a file larger than the configured limit (`max-file-size`, 10 MiB by default); it
    /// is not analysed.
    ///
    /// ## Why it matters
    /// Guide §6 (performance): files this large are generated data, not code to review, and
    /// would slow every run.
    ///
    /// ## Example
    /// ```python
    /// # a 50 MiB generated table in data.py
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # the data in a .json or .csv file read at run time
    /// ```
    pub static FILE_TOO_LARGE = Rule {
        code: "IO004",
        name: "file-too-large",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Engine,
    };
}
