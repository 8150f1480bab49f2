use super::{grants_id_token, run_commands, steps, uses_action};
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
            let words: Vec<&str> = command.split_whitespace().collect();
            if let Some(tool) = publishes(&words) {
                // Point at the command's first word in the file.
                let needle = words.first().copied().unwrap_or_default();
                let at = script.offset_of(needle).unwrap_or(script.raw_start);
                cx.report_range_within(
                    step.file,
                    at,
                    at + needle.len(),
                    Some(step.node),
                    format!(
                        "`{tool}` publishes with a long-lived token; use trusted publishing (`pypa/gh-action-pypi-publish` with `permissions: id-token: write`)"
                    ),
                );
            }
        }
    }
}
