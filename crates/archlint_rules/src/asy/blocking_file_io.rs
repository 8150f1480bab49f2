use super::async_context::report_blocking;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags opening files synchronously inside `async def`: `open`, `io.open`, `codecs.open`,
    /// `os.fdopen`, the `tempfile` files, `gzip`/`bz2`/`lzma.open`, `zipfile.ZipFile` and
    /// `tarfile.open`. A warning: local files are usually fast, but network file systems and
    /// large files are not. Ruff's ASYNC230 covers `open` and its aliases; the `tempfile`,
    /// compression and archive openers are archlint's additions.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a coroutine that blocks stops the whole event loop:
    /// every other task, timer and connection waits until the call returns, so one slow call
    /// adds its latency to every request in flight.
    ///
    /// ## Example
    /// ```python
    /// async def save(report, path):
    ///     with open(path, "w") as f:
    ///         f.write(report)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    /// from pathlib import Path
    ///
    /// async def save(report, path):
    ///     await asyncio.to_thread(Path(path).write_text, report)
    /// ```
    pub static BLOCKING_FILE_IO = Rule {
        code: "ASY005",
        name: "blocking-file-io",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("ruff", "ASYNC230")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "open",
    "builtins.open",
    "io.open",
    "codecs.open",
    "os.fdopen",
    "tempfile.TemporaryFile",
    "tempfile.NamedTemporaryFile",
    "tempfile.SpooledTemporaryFile",
    "tempfile.mkstemp",
    "gzip.open",
    "bz2.open",
    "lzma.open",
    "zipfile.ZipFile",
    "tarfile.open",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    report_blocking(
        call,
        cx,
        [
            "read and write in a thread (`await asyncio.to_thread(...)`) or use `aiofiles`",
            "use `await trio.open_file(...)`",
            "use `await anyio.open_file(...)`",
        ],
    );
}
