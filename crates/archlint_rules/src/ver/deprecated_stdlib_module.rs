use crate::prelude::*;
use archlint_facts::ImportKind;

rule! {
    /// ## What it does
    /// Flags imports of modules that still exist but are deprecated: `sre_compile`,
    /// `sre_constants`, `sre_parse` (since 3.11), `profile` (pending removal), and
    /// `pkg_resources` (setuptools; being removed). `optparse` and `getopt` are only "soft"
    /// deprecated and reported as advice (`info`). Guarded imports are not flagged.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): deprecated modules go away in a later release;
    /// moving off them is cheaper now than under a deadline.
    ///
    /// ## Example
    /// ```python
    /// import pkg_resources
    ///
    /// version = pkg_resources.get_distribution("requests").version
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from importlib.metadata import version
    ///
    /// installed = version("requests")
    /// ```
    pub static DEPRECATED_STDLIB_MODULE = Rule {
        code: "VER007",
        name: "deprecated-stdlib-module",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("pylint", "W4901")],
        check: Check::Import { modules: MODULES, run: check },
    };
}

const MODULES: &[&str] = &[
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "profile",
    "pkg_resources",
    "optparse",
    "getopt",
];

/// (module, why, replacement, soft)
fn deprecation(module: &str) -> Option<(&'static str, &'static str, bool)> {
    Some(match module {
        "sre_compile" | "sre_constants" | "sre_parse" => {
            ("is deprecated since Python 3.11", "`re`", false)
        }
        "profile" => (
            "is deprecated and scheduled for removal",
            "`cProfile`",
            false,
        ),
        "pkg_resources" => (
            "is deprecated and being removed from setuptools",
            "`importlib.metadata` and `importlib.resources`",
            false,
        ),
        "optparse" => ("is soft-deprecated (no new features)", "`argparse`", true),
        "getopt" => ("is soft-deprecated (no new features)", "`argparse`", true),
        _ => return None,
    })
}

fn check(import: &ImportedModule, cx: &mut FileContext) {
    if matches!(
        import.kind,
        ImportKind::Conditional | ImportKind::TypeChecking
    ) {
        return;
    }
    let module = import.name.split('.').next().unwrap_or_default();
    let Some((why, replacement, soft)) = deprecation(module) else {
        return;
    };
    if cx.already_reported(import.statement) {
        return;
    }
    let message = format!("`{module}` {why}; use {replacement}");
    if soft {
        cx.report_rated(import.statement, message, Some(Severity::Info), None);
    } else {
        cx.report(import.statement, message);
    }
}
