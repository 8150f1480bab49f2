use super::secret_names::is_secret_name;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags logging calls (`logging.info(...)`, `logger.warning(...)`, `self.log.error(...)`)
    /// and `print(...)` whose message includes a secret-named value (`password`, `token`,
    /// `api_key`, `secret`, `session_id`, ...): as an argument, inside an f-string, as a `%` or
    /// `.format` argument, or in `extra=`. A value passed through a call (`mask(token)`,
    /// `len(password)`) is not flagged, nor are names about a secret (`token_type`,
    /// `password_length`).
    ///
    /// ## Why it matters
    /// Guide §8 (security, secrets management): logs are copied to aggregators, tickets and
    /// laptops and kept for months; a secret written there has leaked.
    ///
    /// ## Example
    /// ```python
    /// import logging
    /// def login(user, password):
    ///     logging.info(f"login {user} with {password}")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import logging
    /// def login(user, password):
    ///     logging.info("login %s", user)
    /// ```
    pub static SECRET_IN_LOG = Rule {
        code: "SEC813",
        name: "secret-in-log",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::AnyCall { run: check },
    };
}

const LEVELS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(target) = log_call(call, cx) else {
        return;
    };
    let mut values: Vec<&Expr> = call.args().iter().collect();
    if let Some(extra) = call.keyword_value("extra")
        && let Expr::Dict(dict) = extra
    {
        values.extend(dict.iter().map(|item| &item.value));
    }
    for value in values {
        if let Some(secret) = secret_in(value) {
            cx.report(
                call.range(),
                format!(
                    "`{target}` writes `{}` to the log; leave secrets out of messages or mask them",
                    cx.text(secret.range())
                ),
            );
            return;
        }
    }
}

/// The call's name when it writes a log message or prints.
fn log_call(call: &CallSite, cx: &FileContext) -> Option<String> {
    if let Some(qualified) = &call.qualified {
        if qualified.name == "print" && !qualified.imported {
            return Some("print".to_string());
        }
        if qualified.imported
            && let Some(level) = qualified.name.strip_prefix("logging.")
            && LEVELS.contains(&level)
        {
            return Some(qualified.name.clone());
        }
    }
    let method = call.method?;
    if !LEVELS.contains(&method) {
        return None;
    }
    let receiver = call.receiver()?;
    let receiver_name = literal::terminal_name(receiver)?.to_ascii_lowercase();
    if !receiver_name.contains("log") {
        return None;
    }
    if call.qualified.as_ref().is_some_and(|q| q.imported) {
        return None;
    }
    Some(
        literal::dotted(&call.call.func)
            .unwrap_or_else(|| cx.text(call.call.func.range()).to_string()),
    )
}

/// The secret-named value a message argument includes, looking into f-strings, `%`,
/// `.format(...)` and `+`, but not into other calls.
fn secret_in(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {
            let name = literal::terminal_name(expr)?;
            is_secret_name(name).then_some(expr)
        }
        Expr::FString(fstring) => fstring.value.f_strings().find_map(|f| {
            f.elements.iter().find_map(|element| match element {
                ast::InterpolatedStringElement::Interpolation(interpolation) => {
                    secret_in(&interpolation.expression)
                }
                ast::InterpolatedStringElement::Literal(_) => None,
            })
        }),
        Expr::BinOp(binop) => secret_in(&binop.left).or_else(|| secret_in(&binop.right)),
        Expr::Tuple(tuple) => tuple.elts.iter().find_map(secret_in),
        Expr::Dict(dict) => dict.iter().find_map(|item| secret_in(&item.value)),
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Attribute(attribute) if attribute.attr.as_str() == "format" => {
                call.arguments.args.iter().find_map(secret_in).or_else(|| {
                    call.arguments
                        .keywords
                        .iter()
                        .find_map(|k| secret_in(&k.value))
                })
            }
            _ => None,
        },
        _ => None,
    }
}
