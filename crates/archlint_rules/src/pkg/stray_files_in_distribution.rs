use crate::prelude::*;
use archlint_dist::archive::EntryKind;
use archlint_project::distribution_name;

rule! {
    /// ## What it does
    /// Flags files a distribution should not ship: `__pycache__` folders and `.pyc`/`.pyo`
    /// files, members stored twice under one name, and in a wheel's library root a `tests` or
    /// `test` package (or another common non-library name such as `docs` or `build`), an
    /// `__init__.py`, a file that is not a module, and a top-level module beside the
    /// distribution's own package that does not belong to it.
    ///
    /// ## Why it matters
    /// Guide §7 (`PackageBuilder.verify_distributions`): check the built wheel's contents before
    /// publishing. Stray bytecode is stale or for another interpreter; a top-level `tests`
    /// package collides with every other wheel that ships one; a duplicate member extracts
    /// differently depending on the tool.
    ///
    /// ## Example
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo/__init__.py
    /// # file: demo/__pycache__/__init__.cpython-312.pyc
    /// # file: tests/test_demo.py
    /// ```
    ///
    /// ## Use instead
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo/__init__.py
    /// # file: demo/py.typed
    /// ```
    pub static STRAY_FILES_IN_DISTRIBUTION = Rule {
        code: "PKG014",
        name: "stray-files-in-distribution",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[
            Peer::same("check-wheel-contents", "W001"),
            Peer::related("check-wheel-contents", "W002"),
            Peer::same("check-wheel-contents", "W003"),
            Peer::same("check-wheel-contents", "W005"),
            Peer::same("check-wheel-contents", "W006"),
            Peer::related("check-wheel-contents", "W009"),
        ],
        check: Check::Distribution { run: check },
    };
}

/// Top-level names that are never a library (check-wheel-contents' W005 list).
const COMMON_NAMES: &[&str] = &[
    ".eggs", ".nox", ".tox", ".venv", "build", "data", "dist", "doc", "docs", "example",
    "examples", "src", "test", "tests", "venv",
];

/// Extensions of what may sit at a library's root.
const MODULE_EXTENSIONS: &[&str] = &[".py", ".pyi", ".so", ".pyd", ".pth"];

fn check(cx: &mut DistributionContext) {
    let dist = cx.dist;
    for member in &dist.archive.members {
        let name = member.name.as_str();
        if name.split('/').any(|part| part == "__pycache__") && member.kind == EntryKind::Dir {
            continue; // its files are reported one by one
        }
        if name.split('/').any(|part| part == "__pycache__")
            || name.ends_with(".pyc")
            || name.ends_with(".pyo")
        {
            cx.report(
                Some(name),
                "compiled bytecode in a distribution is stale or for another interpreter; exclude `__pycache__` and `*.pyc` from the build",
            );
        }
    }
    for name in &dist.archive.duplicates {
        cx.report(
            Some(name),
            "is stored twice; tools disagree on which copy wins, so rebuild the archive with one `add` per file",
        );
    }
    if dist.archive.zip_has_duplicates && dist.archive.duplicates.is_empty() {
        cx.report(
            None,
            format!(
                "`{}` lists a member name twice in its central directory; rebuild the archive",
                dist.file_name
            ),
        );
    }
    if dist.is_wheel() {
        library_root(cx);
    }
}

/// The members at the top of a wheel's library (outside `.dist-info` and `.data`).
fn library_root(cx: &mut DistributionContext) {
    let dist = cx.dist;
    let own = dist
        .name_and_version()
        .map(|(name, _)| distribution_name::normalize(name).replace('-', "_"))
        .unwrap_or_default();
    let mut tops: Vec<(&str, bool)> = Vec::new(); // (name, is a folder)
    for member in &dist.archive.members {
        let (top, rest) = member.name.split_once('/').unwrap_or((&member.name, ""));
        if top.ends_with(".dist-info") || top.ends_with(".data") || top.is_empty() {
            continue;
        }
        let folder = !rest.is_empty() || member.kind == EntryKind::Dir;
        if !tops.contains(&(top, folder)) {
            tops.push((top, folder));
        }
    }
    let has_own_package = tops
        .iter()
        .any(|(t, folder)| *folder && t.to_lowercase() == own);
    for (top, folder) in tops {
        let stem = top.split('.').next().unwrap_or(top);
        if COMMON_NAMES.contains(&stem.to_lowercase().as_str()) && (folder || top.ends_with(".py"))
        {
            cx.report(
                Some(top),
                format!("`{top}` at the top of the wheel installs into `site-packages` and collides with other wheels; exclude it from the build"),
            );
        } else if folder {
            continue;
        } else if top == "__init__.py" {
            cx.report(
                Some(top),
                "an `__init__.py` at the top of the wheel installs into `site-packages` itself; put it in the package folder",
            );
        } else if !MODULE_EXTENSIONS.iter().any(|ext| top.ends_with(ext)) {
            cx.report(
                Some(top),
                format!("`{top}` is not a module but sits at the top of the wheel, so it lands in `site-packages`; move it into the package or the `.dist-info` folder"),
            );
        } else if has_own_package && top.ends_with(".py") && stem.to_lowercase() != own {
            cx.report(
                Some(top),
                format!("top-level module `{stem}` beside the `{own}` package installs as a module of its own; move it into the package or exclude it"),
            );
        }
    }
}
