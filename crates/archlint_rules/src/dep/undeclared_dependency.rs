use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports an import of a third-party module that no declared dependency provides: not
    /// the standard library of the target version, not a module of the project, and not
    /// provided by anything in `[project]` `dependencies`, `optional-dependencies`,
    /// `[dependency-groups]`, Poetry's tables, `setup.cfg`, `setup.py` or the requirements
    /// files. Imports map to distributions through the installed environment's metadata
    /// when one is given (`--python`, `VIRTUAL_ENV`), else through a table of well-known
    /// names (`yaml` → PyYAML, `PIL` → Pillow) and the configured `package-module-map`.
    /// Imports inside `try`/`except ImportError` and under `if TYPE_CHECKING:` are optional
    /// and not reported. With an environment, a module installed but undeclared is DEP003.
    ///
    /// ## Why it matters
    /// Guide §7 (packaging) and §8 (dependency security): the code works on the developer's
    /// machine because the package happens to be installed, and fails with
    /// `ModuleNotFoundError` for every user who installs the distribution.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["requests>=2"]
    /// # file: shop/__init__.py
    /// import requests
    /// import yaml
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["requests>=2", "PyYAML>=6"]
    /// # file: shop/__init__.py
    /// import requests
    /// import yaml
    /// ```
    pub static UNDECLARED_DEPENDENCY = Rule {
        code: "DEP001",
        name: "undeclared-dependency",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("deptry", "DEP001")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Dependencies],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    super::report_findings(cx, "DEP001");
}
