use archlint_source::yaml::Node;

use super::{expressions, flowing_contexts, jobs, on_key, triggers, uses_action, workflows};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a workflow triggered by `pull_request_target` or `workflow_run` (which run
    /// with the base repository's token and secrets, even for a pull request from a fork)
    /// that checks out the untrusted code: an `actions/checkout` whose `ref:` is the pull
    /// request's head (`github.event.pull_request.head.sha`/`.ref`, `github.head_ref`,
    /// `refs/pull/…`) or the triggering run's head (`github.event.workflow_run.head_sha`/
    /// `head_branch`), or a `run:` that fetches or checks out one of those (`git checkout`,
    /// `git fetch`, `gh pr checkout`). The finding is on the `on:` key, as zizmor places it,
    /// and names the checkout.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): the pull request's author controls the code
    /// that is checked out; building, installing or testing it (`pip install .` runs its
    /// build backend, `pytest` its `conftest.py`) runs their code with write access to the
    /// repository and its secrets ("pwn request").
    ///
    /// ## Example
    /// ```yaml
    /// # file: .github/workflows/pr.yml
    /// on: pull_request_target
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///         with:
    ///           ref: ${{ github.event.pull_request.head.sha }}
    ///       - run: pip install . && pytest
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .github/workflows/pr.yml
    /// on: pull_request
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: pip install . && pytest
    /// ```
    pub static DANGEROUS_WORKFLOW_TRIGGER = Rule {
        code: "CI006",
        name: "dangerous-workflow-trigger",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("zizmor", "dangerous-triggers")],
        check: Check::Ci { run: check },
    };
}

/// Whether an expression names the untrusted head of the pull request or triggering run.
fn names_untrusted_head(body: &str) -> bool {
    flowing_contexts(body).iter().any(|c| {
        let name = c.name.to_ascii_lowercase();
        name.starts_with("github.event.pull_request.head.")
            || name == "github.head_ref"
            || name.starts_with("github.event.workflow_run.head_")
            || name.starts_with("github.event.workflow_run.pull_requests")
    })
}

/// The first step of the workflow that checks out untrusted code, as `(line, what)`.
fn untrusted_checkout(
    file: &archlint_project::ci::CiFile,
    workflow: Node<'_>,
) -> Option<(usize, String)> {
    for job in jobs(workflow) {
        for step in job.body.get("steps").into_iter().flat_map(|s| s.items()) {
            if let Some(uses) = step.str_of("uses")
                && uses_action(uses, "actions/checkout")
                && let Some(git_ref) = step.get("with").and_then(|w| w.get("ref"))
            {
                let text = git_ref.as_str().unwrap_or_default();
                if text.contains("refs/pull/")
                    || expressions(file, git_ref)
                        .iter()
                        .any(|e| names_untrusted_head(e.body))
                {
                    return Some((git_ref.start().line, format!("`ref: {}`", text.trim())));
                }
            }
            if let Some(run) = step.get("run") {
                let script = run.as_str().unwrap_or_default();
                let fetches = ["git checkout", "git fetch", "git switch", "gh pr checkout"]
                    .iter()
                    .any(|cmd| script.contains(cmd));
                if fetches
                    && (script.contains("refs/pull/")
                        || expressions(file, run)
                            .iter()
                            .any(|e| names_untrusted_head(e.body)))
                {
                    return Some((run.start().line, "a `run:` step".to_string()));
                }
            }
        }
    }
    None
}

fn check(cx: &mut CiContext) {
    for (file, workflow) in workflows(cx) {
        let dangerous: Vec<&str> = triggers(workflow)
            .into_iter()
            .map(|(event, _)| event)
            .filter(|event| matches!(*event, "pull_request_target" | "workflow_run"))
            .collect();
        let Some(event) = dangerous.first() else {
            continue;
        };
        let Some((line, what)) = untrusted_checkout(file, workflow) else {
            continue;
        };
        let Some(on) = on_key(workflow) else {
            continue;
        };
        cx.report(
            file,
            on,
            format!(
                "`{event}` runs with the repository's token and secrets, and {what} (line {line}) checks out the untrusted code it was triggered by; use `pull_request`, or never build or run the checked-out code here"
            ),
        );
    }
}
