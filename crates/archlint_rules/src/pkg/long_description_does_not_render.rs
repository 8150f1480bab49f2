use crate::prelude::*;
use archlint_dist::rst;

rule! {
    /// ## What it does
    /// Flags a long description PyPI would not render, as `twine check` does: for
    /// `text/x-rst` (or no `Description-Content-Type`, which PyPI reads as reStructuredText),
    /// unknown or disabled directives, title underlines shorter than the title, inline markup
    /// left open, unknown interpreted text roles and references to missing targets; and a
    /// `Description-Content-Type` other than `text/plain`, `text/x-rst` or `text/markdown`.
    /// Markdown and plain text are accepted as they are.
    ///
    /// ## Why it matters
    /// Guide §7 (include comprehensive metadata for discoverability): PyPI rejects an upload
    /// whose reStructuredText description fails to render, and the release fails at the last
    /// step of the pipeline.
    ///
    /// ## Example
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo-1.0.dist-info/METADATA
    /// Metadata-Version: 2.1
    /// Name: demo
    /// Version: 1.0
    /// Description-Content-Type: text/x-rst
    ///
    /// Demo project
    /// =====
    ///
    /// Call :func:`demo.run`.
    /// ```
    ///
    /// ## Use instead
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo-1.0.dist-info/METADATA
    /// Metadata-Version: 2.1
    /// Name: demo
    /// Version: 1.0
    /// Description-Content-Type: text/x-rst
    ///
    /// Demo project
    /// ============
    ///
    /// Call ``demo.run()``.
    /// ```
    pub static LONG_DESCRIPTION_DOES_NOT_RENDER = Rule {
        code: "PKG017",
        name: "long-description-does-not-render",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("twine", "check"), Peer::related("pyroma", "ValidREST")],
        check: Check::Distribution { run: check },
    };
}

fn check(cx: &mut DistributionContext) {
    let Some((member, metadata)) = &cx.dist.metadata else {
        return;
    };
    let content_type = metadata.content_type();
    match content_type.as_deref() {
        None | Some("text/x-rst") => {
            let Some(description) = &metadata.description else {
                return;
            };
            for problem in rst::check(description) {
                cx.report(
                    Some(member),
                    format!("long description line {}: {}", problem.line, problem.message),
                );
            }
        }
        Some("text/markdown" | "text/plain") => {}
        Some(other) => cx.report(
            Some(member),
            format!("`Description-Content-Type: {other}` is not one PyPI renders; use `text/markdown`, `text/x-rst` or `text/plain`"),
        ),
    }
}
