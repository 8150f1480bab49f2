use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `extractall()` on a tar archive (in a module that imports `tarfile`) without a
    /// safe `filter="data"` (or `"tar"`): an error when nothing limits the members, a warning
    /// when `members=` is given but its content cannot be seen, and advice (`info`) when
    /// `members=` is a function call (a filtering function, to be reviewed).
    ///
    /// Bandit accepts only `filter="data"`; archlint also accepts `filter="tar"`, which blocks
    /// the same path escapes.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, input validation): a tar archive can hold members
    /// named `../../etc/cron.d/x` or absolute paths, and links pointing anywhere; extracting it
    /// as is writes outside the target folder (CVE-2007-4559).
    ///
    /// ## Example
    /// ```python
    /// import tarfile
    ///
    /// with tarfile.open(upload) as archive:
    ///     archive.extractall("out")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import tarfile
    ///
    /// with tarfile.open(upload) as archive:
    ///     archive.extractall("out", filter="data")
    /// ```
    pub static TARFILE_UNSAFE_MEMBERS = Rule {
        code: "SEC202",
        name: "tarfile-unsafe-members",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(High, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B202"), Peer::same("ruff", "S202")],
        check: Check::Call { targets: &[".extractall", "tarfile.TarFile.extractall"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if !cx.imports_module("tarfile") {
        return;
    }
    let safe_filter = call
        .keyword_value("filter")
        .and_then(literal::str_ref)
        .is_some_and(|filter| filter == "data" || filter == "tar");
    if safe_filter {
        return;
    }
    match call.keyword_value("members") {
        None => cx.report(
            call.range(),
            "`extractall()` without `filter=\"data\"` writes archive members wherever their names point, outside the folder included; pass `filter=\"data\"`",
        ),
        Some(Expr::Call(_)) => cx.report_rated(
            call.range(),
            "`extractall(members=...)` relies on that function to drop unsafe members; check it, or pass `filter=\"data\"`",
            Some(Severity::Info),
            Some(Low),
        ),
        Some(_) => cx.report_rated(
            call.range(),
            "`extractall(members=...)` with members that cannot be checked here may write outside the folder; pass `filter=\"data\"`",
            Some(Severity::Warning),
            Some(Medium),
        ),
    }
}
