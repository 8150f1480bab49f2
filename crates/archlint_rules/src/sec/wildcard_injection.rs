use super::helpers::{SHELL_CALLS, SUBPROCESS_CALLS, has_truthy_shell, shell_or_call_range};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags shell commands that run `chown`, `chmod`, `tar` or `rsync` with a `*` wildcard:
    /// `os.system("tar cf backup.tar *")`, or a `subprocess` call with `shell=True`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): the shell expands `*` to the file names in the
    /// folder, and these programs read names that start with `-` as options. A file named
    /// `--checkpoint-action=exec=sh evil.sh` makes `tar cf x.tar *` run a script.
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// os.system("tar cf backup.tar *")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import shutil
    ///
    /// shutil.make_archive("backup", "tar", root_dir=".")
    /// ```
    pub static WILDCARD_INJECTION = Rule {
        code: "SEC609",
        name: "wildcard-injection",
        severity: Severity::Error,
        confidence: Some(Medium),
        bandit: bandit(High, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B609"), Peer::same("ruff", "S609")],
        check: Check::Several(&[
            Check::Call { targets: SHELL_CALLS, run: check },
            Check::Call { targets: SUBPROCESS_CALLS, run: check },
        ]),
    };
}

const PROGRAMS: &[&str] = &["chown", "chmod", "tar", "rsync"];

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    if SUBPROCESS_CALLS.contains(&name.as_str()) && !has_truthy_shell(call) {
        return;
    }
    let Some(command) = call.args().first() else {
        return;
    };
    let text = match command {
        Expr::List(list) => list
            .elts
            .iter()
            .filter_map(literal::str_ref)
            .collect::<Vec<_>>()
            .join(" "),
        _ => literal::str_ref(command).unwrap_or_default().to_string(),
    };
    let Some(program) = PROGRAMS.iter().find(|p| text.contains(**p)) else {
        return;
    };
    if !text.contains('*') {
        return;
    }
    cx.report(
        shell_or_call_range(call),
        format!("`{name}` runs `{program}` with a `*` the shell expands; file names starting with `-` become options. Pass explicit paths (or `--` before them)"),
    );
}
