use archlint_source::yaml::Node;

use archlint_project::ci::CiFile;

use super::{Uses, is_commit_sha, jobs, parse_uses, triggers, uses_action, workflows};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a step that restores a build cache (`actions/cache`, `actions/setup-python`
    /// with `cache:`, `astral-sh/setup-uv` with its cache on, `PyO3/maturin-action` with
    /// `sccache`, and the other setup actions that cache by default) in a job that publishes:
    /// a workflow run on `release`, on pushed tags or on release branches, or a job that uses
    /// a publishing action (`pypa/gh-action-pypi-publish`, `softprops/action-gh-release`, …).
    /// zizmor's `cache-poisoning` audit, for the actions of Python projects (not .NET, PHP
    /// or Docker's); a switch written as a test of the ref (`${{
    /// !startsWith(github.ref, 'refs/tags/') }}`) is read as it is on a release.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): a cache is shared by every workflow of the
    /// repository, including those that run a pull request's code. Whoever writes a poisoned
    /// entry (a tampered wheel, a patched tool) gets it restored into the release build, and
    /// the published artifact carries it. Release builds should start from nothing.
    ///
    /// ## Example
    /// ```yaml
    /// # file: .github/workflows/release.yml
    /// on:
    ///   release:
    ///     types: [published]
    /// jobs:
    ///   build:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/setup-python@v5
    ///         with:
    ///           python-version: "3.12"
    ///           cache: pip
    ///       - run: python -m build
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .github/workflows/release.yml
    /// on:
    ///   release:
    ///     types: [published]
    /// jobs:
    ///   build:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/setup-python@v5
    ///         with:
    ///           python-version: "3.12"
    ///       - run: python -m build
    /// ```
    pub static RELEASE_CACHE_POISONING = Rule {
        code: "CI012",
        name: "release-cache-poisoning",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("zizmor", "cache-poisoning")],
        check: Check::Ci { run: check },
    };
}

/// Actions that publish what the job built.
const PUBLISHERS: &[&str] = &[
    "pypa/gh-action-pypi-publish",
    "softprops/action-gh-release",
    "release-drafter/release-drafter",
    "googleapis/release-please-action",
    "goreleaser/goreleaser-action",
    "rubygems/release-gem",
    "jreleaser/release-action",
];

/// Whether the workflow runs when something is released: `release`, tags pushed, or a push
/// to a release branch.
fn release_trigger(workflow: Node<'_>) -> bool {
    let on = workflow.get("on");
    triggers(workflow).iter().any(|(event, _)| match *event {
        "release" => true,
        "push" => on.and_then(|on| on.get("push")).is_some_and(|push| {
            push.get("tags").is_some()
                || push.get("tags-ignore").is_some()
                || push.get("branches").is_some_and(|branches| {
                    branches
                        .items()
                        .chain(std::iter::once(branches))
                        .filter_map(|b| b.as_str())
                        .any(|b| b.to_ascii_lowercase().contains("release"))
                })
        }),
        _ => false,
    })
}

fn truthy(value: Option<Node<'_>>) -> Option<bool> {
    let text = value?.as_str()?.trim();
    if text.contains("${{") {
        // Decided at run time: what it is on a release (a tag), when it says; else it may
        // be on.
        return Some(on_a_tag(text).unwrap_or(true));
    }
    Some(matches!(text, "true" | "True" | "TRUE"))
}

/// The value of a switch written as a test of the ref, on a run for a tag:
/// `${{ !startsWith(github.ref, 'refs/tags/') }}` is false there.
fn on_a_tag(expression: &str) -> Option<bool> {
    let body: String = expression
        .trim()
        .trim_start_matches("${{")
        .trim_end_matches("}}")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace('"', "'");
    let (negated, test) = match body.strip_prefix('!') {
        Some(rest) => match rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            Some(inner) => (true, inner),
            None => (true, rest),
        },
        None => (false, body.as_str()),
    };
    let value = match test {
        "startsWith(github.ref,'refs/tags/')" | "github.ref_type=='tag'" => true,
        "github.ref_type!='tag'" => false,
        _ => return None,
    };
    Some(value != negated)
}

/// The major version of a `@vN…` ref, when it is one.
fn major(git_ref: Option<&str>) -> Option<u32> {
    let digits: String = git_ref?
        .strip_prefix('v')?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The version a SHA pin names in its comment (`@<sha> # v10.0.0`), as Dependabot and
/// Renovate write it.
fn version_comment<'a>(file: &'a CiFile, uses: Node<'_>) -> Option<&'a str> {
    let end = uses.end().offset.min(file.source.len());
    let line = file.source[end..].lines().next()?;
    let comment = line.split_once('#')?.1.trim();
    comment
        .split_whitespace()
        .next()
        .filter(|word| word.starts_with('v') || word.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether the step restores a cache, and the switch that says so.
fn caches(file: &CiFile, step: Node<'_>) -> Option<&'static str> {
    let uses = step.str_of("uses")?;
    let with = step.get("with");
    let field = |name: &str| with.and_then(|w| w.get(name));
    let non_empty = |name: &str| {
        field(name).is_some_and(|v| {
            v.as_str()
                .is_some_and(|t| !t.trim().is_empty() && t.trim() != "false")
        })
    };
    let git_ref = match parse_uses(uses) {
        Uses::Repository { git_ref, .. } => match git_ref {
            Some(sha) if is_commit_sha(sha) => step
                .get("uses")
                .and_then(|node| version_comment(file, node))
                .map(|v| v.strip_prefix('v').unwrap_or(v))
                .map(|v| format!("v{v}")),
            other => other.map(str::to_string),
        },
        _ => return None,
    };
    let git_ref = git_ref.as_deref();
    if uses_action(uses, "actions/cache") || uses_action(uses, "Swatinem/rust-cache") {
        return (truthy(field("lookup-only")) != Some(true))
            .then_some("it restores and saves a cache");
    }
    if uses_action(uses, "actions/setup-python") || uses_action(uses, "actions/setup-java") {
        return non_empty("cache").then_some("`cache:` is set");
    }
    if uses_action(uses, "actions/setup-go") {
        return (truthy(field("cache")) != Some(false) || field("cache").is_none())
            .then_some("setup-go caches by default");
    }
    if uses_action(uses, "actions/setup-node") {
        let cache = field("cache").and_then(|v| v.as_str()).unwrap_or_default();
        if matches!(cache.trim(), "npm" | "yarn" | "pnpm") {
            return Some("`cache:` is set");
        }
        // From v5 the package manager's cache is on by default; a SHA may be any version.
        let recent = major(git_ref).is_none_or(|m| m >= 5);
        return (recent && truthy(field("package-manager-cache")) != Some(false))
            .then_some("setup-node caches the package manager's files by default from v5");
    }
    if uses_action(uses, "astral-sh/setup-uv") {
        let value = field("enable-cache")
            .and_then(|v| v.as_str())
            .map(str::trim);
        return match value {
            Some("true") => Some("`enable-cache: true`"),
            Some(v) if v.contains("${{") => Some("`enable-cache` is decided at run time"),
            // A SHA may be any version.
            Some("auto") | None if major(git_ref).is_none_or(|m| m < 10) => {
                Some("setup-uv before v10 caches by default on GitHub's runners")
            }
            _ => None,
        };
    }
    if uses_action(uses, "PyO3/maturin-action") {
        return (truthy(field("sccache")) == Some(true)).then_some("`sccache: true`");
    }
    if uses_action(uses, "Mozilla-Actions/sccache-action") {
        return Some("it always restores from the cache");
    }
    None
}

fn check(cx: &mut CiContext) {
    for (file, workflow) in workflows(cx) {
        let released = release_trigger(workflow);
        for job in jobs(workflow) {
            let steps: Vec<Node> = job
                .body
                .get("steps")
                .into_iter()
                .flat_map(|s| s.items())
                .collect();
            let publisher = steps.iter().find_map(|step| {
                let uses = step.str_of("uses")?;
                PUBLISHERS.iter().find(|p| uses_action(uses, p)).copied()
            });
            if !released && publisher.is_none() {
                continue;
            }
            let why = match publisher {
                Some(action) if !released => format!("the job publishes with `{action}`"),
                _ => "the workflow runs on releases".to_string(),
            };
            for step in steps {
                let Some(how) = caches(file, step) else {
                    continue;
                };
                let Some(uses) = step.get("uses") else {
                    continue;
                };
                cx.report_within(
                    file,
                    uses,
                    Some(step),
                    format!(
                        "`{}` restores a cache ({how}) and {why}: a cache entry written by any other workflow, a pull request's included, goes into the release; build releases without caches",
                        uses.as_str().unwrap_or_default()
                    ),
                );
            }
        }
    }
}
