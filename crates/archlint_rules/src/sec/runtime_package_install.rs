use std::sync::LazyLock;

use regex::Regex;

use super::helpers::{NO_SHELL_CALLS, SHELL_CALLS, SUBPROCESS_CALLS};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags code that installs packages while it runs: a process started with
    /// `subprocess`/`os.system`/`os.exec*`/`asyncio.create_subprocess_*` whose command says
    /// `pip install`, `python -m pip install`, `uv pip install`, `conda install` or
    /// `ensurepip`, and `pip.main(["install", ...])` (or `pip._internal`'s `main`). Scripts
    /// (developer tooling: `scripts/`, `tools/`, `noxfile.py`) are not checked; tests and docs
    /// examples are, since a suite that installs packages while it runs is just as unpinned.
    ///
    /// ## Why it matters
    /// Guide §8 (security, supply chain): dependencies are pinned, hashed and reviewed at
    /// build time. An install at run time pulls whatever the index serves that day, unpinned
    /// and unreviewed, into a production process.
    ///
    /// ## Example
    /// ```python
    /// import subprocess
    /// def upgrade(package, version):
    ///     subprocess.run(["pip", "install", f"{package}>={version}"], check=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import subprocess
    /// def audit():
    ///     subprocess.run(["pip-audit", "--strict"], check=True)
    /// ```
    pub static RUNTIME_PACKAGE_INSTALL = Rule {
        code: "SEC804",
        name: "runtime-package-install",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "S603")],
        check: Check::AnyCall { run: check },
        roles: Roles::of(&[Role::Package, Role::Tests, Role::Docs]),
    };
}

static INSTALL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|[\s/\\])(pip(3(\.\d+)?)?(\.exe)?\s+install\b|uv\s+pip\s+install\b|(conda|mamba|micromamba)\s+install\b|-m\s+ensurepip\b)",
    )
    .expect("valid regex")
});

const PROCESS_CALLS: &[&[&str]] = &[
    SUBPROCESS_CALLS,
    SHELL_CALLS,
    NO_SHELL_CALLS,
    &[
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
    ],
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(qualified) = &call.qualified else {
        return;
    };
    let name = qualified.name.as_str();
    let pip_api = qualified.imported
        && matches!(
            name,
            "pip.main" | "pip._internal.main" | "pip._internal.cli.main.main"
        );
    let process = PROCESS_CALLS.iter().any(|calls| calls.contains(&name));
    if !pip_api && !process {
        return;
    }
    let mut words = Vec::new();
    for arg in call.args() {
        collect_words(arg, &mut words);
    }
    let command = words.join(" ");
    if pip_api {
        if words.iter().any(|word| word == "install") {
            cx.report(
                call.range(),
                format!("`{name}([\"install\", ...])` installs packages while the program runs; declare the dependency and install it, pinned, at build time"),
            );
        }
        return;
    }
    if let Some(found) = INSTALL_RE.find(&command) {
        let what = found
            .as_str()
            .trim_start_matches([' ', '/', '\\'])
            .to_string();
        cx.report(
            call.range(),
            format!("`{name}` runs `{what}` while the program runs, installing unpinned, unreviewed packages; declare the dependency and install it, pinned, at build time"),
        );
    }
}

/// The literal words of a command: string literals (whole), the literal parts of f-strings,
/// and the elements of lists and tuples; `sys.executable` stands for `python`.
fn collect_words(expr: &Expr, words: &mut Vec<String>) {
    match expr {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            for elt in elts {
                collect_words(elt, words);
            }
        }
        Expr::StringLiteral(_) | Expr::FString(_) | Expr::BinOp(_) => {
            words.push(literal::string_parts(expr));
        }
        _ => words.push("?".to_string()),
    }
}
