use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `chmod` calls (`os.chmod`, `os.fchmod`, `os.lchmod`, `Path.chmod`, any callee
    /// whose
    /// name contains `chmod`) whose mode, known statically, lets the group or others write or
    /// execute the file (`S_IWOTH`, `S_IWGRP`, `S_IXGRP`, `S_IXOTH`). World-writable is an
    /// error; the rest a warning. The mode may be a number (`0o777`) or `stat` flags joined
    /// with `|`.
    ///
    /// Bandit reads only two-argument calls with an integer mode; archlint also reads `stat`
    /// flags, `mode=` keywords and one-argument `Path.chmod(mode)` calls.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): a file others can write can be replaced by them (a
    /// script, a config, a key); one they can execute is part of the attack surface.
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// os.chmod("/etc/app/config.toml", 0o777)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    ///
    /// os.chmod("/etc/app/config.toml", 0o600)
    /// ```
    pub static PERMISSIVE_FILE_MODE = Rule {
        code: "SEC103",
        name: "permissive-file-mode",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B103"), Peer::same("ruff", "S103")],
        check: Check::AnyCall { run: check },
    };
}

const S_IWOTH: i64 = 0o002;
const S_IXOTH: i64 = 0o001;
const S_IWGRP: i64 = 0o020;
const S_IXGRP: i64 = 0o010;

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    let callee = name.rsplit('.').next().unwrap_or_default();
    if !callee.contains("chmod") {
        return;
    }
    // `os.chmod(path, mode)`; `Path(...).chmod(mode)` takes the mode first.
    let mode = call
        .keyword_value("mode")
        .or_else(|| match call.args().len() {
            1 if call.method.is_some() => call.arg(0),
            _ => call.arg(1),
        });
    let Some(mode) = mode.and_then(|m| mode_value(m, cx)) else {
        return;
    };
    if mode & (S_IWOTH | S_IWGRP | S_IXGRP | S_IXOTH) == 0 {
        return;
    }
    let (severity, what) = if mode & S_IWOTH != 0 {
        (Severity::Error, "lets anyone write the file")
    } else if mode & S_IWGRP != 0 {
        (Severity::Warning, "lets the group write the file")
    } else {
        (
            Severity::Warning,
            "lets the group or others execute the file",
        )
    };
    cx.report_rated(
        call.range(),
        format!(
            "`{name}` with mode {mode:#o} {what}; use `0o600` for data and `0o700` for programs"
        ),
        Some(severity),
        Some(High),
    );
}

/// A mode known statically: an integer, or `stat.S_*` flags (and integers) joined with `|`.
fn mode_value(expr: &Expr, cx: &FileContext) -> Option<i64> {
    if let Some(value) = literal::int(expr) {
        return Some(value);
    }
    match expr {
        Expr::BinOp(binop) if binop.op == ast::Operator::BitOr => {
            Some(mode_value(&binop.left, cx)? | mode_value(&binop.right, cx)?)
        }
        Expr::Name(_) | Expr::Attribute(_) => {
            let name = cx.qualified_name(expr)?;
            stat_flag(name.strip_prefix("stat.")?)
        }
        _ => None,
    }
}

fn stat_flag(name: &str) -> Option<i64> {
    Some(match name {
        "S_ISUID" => 0o4000,
        "S_ISGID" => 0o2000,
        "S_ISVTX" => 0o1000,
        "S_IRWXU" => 0o700,
        "S_IRUSR" | "S_IREAD" => 0o400,
        "S_IWUSR" | "S_IWRITE" => 0o200,
        "S_IXUSR" | "S_IEXEC" => 0o100,
        "S_IRWXG" => 0o070,
        "S_IRGRP" => 0o040,
        "S_IWGRP" => S_IWGRP,
        "S_IXGRP" => S_IXGRP,
        "S_IRWXO" => 0o007,
        "S_IROTH" => 0o004,
        "S_IWOTH" => S_IWOTH,
        "S_IXOTH" => S_IXOTH,
        _ => return None,
    })
}
