use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a call to `reveal_type(...)` (the built-in name type checkers know, or
    /// `typing.reveal_type` / `typing_extensions.reveal_type`) outside `if TYPE_CHECKING:`,
    /// in code that is not a test.
    ///
    /// ## Why it matters
    /// Guide §4 (`DataProcessor.process_data`): `reveal_type` is a question to the type
    /// checker. Left in code, it prints to stderr on every call from Python 3.11, and raises
    /// `NameError` on older versions unless imported.
    ///
    /// ## Example
    /// ```python
    /// def process_data(data: list[int]) -> int:
    ///     reveal_type(data)
    ///     return sum(data)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def process_data(data: list[int]) -> int:
    ///     return sum(data)
    /// ```
    pub static REVEAL_TYPE_AT_RUNTIME = Rule {
        code: "TYP009",
        name: "reveal-type-at-runtime",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call {
            targets: &["reveal_type", "typing.reveal_type", "typing_extensions.reveal_type"],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if cx.in_type_checking || cx.role == Role::Tests {
        return;
    }
    cx.report(
        call.range(),
        "`reveal_type` runs at run time: it prints on every call (and is a `NameError` before Python 3.11 unless imported); remove it once the type checker has answered",
    );
}
