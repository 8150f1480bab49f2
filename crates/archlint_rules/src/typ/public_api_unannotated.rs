use super::{is_overload_implementation, is_public_function, listed, signature_parameters};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a public function or method — a name without a leading underscore (dunder methods
    /// included) in a module without one, and in `__all__` when the module has one — whose
    /// parameters (other than `self`/`cls`) or return type are not all annotated. Like mypy,
    /// `__init__` needs no `-> None` once a parameter is annotated; the implementation of an
    /// `@overload`ed function, test files and `if TYPE_CHECKING:` blocks are left alone.
    ///
    /// ## Why it matters
    /// Guide §4 (type system mastery): the public API is the contract type checkers hold
    /// callers to. An unannotated parameter is `Any` to every caller, so mistakes pass
    /// silently; strict mode (`disallow_untyped_defs`) rejects such code.
    ///
    /// ## Example
    /// ```python
    /// def load(path, mode="r"):
    ///     return open(path, mode)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from typing import IO
    ///
    /// def load(path: str, mode: str = "r") -> IO[str]:
    ///     return open(path, mode)
    /// ```
    pub static PUBLIC_API_UNANNOTATED = Rule {
        code: "TYP001",
        name: "public-api-unannotated",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[
            Peer::related("ruff", "ANN001"),
            Peer::related("ruff", "ANN201"),
            Peer::related("mypy", "disallow_untyped_defs"),
        ],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    if !is_public_function(function, cx) || is_overload_implementation(function, cx) {
        return;
    }
    let parameters = signature_parameters(function, cx);
    let missing: Vec<String> = parameters
        .iter()
        .filter(|(_, parameter)| parameter.annotation.is_none())
        .map(|(name, _)| name.clone())
        .collect();
    let init_annotated = function.name.as_str() == "__init__"
        && !cx.classes.is_empty()
        && parameters.iter().any(|(_, p)| p.annotation.is_some());
    let return_missing = function.returns.is_none() && !init_annotated;
    if missing.is_empty() && !return_missing {
        return;
    }
    let kind = if cx.classes.is_empty() {
        "function"
    } else {
        "method"
    };
    let what = match (missing.len(), return_missing) {
        (0, _) => "its return type".to_string(),
        (1, false) => format!("parameter {}", listed(&missing)),
        (_, false) => format!("parameters {}", listed(&missing)),
        (1, true) => format!("parameter {} and its return type", listed(&missing)),
        (_, true) => format!("parameters {} and its return type", listed(&missing)),
    };
    cx.report(
        function.name.range(),
        format!(
            "public {kind} `{}` has no annotation for {what}; annotate them so callers are type-checked",
            function.name
        ),
    );
}
