use ruff_python_ast::visitor::{Visitor, walk_expr};

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `.timestamp()` on a value made from `datetime.utcnow()` or
    /// `datetime.utcfromtimestamp()` (directly, after arithmetic such as `+ timedelta(...)`,
    /// or through a local assigned in the same function). Unlike ruff's DTZ003/DTZ004, which
    /// flag every call, this fires only where the naive value is turned into an epoch, where
    /// it is wrong.
    ///
    /// ## Why it matters
    /// Guide §8 (security, signed tokens): `utcnow()` returns a naive datetime, and
    /// `.timestamp()` reads a naive datetime as *local* time. On any machine not set to UTC,
    /// token expiry (`exp`, `iat`) is off by the UTC offset: tokens expire hours early or live
    /// hours too long.
    ///
    /// ## Example
    /// ```python
    /// from datetime import datetime, timedelta
    /// def expiry(hours):
    ///     return (datetime.utcnow() + timedelta(hours=hours)).timestamp()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from datetime import datetime, timedelta, timezone
    /// def expiry(hours):
    ///     return (datetime.now(timezone.utc) + timedelta(hours=hours)).timestamp()
    /// ```
    pub static NAIVE_UTC_TIMESTAMP = Rule {
        code: "SEC803",
        name: "naive-utc-timestamp",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "DTZ003"), Peer::related("ruff", "DTZ004")],
        check: Check::Call { targets: &[".timestamp"], run: check },
    };
}

const NAIVE_UTC: &[&str] = &[
    "datetime.datetime.utcnow",
    "datetime.datetime.utcfromtimestamp",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    if !call.args().is_empty() {
        return;
    }
    let Some(receiver) = call.receiver() else {
        return;
    };
    let receiver = cx.follow(receiver);
    let mut finder = NaiveUtc { cx, found: None };
    finder.visit_expr(receiver);
    let Some(found) = finder.found else { return };
    cx.report(
        call.range(),
        format!("`.timestamp()` reads the naive result of `{found}` as local time, so the epoch is off by the UTC offset; use `datetime.now(timezone.utc)`"),
    );
}

struct NaiveUtc<'c, 'a> {
    cx: &'c FileContext<'a>,
    found: Option<String>,
}

impl<'e> Visitor<'e> for NaiveUtc<'_, '_> {
    fn visit_expr(&mut self, expr: &'e Expr) {
        if self.found.is_some() {
            return;
        }
        if let Expr::Call(call) = expr
            && let Some(name) = self.cx.qualified_name(&call.func)
            && NAIVE_UTC.contains(&name.as_str())
        {
            self.found = Some(name.strip_prefix("datetime.").unwrap_or(&name).to_string());
            return;
        }
        // Only look through arithmetic and `.replace(...)`-style chains, not into other calls.
        match expr {
            Expr::BinOp(_) | Expr::Call(_) | Expr::Attribute(_) => walk_expr(self, expr),
            _ => {}
        }
    }
}
