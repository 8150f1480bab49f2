use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a `.py` file that holds NUL bytes: a binary file with a Python name.
    ///
    /// ## Why it matters
    /// Guide §7 (packaging): a binary file named `.py` cannot be imported and usually means a
    /// build artefact was committed by mistake.
    ///
    /// ## Example
    /// ```python
    /// # a compiled or binary file named module.py
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # the source file, with the artefact removed
    /// ```
    pub static BINARY_FILE = Rule {
        code: "IO003",
        name: "binary-file",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Engine,
    };
}
