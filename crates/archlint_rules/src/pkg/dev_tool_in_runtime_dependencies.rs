use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports development tools in `[project].dependencies` — linters, formatters, type
    /// checkers, test runners, coverage, task runners, release tools (`ruff`, `black`,
    /// `isort`, `flake8`, `pylint`, `mypy`, `pyright`, `pytest` and its plugins,
    /// `coverage`, `tox`, `nox`, `pre-commit`, `twine`, `build`) — that the package's own
    /// code does not import.
    ///
    /// ## Why it matters
    /// Guide §7: its sample lists `ruff>=0.9.0` among the runtime dependencies. Every user
    /// then installs a linter, its version constraints take part in their resolution, and
    /// a tool upgrade can break their environment. Tools belong in `[dependency-groups]`.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["pydantic>=2", "ruff>=0.9.0"]
    /// # file: shop/__init__.py
    /// import pydantic
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["pydantic>=2"]
    ///
    /// [dependency-groups]
    /// dev = ["ruff>=0.9.0"]
    /// # file: shop/__init__.py
    /// import pydantic
    /// ```
    pub static DEV_TOOL_IN_RUNTIME_DEPENDENCIES = Rule {
        code: "PKG006",
        name: "dev-tool-in-runtime-dependencies",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Dependencies],
        },
    };
}

const TOOLS: &[&str] = &[
    "ruff",
    "black",
    "isort",
    "flake8",
    "pylint",
    "mypy",
    "pyright",
    "pytest",
    "coverage",
    "tox",
    "nox",
    "pre-commit",
    "twine",
    "build",
    "bandit",
    "pip-tools",
];

fn is_tool(normalized: &str) -> bool {
    TOOLS.contains(&normalized)
        || normalized.starts_with("pytest-")
        || normalized.starts_with("flake8-")
}

fn check(cx: &mut ProjectContext) {
    use archlint_analysis::deps::declared::DeclaredKind;
    let project = cx.project;
    let Some(file) = project.pyproject() else {
        return;
    };
    let dependencies = project.dependencies();
    for declared in &dependencies.declared {
        let (DeclaredKind::Runtime, Some(range)) = (&declared.kind, declared.range) else {
            continue;
        };
        if declared.path != file.path || !is_tool(&declared.normalized) {
            continue;
        }
        let module = declared.normalized.replace('-', "_");
        let imported = dependencies
            .imports
            .iter()
            .any(|import| !import.dev_code && import.module == module);
        if imported {
            continue;
        }
        cx.report_in(
            file,
            range,
            format!(
                "`{}` is a development tool, but every user of the package installs it: move it to `[dependency-groups]` (`dev = [\"{}\"]`)",
                declared.name, declared.name
            ),
        );
    }
}
