use super::{jobs, triggers, workflows};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a workflow whose jobs run with the default `GITHUB_TOKEN` permissions (no
    /// `permissions:` at the top and none on the job), and `permissions: write-all` or
    /// `read-all` at either level, and a `write` permission granted at the top, to every
    /// job. Which jobs a workflow-level finding covers follows zizmor: with one job, or when
    /// every job sets its own permissions, only the jobs are reported.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): the default token of many repositories (and
    /// of every one created before 2023) can write contents, packages, issues and pull
    /// requests. A step that is compromised (a poisoned dependency, an injected script)
    /// inherits all of it. Declaring `permissions:` per job grants each only what it uses.
    ///
    /// ## Example
    /// ```yaml
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: pytest
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// permissions:
    ///   contents: read
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: pytest
    /// ```
    pub static UNBOUNDED_TOKEN_PERMISSIONS = Rule {
        code: "CI004",
        name: "unbounded-token-permissions",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("zizmor", "excessive-permissions")],
        check: Check::Ci { run: check },
    };
}

fn check(cx: &mut CiContext) {
    for (file, workflow) in workflows(cx) {
        let jobs = jobs(workflow);
        let top = workflow.get("permissions");
        let all_jobs_set = jobs.iter().all(|job| job.body.get("permissions").is_some());
        let events = triggers(workflow);
        let reusable_only = events.len() == 1 && events[0].0 == "workflow_call";
        // The workflow-level finding is for a workflow with several jobs that do not all
        // set their own permissions.
        let report_top = jobs.len() > 1 && !all_jobs_set && !reusable_only;
        match top {
            None => {
                if report_top {
                    let at = workflow.entries().next().map_or(workflow, |(key, _)| key);
                    cx.report(
                        file,
                        at,
                        format!(
                            "`{}` sets no `permissions:`, so its jobs get the repository's default token, which may write; add `permissions: {{}}` (or `contents: read`) at the top and grant each job what it needs",
                            file.path.file_name().unwrap_or_default().to_string_lossy()
                        ),
                    );
                }
            }
            Some(permissions) => {
                if let Some(base) = permissions.as_str() {
                    if matches!(base, "write-all" | "read-all") && report_top {
                        cx.report(
                            file,
                            permissions,
                            format!(
                                "`permissions: {base}` grants every scope to every job; list only the scopes the jobs use"
                            ),
                        );
                    }
                } else if report_top {
                    for (key, value) in permissions.entries() {
                        if value.as_str() == Some("write") {
                            let scope = key.as_str().unwrap_or_default();
                            cx.report(
                                file,
                                value,
                                format!(
                                    "`{scope}: write` at the workflow level is granted to every job; grant it on the job that needs it"
                                ),
                            );
                        }
                    }
                }
            }
        }
        for job in jobs {
            let id = job.key.as_str().unwrap_or_default();
            match job.body.get("permissions") {
                None if top.is_none() && !(reusable_only && job.body.get("uses").is_none()) => {
                    cx.report_within(
                        file,
                        job.key,
                        Some(job.body),
                        format!(
                            "job `{id}` runs with the repository's default token permissions, which may write; give it a `permissions:` block with only what it uses"
                        ),
                    );
                }
                Some(permissions) => {
                    if let Some(base @ ("write-all" | "read-all")) = permissions.as_str() {
                        cx.report_within(
                            file,
                            permissions,
                            Some(job.body),
                            format!(
                                "job `{id}` has `permissions: {base}`, every scope; list only the scopes it uses"
                            ),
                        );
                    }
                }
                None => {}
            }
        }
    }
}
