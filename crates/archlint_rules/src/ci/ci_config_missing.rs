use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a project (a `pyproject.toml` with `[project]`) that has no CI configuration
    /// at all: no GitHub Actions workflow, no `.gitlab-ci.yml`, `azure-pipelines.yml`,
    /// `.circleci/config.yml`, `Jenkinsfile`, `.travis.yml` or another CI system's file.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): tests, linters and the checks archlint
    /// makes only protect a project when something runs them on every change; without CI a
    /// change that breaks the supported Pythons or the build is found by its users.
    ///
    /// ## Example
    /// ```yaml
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// # file: .github/workflows/ci.yml
    /// on: [push, pull_request]
    /// permissions:
    ///   contents: read
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: pytest
    /// ```
    pub static CI_CONFIG_MISSING = Rule {
        code: "CI001",
        name: "ci-config-missing",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Ci { run: check },
    };
}

fn check(cx: &mut CiContext) {
    let Some(pyproject) = cx.pyproject else {
        return;
    };
    if pyproject.item(&["project"]).is_none() || cx.files.has_any_ci() {
        return;
    }
    cx.report_project(
        pyproject.path.clone(),
        "`pyproject.toml` describes a project, but no CI configuration runs its checks: add a workflow under `.github/workflows/` (or your CI system's file) that runs the tests on the supported Pythons",
    );
}
