use archlint_project::ci::CiFile;
use archlint_source::yaml::Node;

use super::{
    GitlabJob, RunCommands, gitlab_jobs, gitlab_scripts, grants_id_token, run_commands, steps,
    uses_action,
};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports publishing to PyPI with a long-lived token: `pypa/gh-action-pypi-publish`
    /// given a `password:` (for PyPI or TestPyPI), and, in a job that cannot use trusted
    /// publishing (no `id-token: write`), a `run:` that uploads with `twine upload`,
    /// `uv publish`, `poetry publish`, `hatch publish`, `pdm publish` or `flit publish`, or
    /// hands a secret to one of them through its environment (`TWINE_PASSWORD`,
    /// `UV_PUBLISH_TOKEN`, `POETRY_PYPI_TOKEN_PYPI`, `FLIT_PASSWORD`, `HATCH_INDEX_AUTH`,
    /// `PDM_PUBLISH_PASSWORD`), even when the upload happens in a script the workflow runs.
    /// In `.gitlab-ci.yml`, the same uploads and variables in a job that has no `id_tokens:`
    /// (itself, through `extends:` or `default:`); uploads to another registry (GitLab's own
    /// package registry with `CI_JOB_TOKEN`, a `--repository-url` that is not PyPI's) are
    /// not reported.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD) publishes with trusted publishing: PyPI
    /// trusts the workflow's OpenID Connect identity and issues a token that lives for
    /// minutes. An API token in a secret lives until someone revokes it, and whoever reads it
    /// (a compromised step, a leaked log) can publish any version of the package.
    ///
    /// ## Example
    /// ```yaml
    /// # file: .github/workflows/release.yml
    /// on:
    ///   release:
    ///     types: [published]
    /// jobs:
    ///   publish:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: pypa/gh-action-pypi-publish@release/v1
    ///         with:
    ///           password: ${{ secrets.PYPI_API_TOKEN }}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .github/workflows/release.yml
    /// on:
    ///   release:
    ///     types: [published]
    /// jobs:
    ///   publish:
    ///     runs-on: ubuntu-latest
    ///     environment: pypi
    ///     permissions:
    ///       id-token: write
    ///     steps:
    ///       - uses: pypa/gh-action-pypi-publish@release/v1
    /// ```
    pub static LONG_LIVED_PUBLISH_TOKEN = Rule {
        code: "CI007",
        name: "long-lived-publish-token",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("zizmor", "use-trusted-publishing")],
        check: Check::Ci { run: check },
    };
}

/// Whether one shell command (its words) uploads a Python distribution.
fn publishes(words: &[&str]) -> Option<&'static str> {
    let has = |w: &str| words.contains(&w);
    let dry = has("--dry-run");
    let first = *words.first()?;
    let twine = words
        .iter()
        .any(|w| *w == "twine" || w.starts_with("twine@") || w.starts_with("twine=="));
    match first {
        "twine" if has("upload") => Some("twine upload"),
        "uv" if has("publish") && !dry => Some("uv publish"),
        "uv" | "uvx" | "pipx" if twine && has("upload") => Some("twine upload"),
        "uvx" if words.get(1).is_some_and(|w| w.starts_with("twine")) && has("upload") => {
            Some("twine upload")
        }
        "poetry" if has("publish") && !dry => Some("poetry publish"),
        "hatch" if has("publish") => Some("hatch publish"),
        "pdm" if has("publish") => Some("pdm publish"),
        "flit" if has("publish") => Some("flit publish"),
        python if python.starts_with("python") && has("-m") && twine && has("upload") => {
            Some("twine upload")
        }
        _ => None,
    }
}

/// The environment variables the Python publishing tools read a token from.
const TOKEN_VARIABLES: &[&str] = &[
    "TWINE_PASSWORD",
    "UV_PUBLISH_TOKEN",
    "UV_PUBLISH_PASSWORD",
    "POETRY_PYPI_TOKEN_PYPI",
    "FLIT_PASSWORD",
    "HATCH_INDEX_AUTH",
    "PDM_PUBLISH_PASSWORD",
];

fn check(cx: &mut CiContext) {
    check_gitlab(cx);
    for step in steps(cx) {
        // A publishing token handed over through the environment, whatever runs the upload.
        if let Some(env) = step.node.get("env") {
            for (key, value) in env.entries() {
                let name = key.as_str().unwrap_or_default();
                if TOKEN_VARIABLES.contains(&name)
                    && value.as_str().is_some_and(|v| v.contains("secrets."))
                {
                    cx.report_within(
                        step.file,
                        key,
                        Some(step.node),
                        format!(
                            "`{name}` hands a long-lived PyPI token to the step; use trusted publishing (`pypa/gh-action-pypi-publish` with `permissions: id-token: write`)"
                        ),
                    );
                }
            }
        }
        if let Some(uses) = step.node.str_of("uses")
            && uses_action(uses, "pypa/gh-action-pypi-publish")
            && let Some(with) = step.node.get("with")
            && let Some(password) = with.get("password")
        {
            let index = with
                .str_of("repository-url")
                .or_else(|| with.str_of("repository_url"));
            let pypi = index.is_none_or(|url| {
                matches!(
                    url.trim(),
                    "https://upload.pypi.org/legacy/" | "https://test.pypi.org/legacy/"
                )
            });
            if pypi {
                cx.report_within(
                    step.file,
                    password,
                    Some(step.node),
                    format!(
                        "`{uses}` publishes with a long-lived API token; configure trusted publishing on PyPI, give the job `permissions: id-token: write` and drop `password:`"
                    ),
                );
            }
            continue;
        }
        // `run:` publishing is judged only in workflows, where the token's permissions show.
        let (Some(job), Some(workflow), Some(script)) =
            (step.job, step.workflow, run_commands(&step))
        else {
            continue;
        };
        let id_token = match job.body.get("permissions") {
            Some(permissions) => grants_id_token(Some(permissions)),
            None => grants_id_token(workflow.get("permissions")),
        };
        if id_token {
            continue;
        }
        for command in &script.commands {
            let (_, words) = assignments_and_words(command);
            if let Some(tool) = publishes(&words) {
                report_upload(
                    cx,
                    (step.file, step.node),
                    &script,
                    &words,
                    format!(
                        "`{tool}` publishes with a long-lived token; use trusted publishing (`pypa/gh-action-pypi-publish` with `permissions: id-token: write`)"
                    ),
                );
            }
        }
    }
}

const GITLAB_ADVICE: &str =
    "use PyPI's trusted publishing for GitLab CI/CD (an `id_tokens:` entry with `aud: pypi`)";

/// The uploads of `.gitlab-ci.yml` jobs that cannot use trusted publishing, and the token
/// variables handed to those jobs (their own, or the file's global `variables:`).
fn check_gitlab(cx: &mut CiContext) {
    let jobs = gitlab_jobs(cx);
    let default_tokens = jobs
        .iter()
        .any(|job| job.is_default() && job.body.get("id_tokens").is_some());
    let mut reported_globals = Vec::new();
    for job in &jobs {
        if job.is_default() || default_tokens || has_id_tokens(job, &jobs) {
            continue;
        }
        let global = job.file.root().and_then(|root| root.get("variables"));
        let variables: Vec<(Node, Node)> = global
            .iter()
            .chain(job.body.get("variables").iter())
            .flat_map(Node::entries)
            .collect();
        // Variables set later (the job's) win over the file's.
        let variable = |name: &str| {
            variables
                .iter()
                .rev()
                .find(|(key, _)| key.as_str() == Some(name))
                .and_then(|(_, value)| value.as_str())
        };
        let elsewhere_by_variables = REGISTRY_VARIABLES
            .iter()
            .find_map(|name| variable(name))
            .is_some_and(|registry| !is_pypi(registry))
            || TOKEN_VARIABLES
                .iter()
                .any(|name| variable(name).is_some_and(|v| v.contains("CI_JOB_TOKEN")));
        let mut publishes_to_pypi = false;
        for script in gitlab_scripts(job) {
            for command in &script.commands {
                let (inline, words) = assignments_and_words(command);
                let Some(tool) = publishes(&words) else {
                    continue;
                };
                let elsewhere_inline = inline.iter().any(|assignment| {
                    let (name, value) = assignment.split_once('=').unwrap_or_default();
                    value.contains("CI_JOB_TOKEN")
                        || (REGISTRY_VARIABLES.contains(&name) && !is_pypi(value))
                });
                if elsewhere_by_variables || elsewhere_inline || to_another_registry(&words) {
                    continue;
                }
                publishes_to_pypi = true;
                report_upload(
                    cx,
                    (job.file, job.body),
                    &script,
                    &words,
                    format!("`{tool}` publishes with a long-lived token; {GITLAB_ADVICE}"),
                );
            }
        }
        if !publishes_to_pypi {
            continue;
        }
        for (key, value) in &variables {
            let name = key.as_str().unwrap_or_default();
            let at = key.start().offset;
            let global_key =
                global.is_some_and(|g| g.entries().any(|(k, _)| k.start().offset == at));
            if !TOKEN_VARIABLES.contains(&name)
                || !value.as_str().is_some_and(|v| v.contains('$'))
                || (global_key && reported_globals.contains(&at))
            {
                continue;
            }
            if global_key {
                reported_globals.push(at);
            }
            cx.report_within(
                job.file,
                *key,
                Some(if global_key { *key } else { job.body }),
                format!("`{name}` hands a long-lived PyPI token to the job; {GITLAB_ADVICE}"),
            );
        }
    }
}

/// The variables that send an upload to another registry than the default one.
const REGISTRY_VARIABLES: &[&str] = &["TWINE_REPOSITORY_URL", "TWINE_REPOSITORY", "UV_PUBLISH_URL"];

/// A command's leading `NAME=value` assignments and its words after them
/// (`TWINE_PASSWORD=… twine upload …` runs `twine`).
fn assignments_and_words(command: &str) -> (Vec<&str>, Vec<&str>) {
    let mut all: Vec<&str> = command.split_whitespace().collect();
    let assignments = all.iter().take_while(|word| is_assignment(word)).count();
    let words = all.split_off(assignments);
    (all, words)
}

/// Reports an upload at its command's first word in the script, held by a step or a job.
fn report_upload(
    cx: &mut CiContext,
    (file, holder): (&CiFile, Node<'_>),
    script: &RunCommands,
    words: &[&str],
    message: String,
) {
    let needle = words.first().copied().unwrap_or_default();
    let at = script.offset_of(needle).unwrap_or(script.raw_start);
    cx.report_range_within(file, at, at + needle.len(), Some(holder), message);
}

/// `NAME=value`: a shell assignment before a command.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit()
    })
}

/// Whether a registry (a URL, or a name in `.pypirc`) is PyPI or TestPyPI.
fn is_pypi(registry: &str) -> bool {
    let registry = registry.trim_matches(['"', '\'']);
    registry.contains("pypi.org") || matches!(registry, "pypi" | "testpypi")
}

/// Whether a GitLab job gets an OIDC token: its own `id_tokens:`, one of a job it `extends:`
/// (by name, one level), or, for a hidden template, one of a job extending it.
fn has_id_tokens(job: &GitlabJob, jobs: &[GitlabJob]) -> bool {
    let tokens = |job: &GitlabJob| job.body.get("id_tokens").is_some();
    let extends = |job: &GitlabJob| -> Vec<String> {
        match job.body.get("extends") {
            Some(node) if node.is_sequence() => node
                .items()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect(),
            Some(node) => node.as_str().map(str::to_string).into_iter().collect(),
            None => Vec::new(),
        }
    };
    let name = job.key.as_str().unwrap_or_default();
    tokens(job)
        || extends(job).iter().any(|parent| {
            jobs.iter()
                .any(|other| other.key.as_str() == Some(parent.as_str()) && tokens(other))
        })
        || jobs
            .iter()
            .any(|other| tokens(other) && extends(other).iter().any(|parent| parent == name))
}

/// Whether an upload names a registry other than PyPI or TestPyPI.
fn to_another_registry(words: &[&str]) -> bool {
    words.iter().enumerate().any(|(index, word)| {
        let (option, inline) = match word.split_once('=') {
            Some((option, value)) => (option, Some(value)),
            None => (*word, None),
        };
        let named = matches!(
            option,
            "--repository-url" | "--repository" | "-r" | "--publish-url" | "--index" | "--repo"
        );
        let Some(value) = inline
            .or_else(|| words.get(index + 1).copied())
            .filter(|_| named)
        else {
            return false;
        };
        !is_pypi(value)
    })
}
