use super::{steps, uses_action};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports an `actions/checkout` step that does not set `persist-credentials: false`.
    /// Checkout then writes the job's token into the clone's `.git/config` (v6 and later: a
    /// file under `$RUNNER_TEMP` that the config points to), where every later step, and any
    /// artifact uploaded from the workspace, can read it. An explicit `persist-credentials:
    /// true` is taken as meant and not reported, nor is a value computed by an expression.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): a CI job should hold only the credentials
    /// it needs, for as long as it needs them. A persisted token outlives the checkout: a
    /// step running third-party code (a test suite, a build backend, an action) can push
    /// with it, and `actions/upload-artifact` of the workspace publishes it ("ArtiPACKED").
    ///
    /// ## Example
    /// ```yaml
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///         with:
    ///           persist-credentials: false
    /// ```
    pub static PERSISTED_CHECKOUT_CREDENTIALS = Rule {
        code: "CI011",
        name: "persisted-checkout-credentials",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("zizmor", "artipacked")],
        check: Check::Ci { run: check },
    };
}

fn check(cx: &mut CiContext) {
    for step in steps(cx) {
        let Some(uses) = step.node.str_of("uses") else {
            continue;
        };
        if !uses_action(uses, "actions/checkout") {
            continue;
        }
        let with = step.node.get("with");
        // `with:` computed by an expression cannot be read.
        if with.is_some_and(|w| w.as_str().is_some_and(|t| t.contains("${{"))) {
            continue;
        }
        if let Some(value) = with.and_then(|w| w.get("persist-credentials")) {
            let text = value.as_str().unwrap_or_default().trim();
            if text == "false" || text == "true" || text.contains("${{") {
                continue;
            }
        }
        cx.report(
            step.file,
            step.node,
            format!(
                "`{uses}` leaves the job's token in the checkout for every later step and artifact; set `persist-credentials: false` under `with:`"
            ),
        );
    }
}
