use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a Python file that is not valid UTF-8, with the offset of the first bad byte.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): Python 3 reads source as UTF-8 unless a coding
    /// declaration says otherwise; mixed encodings break tools and diffs.
    ///
    /// ## Example
    /// ```python
    /// # a file saved as Latin-1
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # the same file saved as UTF-8
    /// ```
    pub static FILE_NOT_UTF8 = Rule {
        code: "IO002",
        name: "file-not-utf8",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Engine,
    };
}
