use archlint_project::ci::CiKind;

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports an update of `.github/dependabot.yml` with `insecure-external-code-execution:
    /// allow`, as zizmor's `dependabot-execution` audit does.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): dependency updates are part of the supply
    /// chain. With `allow`, Dependabot lets the package manager run code from the packages it
    /// updates (a `setup.py`, a build backend) while it resolves the update, with access to
    /// the registries' credentials Dependabot was given: one malicious release of one
    /// dependency reads them. Python projects that need it are rare; a lock file that
    /// resolves without building sdists needs nothing to run.
    ///
    /// ## Example
    /// ```yaml
    /// # file: .github/dependabot.yml
    /// version: 2
    /// updates:
    ///   - package-ecosystem: pip
    ///     directory: /
    ///     schedule:
    ///       interval: weekly
    ///     insecure-external-code-execution: allow
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .github/dependabot.yml
    /// version: 2
    /// updates:
    ///   - package-ecosystem: pip
    ///     directory: /
    ///     schedule:
    ///       interval: weekly
    /// ```
    pub static DEPENDABOT_CODE_EXECUTION = Rule {
        code: "CI014",
        name: "dependabot-code-execution",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("zizmor", "dependabot-execution")],
        check: Check::Ci { run: check },
    };
}

fn check(cx: &mut CiContext) {
    let files = cx.files;
    for file in files.of(CiKind::Dependabot) {
        let Some(updates) = file.root().and_then(|root| root.get("updates")) else {
            continue;
        };
        for update in updates.items() {
            let Some((key, value)) = update.entry("insecure-external-code-execution") else {
                continue;
            };
            if value.as_str().is_some_and(|v| v.trim() == "allow") {
                let ecosystem = update
                    .str_of("package-ecosystem")
                    .unwrap_or("its ecosystem");
                cx.report_within(
                    file,
                    key,
                    Some(update),
                    format!(
                        "Dependabot's `{ecosystem}` updates may run the updated packages' code with the registry credentials; remove `insecure-external-code-execution: allow` (or set `deny`)"
                    ),
                );
            }
        }
    }
}
