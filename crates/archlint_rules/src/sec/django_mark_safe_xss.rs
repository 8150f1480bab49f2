use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags Django's `mark_safe(x)` (and `SafeString(x)`, `SafeText(x)`, …) when `x` is not
    /// known to be a fixed string. Fixed means a string literal, `"literal".format(...)` or
    /// `"literal" % (...)` whose values are themselves fixed, or a local name last assigned
    /// such a value (not a parameter). SEC308 flags every `mark_safe` call; this rule the ones
    /// that can carry input.
    ///
    /// Like bandit, archlint follows a name to its assignments in the same function; where
    /// bandit requires every assignment before the call to be fixed, archlint looks at the
    /// last one.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, input validation): Django escapes everything put
    /// into a template except what is marked safe. A marked string that holds any user input
    /// lets that user inject script into the page (XSS).
    ///
    /// ## Example
    /// ```python
    /// from django.utils.safestring import mark_safe
    ///
    /// def badge(user):
    ///     return mark_safe(f"<span>{user.name}</span>")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from django.utils.html import format_html
    ///
    /// def badge(user):
    ///     return format_html("<span>{}</span>", user.name)
    /// ```
    pub static DJANGO_MARK_SAFE_XSS = Rule {
        code: "SEC703",
        name: "django-mark-safe-xss",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B703"), Peer::related("ruff", "S308")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "django.utils.safestring.mark_safe",
    "django.utils.safestring.SafeText",
    "django.utils.safestring.SafeUnicode",
    "django.utils.safestring.SafeString",
    "django.utils.safestring.SafeBytes",
];

/// How far a chain of names and `.format` arguments is followed.
const MAX_DEPTH: usize = 8;

fn check(call: &CallSite, cx: &mut FileContext) {
    let Some(value) = call.args().first() else {
        return;
    };
    if is_fixed(value, cx, 0) {
        return;
    }
    let name = call.name();
    let short = name.rsplit('.').next().unwrap_or(&name);
    cx.report(
        call.range(),
        format!("`{short}` on a value built at run time can let user input into the page unescaped; build the HTML with `format_html()`"),
    );
}

/// Whether `expr` is a string fixed in the source (see the rule's docs).
fn is_fixed(expr: &Expr, cx: &FileContext, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match expr {
        Expr::StringLiteral(_) => true,
        Expr::Name(name) => {
            let is_parameter = cx.enclosing_function().is_some_and(|function| {
                function
                    .parameters
                    .iter()
                    .any(|p| p.name().as_str() == name.id.as_str())
            });
            !is_parameter
                && cx
                    .local_value(&name.id)
                    .is_some_and(|value| is_fixed(value, cx, depth + 1))
        }
        // `"<b>{}</b>".format(fixed, ...)` without keywords.
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Attribute(attribute)
                if attribute.attr.as_str() == "format"
                    && attribute.value.is_string_literal_expr()
                    && call.arguments.keywords.is_empty() =>
            {
                call.arguments.args.iter().all(|arg| match arg {
                    Expr::Starred(starred) => match starred.value.as_ref() {
                        Expr::List(list) => list.elts.iter().all(|e| is_fixed(e, cx, depth + 1)),
                        Expr::Tuple(tuple) => tuple.elts.iter().all(|e| is_fixed(e, cx, depth + 1)),
                        _ => false,
                    },
                    _ => is_fixed(arg, cx, depth + 1),
                })
            }
            _ => false,
        },
        // `"<b>%s</b>" % (fixed, ...)`.
        Expr::BinOp(binop)
            if binop.op == ast::Operator::Mod && binop.left.is_string_literal_expr() =>
        {
            match binop.right.as_ref() {
                Expr::Tuple(tuple) => tuple.elts.iter().all(|e| is_fixed(e, cx, depth + 1)),
                right => is_fixed(right, cx, depth + 1),
            }
        }
        _ => false,
    }
}
