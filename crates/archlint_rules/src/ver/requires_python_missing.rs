use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a `[project]` table without `requires-python` when neither `setup.cfg`
    /// (`python_requires`) nor `setup.py` (`python_requires=`) declares it either, and the
    /// field is not listed in `dynamic`. The version rules then fall back to
    /// `target-version` (or 3.9).
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): without `requires-python`, pip installs the
    /// newest release on any interpreter, including ones the code cannot run on, instead of
    /// picking the last release that supports it. It is also the one place every tool
    /// (archlint, ruff, uv, pip) reads the supported range from.
    ///
    /// ## Example
    /// ```toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// requires-python = ">=3.10"
    /// ```
    pub static REQUIRES_PYTHON_MISSING = Rule {
        code: "VER003",
        name: "requires-python-missing",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("pyroma", "PythonRequiresVersion")],
        check: Check::Pyproject { run: check },
    };
}

fn check(cx: &mut PyprojectContext) {
    let file = cx.file;
    let Some(project) = file.item(&["project"]) else {
        return;
    };
    if project.get("requires-python").is_some() {
        return;
    }
    let dynamic = project
        .get("dynamic")
        .and_then(|item| item.as_array())
        .is_some_and(|fields| {
            fields
                .iter()
                .any(|field| field.as_str() == Some("requires-python"))
        });
    let root = file.path.parent().unwrap_or(std::path::Path::new("."));
    let declared_elsewhere = ["setup.cfg", "setup.py"].iter().any(|name| {
        std::fs::read_to_string(root.join(name)).is_ok_and(|text| text.contains("python_requires"))
    });
    if dynamic || declared_elsewhere {
        return;
    }
    cx.report(
        file.table_range("project"),
        "`[project]` has no `requires-python`: add the oldest Python the code runs on (`requires-python = \">=3.10\"`) so installers and the version rules know it",
    );
}
