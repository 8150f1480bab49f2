use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `time.sleep(...)`, and `asyncio.sleep`/`trio.sleep`/`anyio.sleep`/`gevent.sleep`
    /// with a delay other than a literal `0`, in test modules (those pytest's `python_files`
    /// or unittest's `test*.py` name) and `conftest.py`: in tests, fixtures and helpers there.
    ///
    /// Left alone: a sleep inside a loop (a poll or a retry, which waits on a condition), and
    /// a helper sleeping for a time its caller passes (`def pause(seconds)`).
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): a sleep in a test is a guess at how long something
    /// takes. Too short and the test is flaky on a loaded CI machine; long enough and it is
    /// slow on every run, for every developer, and the delays add up across the suite. Waiting
    /// on the event itself, or controlling the clock, makes the test both fast and
    /// deterministic.
    ///
    /// ## Example
    /// ```python
    /// # file: tests/test_cache.py
    /// import time
    ///
    /// def test_cache_expires(cache):
    ///     cache.set("k", 1, ttl=1)
    ///     time.sleep(1.1)
    ///     assert cache.get("k") is None
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: tests/test_cache.py
    /// def test_cache_expires(cache, time_machine):
    ///     cache.set("k", 1, ttl=1)
    ///     time_machine.shift(1.1)
    ///     assert cache.get("k") is None
    /// ```
    pub static SLEEP_IN_TEST = Rule {
        code: "TST003",
        name: "sleep-in-test",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "time.sleep",
    "asyncio.sleep",
    "trio.sleep",
    "anyio.sleep",
    "gevent.sleep",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let file_name = cx
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if file_name != "conftest.py" && !cx.options.pytest.collects_file(file_name) {
        return;
    }
    // Inside a loop the sleep is a poll or a retry: it waits on a condition, with a bound.
    let in_loop = cx
        .stmt_parents
        .iter()
        .rev()
        .take_while(|s| !matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_)))
        .any(|s| matches!(s, Stmt::For(_) | Stmt::While(_)));
    if in_loop {
        return;
    }
    let Some(delay) = call
        .argument(0, "delay")
        .or_else(|| call.argument(0, "seconds"))
    else {
        return;
    };
    // `sleep(0)` yields to other threads or tasks; it does not wait.
    if let Expr::NumberLiteral(number) = delay {
        let zero = match &number.value {
            ast::Number::Int(int) => int.as_u64() == Some(0),
            ast::Number::Float(float) => *float == 0.0,
            ast::Number::Complex { .. } => false,
        };
        if zero {
            return;
        }
    }
    // A helper that sleeps for the time its caller gives (`def pause(seconds)`) is a wrapper:
    // its callers decide.
    if let Expr::Name(name) = delay
        && cx.enclosing_function().is_some_and(|def| {
            def.parameters
                .iter()
                .any(|p| p.name().as_str() == name.id.as_str())
        })
    {
        return;
    }
    let name = call.name();
    let delay = cx.text(delay.range());
    cx.report(
        call.range(),
        format!(
            "`{name}({delay})` in test code makes the suite slower and flaky; wait on the event itself, or move the clock (time-machine, freezegun)"
        ),
    );
}
