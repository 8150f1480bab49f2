use super::shared::module_runs_threads;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags forking in a module that also uses threads (it imports `threading`,
    /// `concurrent.futures` or a thread pool): `os.fork()`, `os.forkpty()`, `pty.fork()`,
    /// and choosing the `"fork"` start method with `multiprocessing.set_start_method` or
    /// `multiprocessing.get_context`.
    ///
    /// ## Why it matters
    /// Guide §2 and §5: `fork()` copies only the calling thread. A lock that another thread
    /// held at that moment stays held forever in the child — in the logging module, the
    /// allocator, an import lock — and the child deadlocks. Python 3.12 warns
    /// (`DeprecationWarning: This process is multi-threaded, use of fork() may lead to
    /// deadlocks`), and 3.14 made `forkserver` the default start method on Linux for this
    /// reason. The GIL never protected against it: it holds on every build.
    ///
    /// ## Example
    /// ```python
    /// import multiprocessing
    /// import threading
    ///
    /// def run(jobs):
    ///     threading.Thread(target=print, daemon=True).start()
    ///     context = multiprocessing.get_context("fork")
    ///     with context.Pool() as pool:
    ///         return pool.map(len, jobs)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import multiprocessing
    /// import threading
    ///
    /// def run(jobs):
    ///     threading.Thread(target=print, daemon=True).start()
    ///     context = multiprocessing.get_context("forkserver")
    ///     with context.Pool() as pool:
    ///         return pool.map(len, jobs)
    /// ```
    pub static FORK_WITH_THREADS = Rule {
        code: "RUN018",
        name: "fork-with-threads",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "PLW1509")],
        check: Check::Call {
            targets: &[
                "os.fork",
                "os.forkpty",
                "pty.fork",
                "multiprocessing.set_start_method",
                "multiprocessing.get_context",
            ],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    let chooses_method = matches!(
        name.as_str(),
        "multiprocessing.set_start_method" | "multiprocessing.get_context"
    );
    if chooses_method
        && call
            .argument(0, "method")
            .and_then(literal::str_ref)
            .is_none_or(|method| method != "fork")
    {
        return;
    }
    if !module_runs_threads(cx) {
        return;
    }
    let what = if chooses_method {
        format!("`{name}(\"fork\")`")
    } else {
        format!("`{name}()`")
    };
    cx.report(
        call.range(),
        format!("{what} in a module that uses threads: the child gets a copy of every lock another thread held, and deadlocks on it; use the \"forkserver\" or \"spawn\" start method, or fork before starting threads"),
    );
}
