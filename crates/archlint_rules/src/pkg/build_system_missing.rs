use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a `pyproject.toml` without a `[build-system]` table (when it describes a
    /// package: `[project]`, Poetry, or a `setup.py`/`setup.cfg` next to it), or whose table
    /// lacks `requires` or `build-backend`; and, as advice, a project that has only
    /// `setup.py` or `setup.cfg`, with no `pyproject.toml` at all.
    ///
    /// ## Why it matters
    /// Guide §7 (`pyproject.toml` and build backends): without `[build-system]`, pip and
    /// `build` fall back to the legacy setuptools path, with whatever setuptools version
    /// happens to be installed, and the build is not reproducible. PEP 517/518 make the
    /// backend and its requirements explicit.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// # file: shop/__init__.py
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [build-system]
    /// requires = ["hatchling>=1.21"]
    /// build-backend = "hatchling.build"
    ///
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// # file: shop/__init__.py
    /// ```
    pub static BUILD_SYSTEM_MISSING = Rule {
        code: "PKG001",
        name: "build-system-missing",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[
            Peer::same("pyroma", "MissingPyProjectToml"),
            Peer::same("pyroma", "MissingBuildSystem"),
        ],
        check: Check::Project {
            run: check,
            reads: &[],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    let Some(file) = project.pyproject() else {
        let legacy = ["setup.py", "setup.cfg"]
            .iter()
            .map(|name| project.root().join(name))
            .find(|path| path.is_file());
        if let Some(path) = legacy {
            let shown = archlint_project::options::display_path(&path);
            cx.report_with_severity(
                &shown,
                1,
                1,
                Severity::Info,
                format!(
                    "the project is described only by `{}`: add a `pyproject.toml` with `[build-system]` (`requires = [\"setuptools>=61\"]`, `build-backend = \"setuptools.build_meta\"`) and move the metadata to `[project]`",
                    shown.file_name().unwrap_or_default().to_string_lossy()
                ),
            );
        }
        return;
    };
    let Some(build) = file.item(&["build-system"]) else {
        // A `pyproject.toml` that only configures tools is not a package, unless a
        // `setup.py` or `setup.cfg` makes one.
        let legacy = ["setup.py", "setup.cfg"]
            .iter()
            .any(|name| project.root().join(name).is_file());
        if legacy || file.item(&["project"]).is_some() || file.item(&["tool", "poetry"]).is_some() {
            let range = match file.item(&["project"]) {
                Some(_) => file.table_range("project"),
                None => Default::default(),
            };
            cx.report_in(
                file,
                range,
                "`pyproject.toml` has no `[build-system]`: name the build backend and its requirements (`requires = [\"hatchling\"]`, `build-backend = \"hatchling.build\"`) so builds do not fall back to legacy setuptools",
            );
        }
        return;
    };
    let missing: Vec<&str> = ["requires", "build-backend"]
        .into_iter()
        .filter(|key| build.get(key).is_none())
        .collect();
    if !missing.is_empty() {
        cx.report_in(
            file,
            file.table_range("build-system"),
            format!(
                "`[build-system]` has no {}: without it the build {}",
                missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                if missing.contains(&"build-backend") {
                    "falls back to legacy `setuptools.build_meta:__legacy__`"
                } else {
                    "environment gets only setuptools, whatever the backend needs"
                }
            ),
        );
    }
}
