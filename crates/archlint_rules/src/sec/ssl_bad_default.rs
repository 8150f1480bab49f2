use super::ssl_versions::bad_protocol;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags functions whose parameter defaults to SSLv2, SSLv3, TLS 1.0 or TLS 1.1
    /// (`def connect(host, version=ssl.PROTOCOL_TLSv1)`). The finding is on the `def` line.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): every caller that does not pass the argument gets a
    /// protocol with practical attacks (POODLE, BEAST), and few callers pass it.
    ///
    /// ## Example
    /// ```python
    /// import ssl
    ///
    /// def connect(host, version=ssl.PROTOCOL_TLSv1):
    ///     ...
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ssl
    ///
    /// def connect(host, version=ssl.PROTOCOL_TLS_CLIENT):
    ///     ...
    /// ```
    pub static SSL_BAD_DEFAULT = Rule {
        code: "SEC503",
        name: "ssl-bad-default",
        severity: Severity::Warning,
        confidence: Some(Medium),
        bandit: bandit(Medium, Medium),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B503"), Peer::same("ruff", "S503")],
        check: Check::Stmt { kinds: &[NodeKind::StmtFunctionDef], run: check },
    };
}

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    let found = function
        .parameters
        .iter_non_variadic_params()
        .find_map(|p| {
            let protocol = bad_protocol(p.default.as_deref()?)?;
            Some((p.parameter.name.to_string(), protocol))
        });
    if let Some((parameter, protocol)) = found {
        cx.report(
            function.name.range(),
            format!("`{}` defaults `{parameter}` to `{protocol}`, a broken protocol version; default to TLS 1.2 or later", function.name),
        );
    }
}
