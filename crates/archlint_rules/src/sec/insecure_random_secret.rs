use std::sync::LazyLock;

use regex::Regex;
use ruff_python_ast::visitor::{Visitor, walk_expr};

use super::secret_names::is_secret_name;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags the `random` module (`random.choice`, `randint`, `getrandbits`, `random.Random`,
    /// ...) or `uuid.uuid1()` used to make a secret: the value is assigned to a secret-named
    /// target (`token = ...`, `user.password = ...`, `data["api_key"] = ...`), or the call is
    /// in a function named like `generate_token`, `make_password`, `create_otp_code`.
    /// Bandit's B311 (SEC311, off by default) flags every `random` call; this rule flags only
    /// the ones that make secrets, at error severity.
    ///
    /// ## Why it matters
    /// Guide §8 (security, tokens): `random` is a Mersenne Twister; after 624 outputs an
    /// attacker can predict every later one, and `uuid1` is a timestamp plus the MAC
    /// address. Secrets come from `secrets`.
    ///
    /// ## Example
    /// ```python
    /// import random, string
    /// def generate_token(length):
    ///     return "".join(random.choice(string.ascii_letters) for _ in range(length))
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import secrets
    /// def generate_token(length):
    ///     return secrets.token_urlsafe(length)
    /// ```
    pub static INSECURE_RANDOM_SECRET = Rule {
        code: "SEC802",
        name: "insecure-random-secret",
        severity: Severity::Error,
        confidence: Some(Medium),
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "S311")],
        check: Check::Stmt {
            kinds: &[
                NodeKind::StmtAssign,
                NodeKind::StmtAnnAssign,
                NodeKind::StmtAugAssign,
                NodeKind::StmtReturn,
                NodeKind::StmtExpr,
            ],
            run: check,
        },
    };
}

/// `random`'s functions (SEC311's list), plus two more that make guessable values.
fn is_random_call(name: &str) -> bool {
    super::non_crypto_random::TARGETS.contains(&name)
        || matches!(name, "random.shuffle" | "uuid.uuid1")
}

static SECRET_MAKER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^_*(gen(erate)?|make|create|new|random|get_random|rand)_?[a-z0-9_]*?(token|password|passwd|salt|key|nonce|otp|code|secret|pin)s?$",
    )
    .expect("valid regex")
});

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let in_maker = cx
        .enclosing_function()
        .is_some_and(|f| SECRET_MAKER_RE.is_match(&f.name));
    let (targets, value): (Vec<&Expr>, Option<&Expr>) = match stmt {
        Stmt::Assign(assign) => (assign.targets.iter().collect(), Some(&assign.value)),
        Stmt::AnnAssign(assign) => (vec![&*assign.target], assign.value.as_deref()),
        Stmt::AugAssign(assign) => (vec![&*assign.target], Some(&assign.value)),
        Stmt::Return(ret) => (Vec::new(), ret.value.as_deref()),
        Stmt::Expr(expr) => (Vec::new(), Some(&*expr.value)),
        _ => return,
    };
    let Some(value) = value else { return };
    let secret_target = targets
        .iter()
        .filter_map(|t| literal::terminal_name(t))
        .find(|name| is_secret_name(name));
    let why = match (secret_target, in_maker) {
        (Some(name), _) => format!("its value becomes the secret `{name}`"),
        (None, true) => format!(
            "`{}` makes a secret from it",
            cx.enclosing_function()
                .map(|f| f.name.as_str())
                .unwrap_or_default()
        ),
        (None, false) => return,
    };
    let mut finder = RandomCalls {
        cx,
        found: Vec::new(),
    };
    finder.visit_expr(value);
    for (range, name) in finder.found {
        cx.report(
            range,
            format!("`{name}` is predictable, and {why}; use `secrets.token_urlsafe`, `secrets.token_hex` or `secrets.choice`"),
        );
    }
}

struct RandomCalls<'c, 'a> {
    cx: &'c FileContext<'a>,
    found: Vec<(TextRange, String)>,
}

impl<'e> Visitor<'e> for RandomCalls<'_, '_> {
    fn visit_expr(&mut self, expr: &'e Expr) {
        if let Expr::Call(call) = expr
            && let Some(name) = self.cx.imported_name(&call.func)
            && is_random_call(&name)
        {
            self.found.push((call.range(), name));
        }
        if !matches!(expr, Expr::Lambda(_)) {
            walk_expr(self, expr);
        }
    }
}
