use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a top-level package of a distribution (a project with `pyproject.toml`
    /// declaring `[project]` or `[tool.poetry]`, or with `setup.py`/`setup.cfg`) that has
    /// annotated public functions but no `py.typed` marker file in its folder. Test packages
    /// are left alone.
    ///
    /// ## Why it matters
    /// Guide §4 and PEP 561: type checkers ignore the annotations of an installed package
    /// without `py.typed` and treat everything it exports as `Any`, so the work of
    /// annotating never reaches its users. `pyright --verifytypes` reports the same.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shapes"
    /// version = "1.0"
    /// # file: shapes/__init__.py
    /// def area(side: float) -> float:
    ///     return side * side
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shapes"
    /// version = "1.0"
    /// # file: shapes/py.typed
    /// # file: shapes/__init__.py
    /// def area(side: float) -> float:
    ///     return side * side
    /// ```
    pub static MISSING_PY_TYPED = Rule {
        code: "TYP011",
        name: "missing-py-typed",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("pyright", "verifytypes")],
        check: Check::Project {
            run: check,
            reads: &[],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    let root = project.root();
    if !is_distribution(root) {
        return;
    }
    for package in project.modules.iter().filter(|m| m.is_package) {
        let Some(name) = package.module.as_deref() else {
            continue;
        };
        if name.contains('.') || name.starts_with('_') || is_test_name(name) {
            continue;
        }
        let Some(folder) = package.path.parent() else {
            continue;
        };
        if folder.join("py.typed").exists() {
            continue;
        }
        let annotated = project.modules.iter().find(|m| {
            m.module
                .as_deref()
                .is_some_and(|module| archlint_facts::is_within(module, name))
                && m.definitions.iter().any(|d| {
                    matches!(
                        d.kind,
                        archlint_facts::DefinitionKind::Function
                            | archlint_facts::DefinitionKind::AsyncFunction
                            | archlint_facts::DefinitionKind::Method
                            | archlint_facts::DefinitionKind::AsyncMethod
                    ) && !d
                        .qualname
                        .split('.')
                        .any(|part| part.starts_with('_') && !part.ends_with("__"))
                        && (d.annotated_parameters > 0 || d.annotated_return)
                })
        });
        if let Some(example) = annotated {
            let shown = project.shown(&example.path);
            cx.report(
                &package.path,
                1,
                1,
                format!(
                    "package `{name}` has annotations (`{shown}` among others) but no `py.typed` marker, so type checkers ignore them for its users; add an empty `{name}/py.typed` and ship it in the distribution"
                ),
            );
        }
    }
}

fn is_test_name(name: &str) -> bool {
    matches!(name, "test" | "tests" | "testing") || name.starts_with("test_")
}

/// Whether the project at `root` builds a distribution.
fn is_distribution(root: &std::path::Path) -> bool {
    if root.join("setup.py").is_file() || root.join("setup.cfg").is_file() {
        return true;
    }
    let Ok(text) = std::fs::read_to_string(root.join("pyproject.toml")) else {
        return false;
    };
    let Ok(document) = text.parse::<toml_edit::DocumentMut>() else {
        return false;
    };
    document.get("project").is_some()
        || document
            .get("tool")
            .and_then(|tool| tool.get("poetry"))
            .is_some()
}
