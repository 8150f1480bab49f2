//! Tables and tests shared by several security rules: the process-starting calls bandit
//! groups as `subprocess`, `shell` and `no_shell`, and the `shell=` truth test.

use crate::CallSite;
use archlint_facts::literal;
use ruff_python_ast::Expr;

/// Calls that start a process without a shell unless told (`shell=True`); bandit's
/// `subprocess` list.
pub const SUBPROCESS_CALLS: &[&str] = &[
    "subprocess.Popen",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.run",
];

/// Calls that always run their command through a shell; bandit's `shell` list.
pub const SHELL_CALLS: &[&str] = &[
    "os.system",
    "os.popen",
    "os.popen2",
    "os.popen3",
    "os.popen4",
    "popen2.popen2",
    "popen2.popen3",
    "popen2.popen4",
    "popen2.Popen3",
    "popen2.Popen4",
    "commands.getoutput",
    "commands.getstatusoutput",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
];

/// Calls that start a process directly, without a shell; bandit's `no_shell` list.
pub const NO_SHELL_CALLS: &[&str] = &[
    "os.execl",
    "os.execle",
    "os.execlp",
    "os.execlpe",
    "os.execv",
    "os.execve",
    "os.execvp",
    "os.execvpe",
    "os.spawnl",
    "os.spawnle",
    "os.spawnlp",
    "os.spawnlpe",
    "os.spawnv",
    "os.spawnve",
    "os.spawnvp",
    "os.spawnvpe",
    "os.startfile",
];

/// Whether the call passes a `shell=` that is true or not known to be false. As bandit
/// does, any value other than a falsy literal (`False`, `None`, `0`, `""`, `[]`, `{}`) counts.
pub fn has_truthy_shell(call: &CallSite) -> bool {
    call.keyword_value("shell")
        .is_some_and(|value| !is_falsy(value))
}

fn is_falsy(value: &Expr) -> bool {
    match value {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Tuple(tuple) => tuple.elts.is_empty(),
        Expr::Dict(dict) => dict.is_empty(),
        _ => literal::is_falsy_literal(value),
    }
}

/// Every process-starting call bandit knows: `subprocess`, `shell` and `no_shell` lists.
pub fn is_process_call(name: &str) -> bool {
    SUBPROCESS_CALLS.contains(&name)
        || SHELL_CALLS.contains(&name)
        || NO_SHELL_CALLS.contains(&name)
}

/// Where bandit reports a process call: on its `shell=` argument if it has one.
pub fn shell_or_call_range(call: &CallSite) -> ruff_text_size::TextRange {
    use ruff_text_size::Ranged;
    call.keyword("shell").map_or(call.range(), Ranged::range)
}
