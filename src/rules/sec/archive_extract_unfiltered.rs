use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags archive extraction without a member filter: `shutil.unpack_archive(...)` and, in
    /// files that import `tarfile`, `<archive>.extractall(...)`/`.extract(...)` without
    /// `filter=` ("data" or a function, Python 3.12+ and security backports). Bandit's B202
    /// only looks at `extractall` on a `tarfile.open` it can see. `zipfile` extraction is not
    /// flagged: `zipfile` already drops absolute paths and `..` from member names.
    ///
    /// ## Why it matters
    /// Guide §8 (security, input validation): a tar member named `../../.ssh/authorized_keys`
    /// or a symlink to `/etc` writes outside the target folder. The `"data"` filter refuses
    /// such members (and is the default only from Python 3.14).
    ///
    /// ## Example
    /// ```python
    /// import tarfile
    /// def unpack(path, dest):
    ///     with tarfile.open(path) as archive:
    ///         archive.extractall(dest)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import tarfile
    /// def unpack(path, dest):
    ///     with tarfile.open(path) as archive:
    ///         archive.extractall(dest, filter="data")
    /// ```
    pub static ARCHIVE_EXTRACT_UNFILTERED = Rule {
        code: "SEC811",
        name: "archive-extract-unfiltered",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "S202")],
        check: Check::Call {
            targets: &["shutil.unpack_archive", ".extractall", ".extract"],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if call.keyword("filter").is_some() || call.has_unpacking() {
        return;
    }
    let name = if call.is("shutil.unpack_archive") {
        if call.arg(3).is_some() {
            return;
        }
        "shutil.unpack_archive".to_string()
    } else {
        if !cx.imports_module("tarfile") {
            return;
        }
        // `zip_file.extractall()` in a file that also handles tarballs.
        let receiver = call.receiver().and_then(literal::dotted).unwrap_or_default();
        if receiver.to_ascii_lowercase().contains("zip") {
            return;
        }
        // `TarFile.extract(member, path)` takes the member first; `extractall(path)` the path.
        format!("{receiver}.{}", call.method.unwrap_or("extractall"))
    };
    cx.report(
        call.range(),
        format!("`{name}` without `filter=` extracts members with absolute paths, `..` or links outside the target; pass `filter=\"data\"`"),
    );
}
