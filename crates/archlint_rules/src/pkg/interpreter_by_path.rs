use ruff_python_ast::Expr;

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports `subprocess` calls, `os.system`, `os.popen` and the `os.exec*`/`os.spawn*`
    /// functions whose command starts with a bare `python`, `python3`, `pip`, `pip3`,
    /// `pytest` or `twine` — a program looked up on `PATH` — as a list's first item or the
    /// first word of a command string.
    ///
    /// ## Why it matters
    /// Guide §7 (`build_and_publish.py` runs `["python", "-m", "build"]`) and §8 (its
    /// updater runs `pip install`): the `python` or `pip` found on `PATH` is often not the
    /// interpreter running the code — another virtualenv, the system Python — so packages
    /// land in the wrong environment or the wrong version runs. `sys.executable -m` is the
    /// running interpreter.
    ///
    /// ## Example
    /// ```python
    /// import subprocess
    ///
    /// subprocess.run(["pip", "install", "requests"], check=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import subprocess
    /// import sys
    ///
    /// subprocess.run([sys.executable, "-m", "pip", "install", "requests"], check=True)
    /// ```
    pub static INTERPRETER_BY_PATH = Rule {
        code: "PKG008",
        name: "interpreter-by-path",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call {
            targets: &[
                "subprocess.run",
                "subprocess.call",
                "subprocess.check_call",
                "subprocess.check_output",
                "subprocess.Popen",
                "asyncio.create_subprocess_exec",
                "asyncio.create_subprocess_shell",
                "os.system",
                "os.popen",
                "os.execvp",
                "os.execlp",
                "os.spawnvp",
                "os.spawnlp",
            ],
            run: check,
        },
    };
}

const PATH_PROGRAMS: &[&str] = &["python", "python3", "pip", "pip3", "pytest", "twine"];

fn check(call: &CallSite, cx: &mut FileContext) {
    // `os.execvp(file, args)` and `os.spawnvp(mode, file, args)` name the program first.
    let index = match call.qualified.as_ref().map(|q| q.name.as_str()) {
        Some("os.spawnvp" | "os.spawnlp") => 1,
        _ => 0,
    };
    let Some(command) = call.arg(index) else {
        return;
    };
    let program = match command {
        Expr::List(list) => list.elts.first().and_then(literal::string),
        Expr::Tuple(tuple) => tuple.elts.first().and_then(literal::string),
        other => {
            literal::string(other).and_then(|text| text.split_whitespace().next().map(String::from))
        }
    };
    let Some(program) = program else {
        return;
    };
    let program = program.as_str();
    if !PATH_PROGRAMS.contains(&program) {
        return;
    }
    let module = match program {
        "python" | "python3" => String::new(),
        "pip3" => " -m pip".to_string(),
        other => format!(" -m {other}"),
    };
    cx.report(
        command.range(),
        format!(
            "`{program}` is looked up on `PATH`, which may not be the interpreter running this code: run `sys.executable{module}` instead"
        ),
    );
}
