use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a module that imports more than one async library among `asyncio`, `trio` and
    /// `curio` without going through `anyio`. The finding is on the first import of the
    /// second library.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): each library runs its own event loop; a `trio`
    /// primitive awaited on an `asyncio` loop (or the reverse) fails at run time, and code
    /// written for both needs `anyio`, which runs on either.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// import trio
    ///
    /// async def pause():
    ///     await trio.sleep(1)
    ///     await asyncio.sleep(1)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import anyio
    ///
    /// async def pause():
    ///     await anyio.sleep(1)
    /// ```
    pub static MIXED_ASYNC_BACKENDS = Rule {
        code: "ASY024",
        name: "mixed-async-backends",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Import { modules: BACKENDS, run: check },
    };
}

const BACKENDS: &[&str] = &["asyncio", "trio", "curio"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    if cx.imports_module("anyio") {
        return;
    }
    let this = import.name.split('.').next().unwrap_or_default();
    // The imports seen so far, this one included: report when a second library appears.
    let earlier = BACKENDS.iter().find(|other| {
        **other != this
            && cx
                .facts
                .imports
                .iter()
                .any(|fact| fact.module.split('.').next() == Some(**other))
    });
    let Some(earlier) = earlier else { return };
    let first_of_this = cx
        .facts
        .imports
        .iter()
        .filter(|fact| fact.module.split('.').next() == Some(this))
        .count()
        == 1;
    if first_of_this {
        cx.report(
            import.statement,
            format!("this module uses both `{earlier}` and `{this}`, whose event loops do not mix; write it against one of them, or against `anyio`"),
        );
    }
}
