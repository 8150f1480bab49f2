use std::str::FromStr;

use crate::prelude::*;
use archlint_project::distribution_name;

rule! {
    /// ## What it does
    /// Flags a distribution built inside a project whose metadata no longer says what the
    /// project's `pyproject.toml` says: another name, version, `requires-python` or set of
    /// `dependencies` (fields listed in `dynamic` are not compared). Runs only on
    /// distributions inside the project's folder (its `dist/`), never on downloaded ones.
    ///
    /// ## Why it matters
    /// Guide §7 (`pyproject.toml` is the single source of metadata): a stale wheel left in
    /// `dist/` after a version bump or a dependency change gets published with the old
    /// metadata, and the release does not contain what its tag says.
    ///
    /// ## Example
    /// ```archive
    /// # file: pyproject.toml
    /// [project]
    /// name = "demo"
    /// version = "1.1"
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo/__init__.py
    /// ```
    ///
    /// ## Use instead
    /// ```archive
    /// # file: pyproject.toml
    /// [project]
    /// name = "demo"
    /// version = "1.1"
    /// # archive: demo-1.1-py3-none-any.whl
    /// # file: demo/__init__.py
    /// ```
    pub static DISTRIBUTION_METADATA_MISMATCH = Rule {
        code: "PKG018",
        name: "distribution-metadata-mismatch",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Distribution { run: check },
    };
}

fn check(cx: &mut DistributionContext) {
    let (Some(project), Some((member, metadata))) = (cx.project, &cx.dist.metadata) else {
        return;
    };
    // Named, not placed: the distribution is what the finding is about.
    let pyproject = "pyproject.toml";
    if let (Some(wanted), Some(built)) = (&project.name, metadata.get("Name"))
        && distribution_name::normalize(wanted) != distribution_name::normalize(built)
    {
        cx.report(Some(member), format!("`Name: {built}` but `{pyproject}` says `{wanted}`; rebuild, or remove the other project's distribution"));
        return; // another project's distribution: nothing else compares
    }
    if !project.is_dynamic("version")
        && let (Some(wanted), Some(built)) = (&project.version, metadata.get("Version"))
    {
        let same = match (
            pep440_rs::Version::from_str(wanted),
            pep440_rs::Version::from_str(built),
        ) {
            (Ok(a), Ok(b)) => a == b,
            _ => wanted == built,
        };
        if !same {
            cx.report(Some(member), format!("`Version: {built}` but `{pyproject}` says `{wanted}`; rebuild the distributions after changing the version"));
        }
    }
    if !project.is_dynamic("requires-python")
        && let Some(wanted) = &project.requires_python
    {
        let canonical = |s: &str| {
            pep440_rs::VersionSpecifiers::from_str(s)
                .map(|v| {
                    let mut parts: Vec<String> = v.iter().map(ToString::to_string).collect();
                    parts.sort();
                    parts
                })
                .ok()
        };
        let built = metadata.get("Requires-Python");
        if built.map(canonical) != Some(canonical(wanted)) {
            cx.report(Some(member), format!("`Requires-Python: {}` but `{pyproject}` says `{wanted}`; rebuild the distributions", built.unwrap_or("(none)")));
        }
    }
    if !project.is_dynamic("dependencies")
        && let Some(wanted) = &project.dependencies
    {
        let canonical = |s: &str| {
            archlint_project::requirement::parse(s)
                .map(|r| r.to_string())
                .unwrap_or_else(|_| s.to_string())
        };
        let mut wanted: Vec<String> = wanted.iter().map(|s| canonical(s)).collect();
        let mut built: Vec<String> = metadata
            .get_all("Requires-Dist")
            .filter(|r| {
                !r.split_once(';')
                    .is_some_and(|(_, marker)| marker.contains("extra"))
            })
            .map(canonical)
            .collect();
        wanted.sort();
        built.sort();
        let missing: Vec<&String> = wanted.iter().filter(|w| !built.contains(w)).collect();
        let extra: Vec<&String> = built.iter().filter(|b| !wanted.contains(b)).collect();
        for requirement in missing {
            cx.report(Some(member), format!("`{pyproject}` requires `{requirement}` but the distribution does not; rebuild the distributions"));
        }
        for requirement in extra {
            cx.report(Some(member), format!("requires `{requirement}`, which `{pyproject}` no longer lists; rebuild the distributions"));
        }
    }
}
