use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a dependency users install (`[project].dependencies`, an extra, Poetry's main
    /// group, `install_requires`, a runtime requirements file) that the package's code never
    /// imports — neither directly nor by naming the module in a string, as settings and
    /// plugin registries do — or that only tests and tooling import. Stub-only
    /// distributions (`types-*`, `*-stubs`) and the project itself are not reported.
    /// Distributions used another way (a server run by name, a database driver chosen in
    /// settings) go in `[tool.archlint.deps] ignore = { DEP002 = ["gunicorn"] }`.
    ///
    /// ## Why it matters
    /// Guide §7 (packaging) and §8 (dependency security): every declared dependency is
    /// installed for every user, widens the set of versions the resolver must satisfy, and
    /// brings its own vulnerabilities. Test-only packages belong in a development group.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["requests>=2", "pytest>=8"]
    /// # file: shop/__init__.py
    /// import requests
    /// # file: tests/test_shop.py
    /// import pytest
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["requests>=2"]
    /// [dependency-groups]
    /// test = ["pytest>=8"]
    /// # file: shop/__init__.py
    /// import requests
    /// # file: tests/test_shop.py
    /// import pytest
    /// ```
    pub static UNUSED_DEPENDENCY = Rule {
        code: "DEP002",
        name: "unused-dependency",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("deptry", "DEP002")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Dependencies],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    super::report_findings(cx, "DEP002");
}
