use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `asyncio.gather(*...)` over a comprehension, generator or `map` of a collection
    /// known only at run time, in a module that creates no `asyncio.Semaphore`,
    /// `BoundedSemaphore` or `anyio.CapacityLimiter`: one task per item, all at once. Advice
    /// (`info`): small fixed fan-outs are fine.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): ten thousand items become ten thousand concurrent
    /// connections or queries; the remote side rate-limits or falls over, and memory grows
    /// with the input. A semaphore bounds the concurrency.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def fetch_all(client, urls):
    ///     return await asyncio.gather(*[client.get(url) for url in urls])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def fetch_all(client, urls):
    ///     limit = asyncio.Semaphore(20)
    ///
    ///     async def fetch(url):
    ///         async with limit:
    ///             return await client.get(url)
    ///
    ///     return await asyncio.gather(*[fetch(url) for url in urls])
    /// ```
    pub static UNBOUNDED_GATHER = Rule {
        code: "ASY018",
        name: "unbounded-gather",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call { targets: &["asyncio.gather"], run: check },
    };
}

const LIMITERS: &[&str] = &[
    "asyncio.Semaphore",
    "asyncio.BoundedSemaphore",
    "anyio.CapacityLimiter",
    "anyio.Semaphore",
    "trio.CapacityLimiter",
    "trio.Semaphore",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let unbounded = call.args().iter().any(|arg| {
        let Expr::Starred(starred) = arg else {
            return false;
        };
        match starred.value.as_ref() {
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }) => generators
                .iter()
                .any(|generator| !is_literal_collection(&generator.iter)),
            Expr::Call(map) => {
                cx.qualified_name(&map.func).as_deref() == Some("map")
                    && map
                        .arguments
                        .args
                        .get(1)
                        .is_some_and(|items| !is_literal_collection(items))
            }
            _ => false,
        }
    });
    if !unbounded || uses_a_limiter(cx) {
        return;
    }
    cx.report(
        call.range(),
        "`asyncio.gather` starts one task per item, all at once; bound the concurrency with an `asyncio.Semaphore`",
    );
}

fn is_literal_collection(expr: &Expr) -> bool {
    match expr {
        Expr::List(list) => list.elts.len() <= 16,
        Expr::Tuple(tuple) => tuple.elts.len() <= 16,
        Expr::Call(call) => {
            matches!(call.func.as_ref(), Expr::Name(name) if name.id.as_str() == "range")
                && call
                    .arguments
                    .args
                    .iter()
                    .all(|a| literal::int(a).is_some_and(|n| n <= 16))
        }
        _ => false,
    }
}

/// Whether the module creates a semaphore or capacity limiter anywhere before this point.
fn uses_a_limiter(cx: &FileContext) -> bool {
    cx.facts
        .calls
        .iter()
        .any(|call| LIMITERS.contains(&call.callee.as_str()))
}
