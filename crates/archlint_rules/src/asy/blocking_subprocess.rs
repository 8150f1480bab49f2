use super::async_context::report_blocking;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags starting a process synchronously inside `async def`: the `subprocess` functions,
    /// `os.system`, `os.popen`, `os.spawn*`, `os.exec*` and `os.posix_spawn*`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a coroutine that blocks stops the whole event loop:
    /// every other task, timer and connection waits until the call returns, so one slow call
    /// adds its latency to every request in flight. Starting and waiting for a process takes
    /// milliseconds to minutes.
    ///
    /// ## Example
    /// ```python
    /// import subprocess
    ///
    /// async def thumbnail(path):
    ///     subprocess.run(["convert", path, "thumb.png"], check=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def thumbnail(path):
    ///     process = await asyncio.create_subprocess_exec("convert", path, "thumb.png")
    ///     await process.wait()
    /// ```
    pub static BLOCKING_SUBPROCESS = Rule {
        code: "ASY003",
        name: "blocking-subprocess",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "ASYNC220"), Peer::related("ruff", "ASYNC221")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "subprocess.Popen",
    "os.system",
    "os.popen",
    "os.posix_spawn",
    "os.posix_spawnp",
    "os.spawnl",
    "os.spawnle",
    "os.spawnlp",
    "os.spawnlpe",
    "os.spawnv",
    "os.spawnve",
    "os.spawnvp",
    "os.spawnvpe",
    "os.execl",
    "os.execle",
    "os.execlp",
    "os.execlpe",
    "os.execv",
    "os.execve",
    "os.execvp",
    "os.execvpe",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    report_blocking(
        call,
        cx,
        [
            "use `await asyncio.create_subprocess_exec(...)`",
            "use `await trio.run_process(...)`",
            "use `await anyio.run_process(...)`",
        ],
    );
}
