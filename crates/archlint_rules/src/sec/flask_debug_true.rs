use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `.run(debug=True)` in a module that imports `flask` (`app.run(debug=True)`).
    /// Bandit rates it HIGH severity; archlint makes it an error.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): Flask's debug mode serves the Werkzeug debugger,
    /// an interactive Python console in the browser. Anyone who reaches the server can run
    /// code on it.
    ///
    /// ## Example
    /// ```python
    /// from flask import Flask
    ///
    /// app = Flask(__name__)
    /// app.run(debug=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    ///
    /// from flask import Flask
    ///
    /// app = Flask(__name__)
    /// app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    /// ```
    pub static FLASK_DEBUG_TRUE = Rule {
        code: "SEC201",
        name: "flask-debug-true",
        severity: Severity::Error,
        confidence: Some(Medium),
        bandit: bandit(High, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B201"), Peer::same("ruff", "S201")],
        check: Check::Call { targets: &[".run"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if !cx.imports_module("flask") {
        return;
    }
    if let Some(debug) = call.keyword("debug")
        && literal::is_true(&debug.value)
    {
        cx.report(
            debug.range(),
            "`run(debug=True)` serves the Werkzeug debugger, which runs code sent from the browser; never enable it outside local development",
        );
    }
}
