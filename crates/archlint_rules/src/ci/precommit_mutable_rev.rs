use archlint_project::ci::CiKind;

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a repository of `.pre-commit-config.yaml` whose `rev:` is a moving reference
    /// (a branch such as `main`, or a tag without a dot such as `stable`), by pre-commit's own
    /// test: a `rev` with no `.` that is not a hexadecimal commit id. A remote repository with
    /// no `rev:` at all, which pre-commit refuses, is reported too. `repo: local` and `repo:
    /// meta` take no `rev`.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): the checks a team runs must be the same on
    /// every machine and in CI. pre-commit installs a hook once per `rev` and never updates a
    /// moving one, so each developer runs the hook as the branch was when they first
    /// installed it; pre-commit warns that such references are not supported. A tag or a
    /// commit id is what `pre-commit autoupdate` writes and what CI can reproduce.
    ///
    /// ## Example
    /// ```yaml
    /// # file: .pre-commit-config.yaml
    /// repos:
    ///   - repo: https://github.com/astral-sh/ruff-pre-commit
    ///     rev: main
    ///     hooks:
    ///       - id: ruff
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .pre-commit-config.yaml
    /// repos:
    ///   - repo: https://github.com/astral-sh/ruff-pre-commit
    ///     rev: v0.9.1
    ///     hooks:
    ///       - id: ruff
    /// ```
    pub static PRECOMMIT_MUTABLE_REV = Rule {
        code: "CI013",
        name: "precommit-mutable-rev",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        // pre-commit's own test; no finding among the 58 `rev:` of bench/ci's checkouts.
        default_enabled: true,
        peers: &[Peer::same("pre-commit", "mutable-rev-warning")],
        check: Check::Ci { run: check },
    };
}

/// pre-commit's test of a moving reference: no `.`, and not a (possibly short) commit id.
fn is_mutable(rev: &str) -> bool {
    let commit = !rev.is_empty() && rev.bytes().all(|b| b.is_ascii_hexdigit());
    !rev.contains('.') && !commit
}

fn check(cx: &mut CiContext) {
    let files = cx.files;
    for file in files.of(CiKind::PreCommit) {
        let Some(repos) = file.root().and_then(|root| root.get("repos")) else {
            continue;
        };
        for repo in repos.items().filter(|item| item.is_mapping()) {
            let Some(url) = repo.str_of("repo") else {
                continue;
            };
            if matches!(url, "local" | "meta") {
                continue;
            }
            match repo.entry("rev") {
                None => cx.report(
                    file,
                    repo,
                    format!(
                        "`{url}` has no `rev:`, which pre-commit refuses; pin it to a tag or a commit (`pre-commit autoupdate` writes one)"
                    ),
                ),
                Some((_, value)) => {
                    let rev = value.as_str().unwrap_or_default();
                    if is_mutable(rev) {
                        cx.report(
                            file,
                            value,
                            format!(
                                "`rev: {rev}` of `{url}` is a moving reference: pre-commit installs it once and never updates it, so every machine may run another version; pin a tag or a commit (`pre-commit autoupdate` writes one)"
                            ),
                        );
                    }
                }
            }
        }
    }
}
