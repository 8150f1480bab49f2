use std::path::Path;

use toml_edit::Item;

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports an application that is deployed from its repository with no lockfile: no
    /// `uv.lock`, `poetry.lock`, `pdm.lock`, `pylock.toml` or `pylock.*.toml` (PEP 751),
    /// `Pipfile.lock`, nor a `requirements*.txt` (at the root or under `requirements/`)
    /// with `--hash=` pins or written by `pip-compile` or `uv pip compile` (which pin every
    /// transitive dependency).
    ///
    /// A project counts as an application only on evidence that it is run from the
    /// repository rather than installed from an index: a `Dockerfile` or `Containerfile`
    /// at the root, uv's `[tool.uv] package = false`, the classifier
    /// `Private :: Do Not Upload`, or a Django `manage.py` at the root. Console scripts
    /// alone do not count: black, pytest and ruff ship them and are libraries, whose users
    /// resolve the dependencies themselves.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): a deployment is reproducible only when
    /// the exact versions it was tested with are the ones installed. Without a lock, each
    /// image build resolves the ranges of `pyproject.toml` anew, so a release of any
    /// transitive dependency changes what runs in production between two builds of the
    /// same commit, and hashes are what stop a tampered file from being installed.
    ///
    /// ## Example
    /// ```yaml
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["django>=5"]
    ///
    /// [tool.uv]
    /// package = false
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["django>=5"]
    ///
    /// [tool.uv]
    /// package = false
    /// # file: uv.lock
    /// version = 1
    /// ```
    pub static MISSING_LOCKFILE = Rule {
        code: "CI010",
        name: "missing-lockfile",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Ci { run: check },
    };
}

const LOCKFILES: &[&str] = &[
    "uv.lock",
    "poetry.lock",
    "pdm.lock",
    "pylock.toml",
    "Pipfile.lock",
];

const FIX: &str = "commit a lockfile (`uv lock`, `poetry lock`, `pdm lock`, or `pip-compile --generate-hashes` into a requirements file) and install from it";

fn check(cx: &mut CiContext) {
    let root = cx.files.root.clone();
    if is_locked(&root) {
        return;
    }
    // The evidence, most specific first: one finding per project.
    if let Some(file) = cx.pyproject {
        if let Some(table) = file.item(&["tool", "uv"])
            && table.get("package").and_then(Item::as_bool) == Some(false)
        {
            cx.report_toml(
                file,
                file.key_range(table, "package"),
                format!(
                    "`package = false` makes this an application uv deploys from the repository, but no lockfile pins its dependencies; {FIX}"
                ),
            );
            return;
        }
        if let Some(Item::Value(toml_edit::Value::Array(classifiers))) =
            file.item(&["project", "classifiers"])
            && let Some(private) = classifiers.iter().find(|v| {
                v.as_str()
                    .is_some_and(|c| c.trim() == "Private :: Do Not Upload")
            })
        {
            cx.report_toml(
                file,
                file.value_range(private),
                format!(
                    "`Private :: Do Not Upload` marks an application that is never published, but no lockfile pins its dependencies; {FIX}"
                ),
            );
            return;
        }
    }
    for (name, what) in [
        ("Dockerfile", "builds an image of this project"),
        ("Containerfile", "builds an image of this project"),
        ("manage.py", "runs this project as a Django site"),
    ] {
        let path = root.join(name);
        if path.is_file() {
            cx.report_project(
                archlint_project::options::display_path(&path),
                format!("`{name}` {what}, but no lockfile pins its dependencies; {FIX}"),
            );
            return;
        }
    }
}

/// Whether the project root holds a lockfile, or a requirements file that is one: hash
/// pins, or the header `pip-compile` and `uv pip compile` write.
fn is_locked(root: &Path) -> bool {
    if LOCKFILES.iter().any(|name| root.join(name).is_file()) {
        return true;
    }
    let mut requirements = Vec::new();
    for dir in [root.to_path_buf(), root.join("requirements")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("pylock.") && name.ends_with(".toml") {
                return true;
            }
            let in_folder = dir != root;
            if name.ends_with(".txt") && (in_folder || name.starts_with("requirements")) {
                requirements.push(entry.path());
            }
        }
    }
    requirements.iter().any(|path| {
        archlint_source::read::read_source(path, 10 * 1024 * 1024).is_ok_and(|text| {
            text.contains("--hash=")
                || text.contains("autogenerated by pip-compile")
                || text.contains("autogenerated by uv")
        })
    })
}
