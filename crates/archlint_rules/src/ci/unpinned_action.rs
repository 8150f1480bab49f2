use super::{Uses, is_commit_sha, jobs, parse_uses, steps, workflows};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a `uses:` of a GitHub Action or reusable workflow (in a workflow's steps and
    /// jobs, and in a composite action's steps) that is not pinned to a full 40-character
    /// commit SHA: `actions/checkout@v4`, `pypa/gh-action-pypi-publish@release/v1`, or no
    /// `@ref` at all. Local actions (`./…`) are not reported, nor are `docker://` images
    /// (zizmor reports those under `unpinned-images`).
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): a tag or a branch is a pointer the action's
    /// owner, or whoever takes over their account, can move; the next run executes the new
    /// code with the workflow's token and secrets. A commit SHA cannot be moved. Dependabot
    /// and Renovate update SHA pins and keep the version in a comment.
    ///
    /// ## Example
    /// ```yaml
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// permissions: {}
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/setup-python@v5
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// permissions: {}
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0
    /// ```
    pub static UNPINNED_ACTION = Rule {
        code: "CI003",
        name: "unpinned-action",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("zizmor", "unpinned-uses")],
        check: Check::Ci { run: check },
    };
}

fn message(text: &str) -> Option<String> {
    match parse_uses(text) {
        Uses::Local | Uses::Docker(_) | Uses::Invalid => None,
        Uses::Repository { git_ref: None, .. } => Some(format!(
            "`{text}` names no version: it runs whatever the default branch holds; pin it to a full commit SHA"
        )),
        Uses::Repository {
            git_ref: Some(git_ref),
            ..
        } if !is_commit_sha(git_ref) => Some(format!(
            "`{text}` is pinned to `{git_ref}`, which its owner can move; pin it to a full commit SHA (with the version in a comment)"
        )),
        Uses::Repository { .. } => None,
    }
}

fn check(cx: &mut CiContext) {
    for step in steps(cx) {
        if let Some(uses) = step.node.get("uses")
            && let Some(text) = uses.as_str()
            && let Some(message) = message(text)
        {
            cx.report_within(step.file, uses, Some(step.node), message);
        }
    }
    // Reusable workflows called by a job.
    for (file, workflow) in workflows(cx) {
        for job in jobs(workflow) {
            if let Some(uses) = job.body.get("uses")
                && let Some(text) = uses.as_str()
                && let Some(message) = message(text)
            {
                cx.report_within(file, uses, Some(job.body), message);
            }
        }
    }
}
