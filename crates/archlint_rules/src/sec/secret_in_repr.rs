use super::record_classes::{FIELD_CALLS, hides_from_repr, record};
use super::secret_names::is_secret_name;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a field of a dataclass, attrs class or pydantic model whose name says it holds a
    /// secret (`secret_key`, `password`, `api_key`, `token`, ...) and that the generated
    /// `repr` shows: no `field(repr=False)` (`attr.ib(repr=False)`, `Field(repr=False)`), no
    /// `SecretStr`/`SecretBytes` type, no `repr=False` on the decorator and no `__repr__` of
    /// the class's own. Fields typed `int`, `float` or `bool` (`password_min_length: int`)
    /// hold no secret and are not flagged.
    ///
    /// ## Why it matters
    /// Guide §8 (security, secrets management): the `repr` of a config object ends up in
    /// logs, tracebacks, error trackers and debugger output; every secret field in it leaks
    /// there.
    ///
    /// ## Example
    /// ```python
    /// from dataclasses import dataclass
    /// @dataclass
    /// class SecurityConfig:
    ///     secret_key: str
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from dataclasses import dataclass, field
    /// @dataclass
    /// class SecurityConfig:
    ///     secret_key: str = field(repr=False)
    /// ```
    pub static SECRET_IN_REPR = Rule {
        code: "SEC814",
        name: "secret-in-repr",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtClassDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::ClassDef(class) = stmt else { return };
    let Some(record) = record(class, cx) else {
        return;
    };
    if !record.generated_repr {
        return;
    }
    for item in &class.body {
        // attrs fields may be written without an annotation: `password = attr.ib()`.
        if let Stmt::Assign(assign) = item
            && let [Expr::Name(target)] = assign.targets.as_slice()
            && is_secret_name(&target.id)
            && let Expr::Call(call) = assign.value.as_ref()
            && cx.resolves_to(&call.func, FIELD_CALLS)
            && !hides_from_repr(&assign.value, cx)
        {
            report(cx, target, &class.name, record.kind);
            continue;
        }
        let Stmt::AnnAssign(assign) = item else {
            continue;
        };
        let Expr::Name(target) = assign.target.as_ref() else {
            continue;
        };
        if !is_secret_name(&target.id) {
            continue;
        }
        let annotation = cx.text(assign.annotation.range());
        if annotation.contains("Secret")
            || annotation.contains("ClassVar")
            || annotation.contains("InitVar")
            || matches!(annotation, "int" | "float" | "bool")
            || annotation.starts_with("Optional[int")
            || annotation.starts_with("Optional[bool")
        {
            continue;
        }
        if assign
            .value
            .as_deref()
            .is_some_and(|value| hides_from_repr(value, cx))
        {
            continue;
        }
        report(cx, target, &class.name, record.kind);
    }
}

fn report(cx: &mut FileContext, target: &ast::ExprName, class: &str, kind: &str) {
    cx.report(
        target.range(),
        format!(
            "`{class}.{}` is shown by the {kind}'s `repr`, so it leaks into logs and tracebacks; declare it with `field(repr=False)` or a `SecretStr` type",
            target.id
        ),
    );
}
