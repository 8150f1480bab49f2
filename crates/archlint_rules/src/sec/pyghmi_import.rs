use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `pyghmi`. Bandit rates it HIGH; archlint makes it a warning, since
    /// managing
    /// servers over IPMI is often legitimate.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): IPMI exposes password hashes to unauthenticated
    /// requests
    /// and is a frequent target.
    ///
    /// ## Example
    /// ```python
    /// import pyghmi
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import paramiko
    /// ```
    pub static PYGHMI_IMPORT = Rule {
        code: "SEC415",
        name: "pyghmi-import",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B415"), Peer::same("ruff", "S415")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["pyghmi"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "speaks IPMI, a protocol with known weaknesses; keep it on an isolated management network",
    );
}
