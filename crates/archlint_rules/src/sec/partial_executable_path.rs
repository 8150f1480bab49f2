use super::helpers::is_process_call;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags process-starting calls (`subprocess.*`, `os.system`, `os.exec*`, `os.spawn*`, …)
    /// whose program is a literal that is not an absolute path: `"git"`, `["ls", "-l"]`,
    /// `"make deploy"`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): a program named without its path is looked up in
    /// `PATH`; whoever can put a folder early in `PATH` (or a file in the working directory on
    /// Windows) chooses what runs.
    ///
    /// ## Example
    /// ```python
    /// import subprocess
    ///
    /// subprocess.run(["git", "pull"], check=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import shutil
    /// import subprocess
    ///
    /// subprocess.run([shutil.which("git"), "pull"], check=True)
    /// ```
    pub static PARTIAL_EXECUTABLE_PATH = Rule {
        code: "SEC607",
        name: "partial-executable-path",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B607"), Peer::same("ruff", "S607")],
        check: Check::AnyCall { run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(mut program) = call.args().first() else {
        return;
    };
    let name = call.name();
    if !is_process_call(&name) {
        return;
    }
    if let Expr::List(list) = program
        && let Some(first) = list.elts.first()
    {
        program = first;
    }
    let Some(program) = literal::str_ref(program) else {
        return;
    };
    if is_full_path(program) {
        return;
    }
    let executable = program.split_whitespace().next().unwrap_or(program);
    cx.report(
        call.range(),
        format!("`{name}` runs `{executable}` found through `PATH`; give the absolute path (e.g. from `shutil.which`)"),
    );
}

/// Bandit's test: a drive letter (`C:`), or a path starting with `/`, `\` or `.`.
fn is_full_path(program: &str) -> bool {
    let mut chars = program.chars();
    match (chars.next(), chars.next()) {
        (Some(letter), Some(':')) if letter.is_ascii_alphabetic() => true,
        (Some('/' | '\\' | '.'), _) => true,
        _ => false,
    }
}
