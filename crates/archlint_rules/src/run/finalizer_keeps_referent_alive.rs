use crate::prelude::*;
use ruff_python_ast::visitor::{Visitor, walk_expr};

rule! {
    /// ## What it does
    /// Flags `weakref.finalize(obj, callback, *args)` and `weakref.ref(obj, callback)` where
    /// the callback or its arguments hold a strong reference to `obj`: a bound method of
    /// `obj` (`obj.close`), a lambda that mentions `obj`, or `obj` among the arguments.
    ///
    /// ## Why it matters
    /// Guide §2 (memory and the GC): the finalizer registry keeps the callback alive, the
    /// callback keeps `obj` alive, so `obj` is never collected and the finalizer never runs
    /// (until interpreter exit, if then). The resource it was meant to release leaks.
    ///
    /// ## Example
    /// ```python
    /// import weakref
    ///
    /// class Connection:
    ///     def __init__(self, socket):
    ///         self.socket = socket
    ///         weakref.finalize(self, self.close)
    ///
    ///     def close(self):
    ///         self.socket.close()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import weakref
    ///
    /// class Connection:
    ///     def __init__(self, socket):
    ///         self.socket = socket
    ///         weakref.finalize(self, socket.close)
    /// ```
    pub static FINALIZER_KEEPS_REFERENT_ALIVE = Rule {
        code: "RUN011",
        name: "finalizer-keeps-referent-alive",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call { targets: &["weakref.finalize", "weakref.ref"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let (Some(referent), Some(callback)) = (call.arg(0), call.argument(1, "callback")) else {
        return;
    };
    let Some(name) = literal::dotted(referent) else {
        return;
    };
    let holds = |expr: &Expr| mentions(expr, &name);
    let culprit = match callback {
        // `obj.close`: a bound method holds `obj`.
        Expr::Attribute(attribute)
            if literal::dotted(&attribute.value).as_deref() == Some(name.as_str()) =>
        {
            Some(format!("the bound method `{name}.{}`", attribute.attr))
        }
        Expr::Lambda(lambda) if holds(&lambda.body) => Some("a lambda that uses it".to_string()),
        _ => None,
    }
    .or_else(|| {
        call.args()
            .iter()
            .skip(2)
            .chain(call.keywords().iter().map(|k| &k.value))
            .any(|arg| literal::dotted(arg).as_deref() == Some(name.as_str()))
            .then(|| "an argument".to_string())
    });
    if let Some(culprit) = culprit {
        cx.report(
            call.range(),
            format!("`{}` keeps `{name}` alive through {culprit}, so it is never collected and the callback never runs; give the callback only what the clean-up needs (e.g. `socket.close`), never `{name}` itself", call.name()),
        );
    }
}

/// Whether `expr` mentions the dotted name `name` (or its head).
fn mentions(expr: &Expr, name: &str) -> bool {
    struct Finder<'n> {
        head: &'n str,
        found: bool,
    }
    impl Visitor<'_> for Finder<'_> {
        fn visit_expr(&mut self, expr: &Expr) {
            if matches!(expr, Expr::Name(n) if n.id.as_str() == self.head) {
                self.found = true;
            }
            walk_expr(self, expr);
        }
    }
    let head = name.split('.').next().unwrap_or(name);
    let mut finder = Finder { head, found: false };
    finder.visit_expr(expr);
    finder.found
}
