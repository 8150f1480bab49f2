use super::report_dead_code;
use crate::prelude::*;
use archlint_analysis::deadcode::DeadKind;

rule! {
    /// ## What it does
    /// Reports imports whose name is read nowhere in the project (90% confidence, as
    /// vulture rates them). Imports in a package's `__init__.py` are re-exports and imports
    /// under `if TYPE_CHECKING:` serve string annotations, so neither is reported;
    /// `import x as x` and names listed in `__all__` count as used.
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns): every import runs the imported module's code
    /// at import time and ties the two modules together in the import graph — an unused one
    /// costs start-up time and can close an import cycle for nothing.
    ///
    /// ## Example
    /// ```python
    /// # file: app/__init__.py
    /// # file: app/jobs.py
    /// import json
    ///
    /// def run(): ...
    /// # file: app/cli.py
    /// from app.jobs import run
    ///
    /// run()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: app/__init__.py
    /// # file: app/jobs.py
    /// def run(): ...
    /// # file: app/cli.py
    /// from app.jobs import run
    ///
    /// run()
    /// ```
    pub static UNUSED_IMPORT = Rule {
        code: "ARCH011",
        name: "unused-import",
        severity: Severity::Info,
        confidence: Some(Confidence::High),
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("vulture", "V104"), Peer::related("ruff", "F401")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::DeadCode],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    report_dead_code(cx, &[DeadKind::Import]);
}
