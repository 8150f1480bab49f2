use super::report_dead_code;
use crate::prelude::*;
use archlint_analysis::deadcode::DeadKind;

rule! {
    /// ## What it does
    /// Reports functions, classes, methods and properties whose name is read nowhere in the
    /// project (60% confidence; 50% when an unknown decorator may register them). Names are
    /// matched across every module, as vulture does: `order.save()` anywhere keeps every
    /// `save` alive, `getattr(obj, "save")` and `__all__` entries count, and so do entry
    /// points in `pyproject.toml`. Dunder methods, tests and test hooks in test files,
    /// `@overload`s, nested `Meta`/`Config` classes, functions registered by a framework
    /// decorator (`@app.route`, `@pytest.fixture`, `@receiver`, `@register.filter`, …, and
    /// `[tool.archlint.deadcode] used-decorators`), and subclasses registered by an
    /// `__init_subclass__` are left alone.
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns): a package's public surface is what its users
    /// may depend on, and its private code is what the team must maintain. Code nothing
    /// calls is both cost and risk — it is read, refactored and security-reviewed for
    /// nothing, and it misleads readers about what the system does.
    ///
    /// ## Example
    /// ```python
    /// def total(prices):
    ///     return sum(prices)
    ///
    /// def legacy_total(prices):
    ///     return sum(p for p in prices)
    ///
    /// print(total([1, 2]))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def total(prices):
    ///     return sum(prices)
    ///
    /// print(total([1, 2]))
    /// ```
    pub static UNUSED_DEFINITION = Rule {
        code: "ARCH012",
        name: "unused-definition",
        severity: Severity::Info,
        confidence: Some(Confidence::Medium),
        bandit: None,
        default_enabled: false,
        peers: &[
            Peer::same("vulture", "V103"),
            Peer::same("vulture", "V102"),
            Peer::same("vulture", "V105"),
            Peer::same("vulture", "V106"),
        ],
        check: Check::Project {
            run: check,
            reads: &[Analysis::DeadCode],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    report_dead_code(
        cx,
        &[
            DeadKind::Function,
            DeadKind::Class,
            DeadKind::Method,
            DeadKind::Property,
        ],
    );
}
