use super::async_context::report_blocking;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags file-system calls inside `async def`: `os.path` queries, `os` file and folder
    /// operations, `shutil` copies and removals, `glob`. A warning: each call is usually quick,
    /// but a slow disk or network mount stalls the loop.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a coroutine that blocks stops the whole event loop:
    /// every other task, timer and connection waits until the call returns, so one slow call
    /// adds its latency to every request in flight.
    ///
    /// ## Example
    /// ```python
    /// import shutil
    ///
    /// async def clean(folder):
    ///     shutil.rmtree(folder)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    /// import shutil
    ///
    /// async def clean(folder):
    ///     await asyncio.to_thread(shutil.rmtree, folder)
    /// ```
    pub static BLOCKING_FS_CALL = Rule {
        code: "ASY006",
        name: "blocking-fs-call",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "ASYNC240")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "os.path.exists",
    "os.path.isfile",
    "os.path.isdir",
    "os.path.islink",
    "os.path.getsize",
    "os.path.getmtime",
    "os.path.getctime",
    "os.path.getatime",
    "os.path.realpath",
    "os.path.samefile",
    "os.stat",
    "os.lstat",
    "os.listdir",
    "os.scandir",
    "os.walk",
    "os.remove",
    "os.unlink",
    "os.rename",
    "os.replace",
    "os.makedirs",
    "os.mkdir",
    "os.rmdir",
    "os.removedirs",
    "os.chmod",
    "os.chown",
    "os.truncate",
    "shutil.copy",
    "shutil.copy2",
    "shutil.copyfile",
    "shutil.copytree",
    "shutil.move",
    "shutil.rmtree",
    "shutil.disk_usage",
    "glob.glob",
    "glob.iglob",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    report_blocking(
        call,
        cx,
        [
            "run it in a thread (`await asyncio.to_thread(...)`) or use `aiofiles.os`",
            "use `trio.Path` or `trio.to_thread.run_sync`",
            "use `anyio.Path` or `anyio.to_thread.run_sync`",
        ],
    );
}
