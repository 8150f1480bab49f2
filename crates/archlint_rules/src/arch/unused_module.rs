use super::report_dead_code;
use crate::prelude::*;
use archlint_analysis::deadcode::DeadKind;

rule! {
    /// ## What it does
    /// Reports modules inside a package that no module of the project imports (statically,
    /// or with `importlib.import_module` and a literal), that no string in the project names
    /// (`"app.jobs.nightly"` in a settings list), and that are not run some other way: a
    /// package's `__init__`, `__main__.py`, a module with an `if __name__ == "__main__":`
    /// block, an entry point or script of `pyproject.toml`, a test, a module outside any
    /// package, or one a framework loads by convention (Django's `admin`, `apps`, `models`,
    /// `migrations`, `management/commands`, `templatetags`, settings and WSGI modules).
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns): everything in a package is shipped, installed
    /// and kept compatible. A module nothing imports still has to be read, type-checked and
    /// migrated at every upgrade, and often hides code that was replaced but never deleted.
    ///
    /// ## Example
    /// ```python
    /// # file: app/__init__.py
    /// from app import core
    /// # file: app/core.py
    /// def run(): ...
    /// # file: app/old_core.py
    /// def run(): ...
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: app/__init__.py
    /// from app import core
    /// # file: app/core.py
    /// def run(): ...
    /// ```
    pub static UNUSED_MODULE = Rule {
        code: "ARCH010",
        name: "unused-module",
        severity: Severity::Info,
        confidence: Some(Confidence::Medium),
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Project {
            run: check,
            reads: &[Analysis::DeadCode],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    report_dead_code(cx, &[DeadKind::Module]);
}
