use crate::prelude::*;
use archlint_analysis::types::api::ignore_rest;
use ruff_python_ast::token::TokenKind;

rule! {
    /// ## What it does
    /// Flags a `# type: ignore` comment without an error code in brackets
    /// (`# type: ignore[attr-defined]`), and a `# pyright: ignore` without a rule name.
    ///
    /// ## Why it matters
    /// Guide §4 (strict mode): a bare `# type: ignore` silences every error on the line,
    /// including the ones introduced later by someone else. With a code, only the expected
    /// error is silenced, and mypy's `warn_unused_ignores` tells when it is no longer needed.
    ///
    /// ## Example
    /// ```python
    /// import yaml  # type: ignore
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import yaml  # type: ignore[import-untyped]
    /// ```
    pub static BLANKET_TYPE_IGNORE = Rule {
        code: "TYP005",
        name: "blanket-type-ignore",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::same("ruff", "PGH003")],
        check: Check::Source { run: check },
    };
}

fn check(cx: &mut FileContext) {
    if !cx.source.contains("ignore") {
        return;
    }
    let tokens = cx.tokens;
    for token in tokens.iter().filter(|t| t.kind() == TokenKind::Comment) {
        let text = cx.text(token.range());
        for pragma in ["type:", "pyright:"] {
            if let Some(rest) = ignore_rest(text, pragma)
                && !rest.trim_start().starts_with('[')
            {
                cx.report(
                    token.range(),
                    format!("`# {pragma} ignore` without an error code silences every error on the line; name the one expected (`# {pragma} ignore[code]`)"),
                );
            }
        }
    }
}
