use ruff_python_ast::visitor::{Visitor, walk_expr};

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags code that turns off TLS certificate checks outside `requests`/`httpx` (which
    /// bandit's B501 covers): `<ctx>.check_hostname = False`, `<ctx>.verify_mode =
    /// ssl.CERT_NONE`, `ssl._create_default_https_context = ssl._create_unverified_context`,
    /// `aiohttp` `ssl=False`/`verify_ssl=False` (on `TCPConnector` or a request),
    /// `urllib3.PoolManager(cert_reqs="CERT_NONE")` and friends, and
    /// `urllib3.disable_warnings(InsecureRequestWarning)`. Assignments to `self.check_hostname`
    /// and `self.verify_mode` are not flagged: they are context-like classes (compatibility
    /// shims) setting their own defaults.
    ///
    /// ## Why it matters
    /// Guide §8 (security, transport): without certificate checks anyone on the network path
    /// can impersonate the server and read or change the traffic. Silencing the warning hides
    /// that it happens.
    ///
    /// ## Example
    /// ```python
    /// import ssl
    /// context = ssl.create_default_context()
    /// context.check_hostname = False
    /// context.verify_mode = ssl.CERT_NONE
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ssl
    /// context = ssl.create_default_context(cafile="internal-ca.pem")
    /// ```
    pub static TLS_VERIFICATION_DISABLED = Rule {
        code: "SEC812",
        name: "tls-verification-disabled",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "S501")],
        check: Check::Stmt {
            kinds: &[
                NodeKind::StmtAssign,
                NodeKind::StmtAnnAssign,
                NodeKind::StmtExpr,
                NodeKind::StmtReturn,
                NodeKind::StmtWith,
            ],
            run: check,
        },
    };
}

const URLLIB3_POOLS: &[&str] = &[
    "urllib3.PoolManager",
    "urllib3.ProxyManager",
    "urllib3.HTTPSConnectionPool",
    "urllib3.connection_from_url",
    "urllib3.poolmanager.PoolManager",
    "urllib3.connectionpool.HTTPSConnectionPool",
];

const AIOHTTP_METHODS: &[&str] = &[
    "request",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "ws_connect",
];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let mut exprs: Vec<&Expr> = Vec::new();
    match stmt {
        Stmt::Assign(assign) => {
            for target in &assign.targets {
                check_assignment(target, &assign.value, cx);
            }
            exprs.push(&assign.value);
        }
        Stmt::AnnAssign(assign) => {
            if let Some(value) = &assign.value {
                check_assignment(&assign.target, value, cx);
                exprs.push(value);
            }
        }
        Stmt::Expr(expr) => exprs.push(&expr.value),
        Stmt::Return(ret) => exprs.extend(ret.value.as_deref()),
        Stmt::With(with) => exprs.extend(with.items.iter().map(|item| &item.context_expr)),
        _ => {}
    }
    let mut calls = Calls(Vec::new());
    for expr in exprs {
        calls.visit_expr(expr);
    }
    for call in calls.0 {
        check_call(call, cx);
    }
}

struct Calls<'e>(Vec<&'e ast::ExprCall>);

impl<'e> Visitor<'e> for Calls<'e> {
    fn visit_expr(&mut self, expr: &'e Expr) {
        if let Expr::Call(call) = expr {
            self.0.push(call);
        }
        if !matches!(expr, Expr::Lambda(_)) {
            walk_expr(self, expr);
        }
    }
}

fn check_assignment(target: &Expr, value: &Expr, cx: &mut FileContext) {
    let Expr::Attribute(attribute) = target else {
        return;
    };
    // `self.check_hostname = False` in a class body's methods: a context-like class setting
    // its own defaults (compatibility shims), not code turning checks off on a real context.
    if matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
        && attribute.attr.as_str() != "_create_default_https_context"
    {
        return;
    }
    let shown = cx.text(target.range());
    let message = match attribute.attr.as_str() {
        "check_hostname" if literal::is_false(value) => {
            format!("`{shown} = False` accepts a certificate for any host; keep hostname checking on")
        }
        "verify_mode" if is_cert_none(value, cx) => {
            format!("`{shown} = ssl.CERT_NONE` accepts any certificate; keep `ssl.CERT_REQUIRED` and trust the right CA")
        }
        "_create_default_https_context"
            if cx.qualified_name(value).is_some_and(|q| q == "ssl._create_unverified_context") =>
        {
            "`ssl._create_default_https_context = ssl._create_unverified_context` turns off certificate checks for every HTTPS request in the process; trust the right CA instead".to_string()
        }
        _ => return,
    };
    cx.report(target.range(), message);
}

fn is_cert_none(value: &Expr, cx: &FileContext) -> bool {
    match value {
        Expr::StringLiteral(s) => matches!(s.value.to_str(), "CERT_NONE" | "NONE"),
        _ => cx
            .qualified_name(value)
            .is_some_and(|q| q == "ssl.CERT_NONE" || q == "ssl.VerifyMode.CERT_NONE"),
    }
}

fn check_call(call: &ast::ExprCall, cx: &mut FileContext) {
    let qualified = cx.qualified_name(&call.func).unwrap_or_default();
    let keyword = |name: &str| call.arguments.find_keyword(name).map(|k| &k.value);
    if URLLIB3_POOLS.contains(&qualified.as_str())
        && keyword("cert_reqs").is_some_and(|v| is_cert_none(v, cx))
    {
        cx.report(
            call.range(),
            format!("`{qualified}` with `cert_reqs=CERT_NONE` accepts any certificate; keep `CERT_REQUIRED`"),
        );
        return;
    }
    if matches!(
        qualified.as_str(),
        "urllib3.disable_warnings" | "requests.packages.urllib3.disable_warnings"
    ) {
        let insecure = call.arguments.args.first().is_none_or(|arg| {
            literal::terminal_name(arg).is_some_and(|n| n == "InsecureRequestWarning")
        });
        if insecure {
            cx.report(
                call.range(),
                format!("`{qualified}` hides the warning that certificates are not checked; fix the verification instead of silencing it"),
            );
        }
        return;
    }
    let aiohttp_call = qualified == "aiohttp.TCPConnector"
        || qualified.starts_with("aiohttp.")
            && AIOHTTP_METHODS.contains(&qualified.rsplit('.').next().unwrap_or_default())
        || (cx.imports_module("aiohttp")
            && !cx.imports_module("requests")
            && !cx.imports_module("httpx")
            && match call.func.as_ref() {
                Expr::Attribute(attribute) => AIOHTTP_METHODS.contains(&attribute.attr.as_str()),
                _ => false,
            });
    if aiohttp_call {
        for name in ["ssl", "verify_ssl"] {
            if keyword(name).is_some_and(literal::is_false) {
                let shown = literal::dotted(&call.func).unwrap_or(qualified.clone());
                cx.report(
                    call.range(),
                    format!("`{shown}` with `{name}=False` accepts any certificate; pass an `ssl.SSLContext` that trusts the right CA"),
                );
                return;
            }
        }
    }
}
