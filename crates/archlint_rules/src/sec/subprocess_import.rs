use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `subprocess`. Off by default: an audit aid that lists the modules able
    /// to
    /// start processes (SEC602–SEC607 flag the risky calls).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): a module that starts processes is where command
    /// injection
    /// happens.
    ///
    /// ## Example
    /// ```python
    /// import subprocess
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import shutil
    /// ```
    pub static SUBPROCESS_IMPORT = Rule {
        code: "SEC404",
        name: "subprocess-import",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B404"), Peer::same("ruff", "S404")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["subprocess"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "starts processes; make sure no command is built from untrusted input",
    );
}
