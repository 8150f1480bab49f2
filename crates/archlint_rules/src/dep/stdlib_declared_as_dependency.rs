use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a declared dependency named like a standard-library module of the target
    /// version (`asyncio`, `typing`, `dataclasses`, `argparse`), unless an environment
    /// marker limits it to older interpreters (`dataclasses; python_version < "3.7"`).
    ///
    /// ## Why it matters
    /// Guide §8 (dependency security): the PyPI distributions with these names are stale
    /// backports, or squatted names; installing one can shadow the standard library with old
    /// or hostile code. The interpreter already has the module.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["asyncio", "requests>=2"]
    /// # file: shop/__init__.py
    /// import asyncio
    /// import requests
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["requests>=2"]
    /// # file: shop/__init__.py
    /// import asyncio
    /// import requests
    /// ```
    pub static STDLIB_DECLARED_AS_DEPENDENCY = Rule {
        code: "DEP005",
        name: "stdlib-declared-as-dependency",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("deptry", "DEP005")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Dependencies],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    super::report_findings(cx, "DEP005");
}
