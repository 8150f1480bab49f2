use super::record_classes::FIELD_CALLS;
use super::secret_names::is_signing_key_name;
use crate::prelude::*;
use archlint_facts::names::ScopeKind;

rule! {
    /// ## What it does
    /// Flags a signing or encryption key (`secret_key`, `SECRET_KEY`, `signing_key`,
    /// `jwt_secret`, `hmac_key`, ...) that defaults to fresh random bytes:
    /// `secrets.token_*()`, `os.urandom()` or `Fernet.generate_key()`, directly, as
    /// `field(default_factory=...)`, as the fallback of `os.getenv`, or as a parameter
    /// default. Only module-level names, class attributes and fields, `self.<key>` in
    /// `__init__`, and parameter defaults are checked: a function that generates a key to
    /// hand out is fine.
    ///
    /// ## Why it matters
    /// Guide §8 (security, signed tokens): a key made when the process starts is different in
    /// every worker and after every restart, so tokens and sessions signed by one process fail
    /// in the next, and the failures look random. Keys come from configuration.
    ///
    /// ## Example
    /// ```python
    /// import secrets
    /// from dataclasses import dataclass, field
    /// @dataclass
    /// class SecurityConfig:
    ///     secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// from dataclasses import dataclass, field
    /// @dataclass
    /// class SecurityConfig:
    ///     secret_key: str = field(default_factory=lambda: os.environ["SECRET_KEY"])
    /// ```
    pub static EPHEMERAL_SIGNING_KEY = Rule {
        code: "SEC805",
        name: "ephemeral-signing-key",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Stmt {
            kinds: &[NodeKind::StmtAssign, NodeKind::StmtAnnAssign, NodeKind::StmtFunctionDef],
            run: check,
        },
    };
}

const GENERATORS: &[&str] = &[
    "secrets.token_bytes",
    "secrets.token_hex",
    "secrets.token_urlsafe",
    "os.urandom",
    "cryptography.fernet.Fernet.generate_key",
];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    match stmt {
        Stmt::FunctionDef(def) => {
            for parameter in def.parameters.iter_non_variadic_params() {
                if let Some(default) = parameter.default.as_deref()
                    && is_signing_key_name(&parameter.parameter.name)
                    && let Some(generator) = generated_key(default, cx)
                {
                    report(cx, default.range(), &parameter.parameter.name, &generator);
                }
            }
        }
        Stmt::Assign(assign) => {
            for target in &assign.targets {
                check_binding(target, &assign.value, cx);
            }
        }
        Stmt::AnnAssign(assign) => {
            if let Some(value) = &assign.value {
                check_binding(&assign.target, value, cx);
            }
        }
        _ => {}
    }
}

fn check_binding(target: &Expr, value: &Expr, cx: &mut FileContext) {
    let name = match target {
        Expr::Name(name) if cx.scopes.current_kind() != ScopeKind::Function => name.id.as_str(),
        Expr::Attribute(attribute)
            if matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
                && cx
                    .enclosing_function()
                    .is_some_and(|f| f.name.as_str() == "__init__") =>
        {
            attribute.attr.as_str()
        }
        _ => return,
    };
    if !is_signing_key_name(name) {
        return;
    }
    if let Some(generator) = generated_key(value, cx) {
        report(cx, target.range(), name, &generator);
    }
}

fn report(cx: &mut FileContext, range: TextRange, name: &str, generator: &str) {
    cx.report(
        range,
        format!("`{name}` defaults to a new `{generator}` key in every process, so what one worker or run signs the next rejects; load the key from configuration"),
    );
}

/// The generator a default value calls, looking through `field(default_factory=...)`,
/// `lambda: ...` and `os.getenv(name, <default>)`.
fn generated_key(value: &Expr, cx: &FileContext) -> Option<String> {
    match value {
        Expr::Call(call) => {
            let callee = cx.qualified_name(&call.func)?;
            if GENERATORS.contains(&callee.as_str()) {
                return Some(callee);
            }
            if FIELD_CALLS.contains(&callee.as_str()) {
                let factory = call
                    .arguments
                    .find_keyword("default_factory")
                    .or_else(|| call.arguments.find_keyword("factory"))
                    .or_else(|| call.arguments.find_keyword("default"))?;
                return generated_key(&factory.value, cx);
            }
            if matches!(callee.as_str(), "os.getenv" | "os.environ.get") {
                return call
                    .arguments
                    .args
                    .get(1)
                    .and_then(|d| generated_key(d, cx));
            }
            None
        }
        Expr::Lambda(lambda) => generated_key(&lambda.body, cx),
        Expr::Name(_) | Expr::Attribute(_) => {
            // `default_factory=secrets.token_hex`
            let name = cx.qualified_name(value)?;
            GENERATORS.contains(&name.as_str()).then_some(name)
        }
        _ => None,
    }
}
