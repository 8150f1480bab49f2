use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports an import, in the package's own code (not tests, docs, examples or tooling),
    /// of a module whose distribution is declared only for development: in
    /// `[dependency-groups]`, a Poetry group, `tool.pdm`/`tool.uv` dev dependencies, a dev
    /// requirements file, or an extra listed in `[tool.archlint.deps] dev-extras`. Imports
    /// inside `try`/`except ImportError` and under `if TYPE_CHECKING:` are not reported:
    /// the code runs without them.
    ///
    /// ## Why it matters
    /// Guide §4 and §6 show `import mypy.api` and `line_profiler` in library code; §7 keeps
    /// such tools in development groups. Users who install the distribution do not get
    /// development dependencies, so the import fails for them and only for them.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = []
    /// [dependency-groups]
    /// dev = ["mypy>=1.10"]
    /// # file: shop/check.py
    /// import mypy.api
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = []
    /// [dependency-groups]
    /// dev = ["mypy>=1.10"]
    /// # file: shop/check.py
    /// try:
    ///     import mypy.api
    /// except ImportError:
    ///     mypy = None
    /// ```
    pub static DEV_DEPENDENCY_IMPORTED_AT_RUNTIME = Rule {
        code: "DEP004",
        name: "dev-dependency-imported-at-runtime",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("deptry", "DEP004")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Dependencies],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    super::report_findings(cx, "DEP004");
}
