use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags archive extraction without a member filter: `shutil.unpack_archive(...)` and
    /// `<archive>.extractall(...)`/`.extract(...)` without `filter=` ("data" or a function,
    /// Python 3.12+ and security backports) where `<archive>` is known to be a tar file: the
    /// result of `tarfile.open(...)`, directly, through a local, or bound by
    /// `with tarfile.open(...) as archive`, or a name that says `tar`. Other `.extract(...)`
    /// calls (wrappers such as Django's own `Archive`, which validates members) are not
    /// flagged. Bandit's B202
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
        let Some(receiver_expr) = call.receiver() else {
            return;
        };
        if !is_tar_archive(receiver_expr, cx) {
            return;
        }
        let receiver = literal::dotted(receiver_expr).unwrap_or_default();
        // `TarFile.extract(member, path)` takes the member first; `extractall(path)` the path.
        format!("{receiver}.{}", call.method.unwrap_or("extractall"))
    };
    cx.report(
        call.range(),
        format!("`{name}` without `filter=` extracts members with absolute paths, `..` or links outside the target; pass `filter=\"data\"`"),
    );
}

const TAR_OPENERS: &[&str] = &["tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open"];

/// Whether `receiver` is a `tarfile` archive, as far as the function shows.
fn is_tar_archive(receiver: &Expr, cx: &FileContext) -> bool {
    let opened_tar =
        |expr: &Expr| matches!(expr, Expr::Call(call) if cx.resolves_to(&call.func, TAR_OPENERS));
    if opened_tar(cx.follow(receiver)) {
        return true;
    }
    let Some(name) = literal::terminal_name(receiver) else {
        return false;
    };
    let words = name.to_ascii_lowercase();
    if words
        .split('_')
        .any(|w| matches!(w, "tar" | "tarball" | "tarfile" | "tf"))
    {
        return true;
    }
    let Expr::Name(name) = receiver else {
        return false;
    };
    cx.enclosing_function()
        .is_some_and(|f| with_binds(&f.body, name.id.as_str(), &opened_tar))
}

/// Whether a `with <opener> as <name>` in `body` (at any depth) binds `name`.
fn with_binds(body: &[Stmt], name: &str, opened_tar: &dyn Fn(&Expr) -> bool) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::With(with) => {
            with.items.iter().any(|item| {
                opened_tar(&item.context_expr)
                    && matches!(item.optional_vars.as_deref(), Some(Expr::Name(n)) if n.id.as_str() == name)
            }) || with_binds(&with.body, name, opened_tar)
        }
        Stmt::If(stmt) => {
            with_binds(&stmt.body, name, opened_tar)
                || stmt
                    .elif_else_clauses
                    .iter()
                    .any(|clause| with_binds(&clause.body, name, opened_tar))
        }
        Stmt::Try(stmt) => {
            with_binds(&stmt.body, name, opened_tar)
                || with_binds(&stmt.finalbody, name, opened_tar)
                || with_binds(&stmt.orelse, name, opened_tar)
        }
        Stmt::For(stmt) => with_binds(&stmt.body, name, opened_tar),
        Stmt::While(stmt) => with_binds(&stmt.body, name, opened_tar),
        _ => false,
    })
}
