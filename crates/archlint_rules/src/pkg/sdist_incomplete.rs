use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a source distribution that lacks what a build from it needs: exactly one
    /// top-level folder `{name}-{version}/` holding everything, `PKG-INFO`, `pyproject.toml`
    /// (or a legacy `setup.py`), a README, and the license files (those named by
    /// `License-File`, else a `LICENSE`, `LICENCE`, `COPYING` or `NOTICE` file).
    ///
    /// ## Why it matters
    /// Guide §7 (`PackageBuilder.verify_distributions` checks the sdist for `pyproject.toml`,
    /// `README.md` and `LICENSE`): downstream packagers build from the sdist, and one without
    /// its license cannot be redistributed.
    ///
    /// ## Example
    /// ```archive
    /// # archive: demo-1.0.tar.gz
    /// # bare
    /// # file: demo-1.0/PKG-INFO
    /// Metadata-Version: 2.1
    /// Name: demo
    /// Version: 1.0
    /// # file: demo-1.0/demo/__init__.py
    /// ```
    ///
    /// ## Use instead
    /// ```archive
    /// # archive: demo-1.0.tar.gz
    /// # file: demo-1.0/demo/__init__.py
    /// ```
    pub static SDIST_INCOMPLETE = Rule {
        code: "PKG016",
        name: "sdist-incomplete",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("check-manifest", "missing"), Peer::related("twine", "check")],
        check: Check::Distribution { run: check },
    };
}

fn check(cx: &mut DistributionContext) {
    let dist = cx.dist;
    if dist.is_wheel() || dist.archive.members.is_empty() {
        return;
    }
    let expected = match &dist.sdist_name {
        Some(Ok(name)) => name.folder(),
        _ => return, // the file name itself is PKG015's
    };
    let Some(root) = &dist.sdist_root else {
        let tops = archlint_dist::sdist::top_level(&dist.archive);
        cx.report(
            None,
            format!(
                "`{}` has {} top-level entries; put everything in one folder `{expected}/`",
                dist.file_name,
                tops.len()
            ),
        );
        return;
    };
    if *root != expected {
        cx.report(
            Some(root),
            format!("the top-level folder is not `{expected}/` as the file name says; rebuild with the project's name and version"),
        );
    }
    let at_root = |pred: &dyn Fn(&str) -> bool| {
        dist.archive.members.iter().any(|m| {
            m.name
                .strip_prefix(root.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rest| !rest.contains('/') && pred(rest))
        })
    };
    if !at_root(&|f| f == "PKG-INFO") {
        cx.report(None, format!("`{root}/PKG-INFO` is missing; build the sdist with a standard backend (`python -m build --sdist`)"));
    }
    if !at_root(&|f| f == "pyproject.toml" || f == "setup.py") {
        cx.report(None, format!("`{root}/` has neither `pyproject.toml` nor `setup.py`, so it cannot be built; include `pyproject.toml`"));
    }
    if !at_root(&|f| f.to_ascii_lowercase().starts_with("readme")) {
        cx.report(
            None,
            format!("`{root}/` has no README; include the file `readme` in `[project]` names"),
        );
    }
    let declared: Vec<&str> = dist
        .metadata
        .as_ref()
        .map(|(_, m)| m.get_all("License-File").collect())
        .unwrap_or_default();
    if declared.is_empty() {
        let license = |f: &str| {
            let f = f.to_ascii_uppercase();
            ["LICENSE", "LICENCE", "COPYING", "NOTICE"]
                .iter()
                .any(|p| f.starts_with(p))
        };
        let in_folder = dist.archive.members.iter().any(|m| {
            m.name
                .strip_prefix(root.as_str())
                .is_some_and(|rest| rest.split('/').any(license))
        });
        if !in_folder {
            cx.report(
                None,
                format!(
                    "`{root}/` has no license file; include it (`license-files` in `[project]`)"
                ),
            );
        }
    } else {
        for file in declared {
            let path = format!("{root}/{file}");
            if dist.archive.member(&path).is_none() {
                cx.report(
                    Some(&path),
                    "is named by `License-File` but missing from the sdist; include it",
                );
            }
        }
    }
}
