use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags string literals (and the literal pieces of f-strings) that start with a shared
    /// temporary folder: `/tmp`, `/var/tmp`, `/dev/shm`, or the folders configured in
    /// `[tool.archlint.security] tmp-dirs`. Unlike bandit, a path must be in the folder, not
    /// merely share its prefix: `/tmpfiles` is not flagged.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): every user of the machine can write to these folders.
    /// A fixed name there can be created first by someone else (or as a link to a file of
    /// yours), who then reads or redirects what the program writes.
    ///
    /// ## Example
    /// ```python
    /// with open("/tmp/report.csv", "w") as f:
    ///     f.write(data)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import tempfile
    ///
    /// with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ///     f.write(data)
    /// ```
    pub static HARDCODED_TEMP_PATH = Rule {
        code: "SEC108",
        name: "hardcoded-temp-path",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: bandit(Medium, Medium),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B108"), Peer::same("ruff", "S108")],
        check: Check::Expr { kinds: &[NodeKind::ExprStringLiteral, NodeKind::ExprFString], run: check },
    };
}

fn check(expr: &Expr, cx: &mut FileContext) {
    // Unlike bandit's plain prefix test, `/tmpfiles` is not in `/tmp`.
    let in_temp = |text: &str| {
        cx.options.tmp_dirs.iter().any(|dir| {
            let dir = dir.trim_end_matches('/');
            text.strip_prefix(dir)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    let path = match expr {
        Expr::StringLiteral(string) => Some(string.value.to_str()).filter(|s| in_temp(s)),
        // Bandit reads the literal pieces of an f-string as strings of their own.
        Expr::FString(fstring) => fstring.value.f_strings().find_map(|f| {
            f.elements.iter().find_map(|element| match element {
                ast::InterpolatedStringElement::Literal(literal) if in_temp(&literal.value) => {
                    Some(&*literal.value)
                }
                _ => None,
            })
        }),
        _ => None,
    };
    if let Some(path) = path {
        let shown: String = path.chars().take(60).collect();
        cx.report(
            expr.range(),
            format!("`{shown}` is in a folder every user can write to; create the file with `tempfile` instead"),
        );
    }
}
