use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `importlib.import_module(name)`, `__import__(name)` and
    /// `importlib.util.spec_from_file_location(..., path)` where the module name or path is
    /// not a string literal: modules chosen at run time (plugins from configuration or the
    /// environment). Advice (`info`): plugin loading is legitimate; the rule marks where the
    /// import graph has a hole.
    ///
    /// ## Why it matters
    /// Guide §3 (metaprogramming): no static tool (type checkers, dead-code finders,
    /// dependency checkers, this one) can see what is imported there, and if the name comes
    /// from input, neither can the reviewer. Entry points (`importlib.metadata.entry_points`)
    /// make plugins declared and discoverable.
    ///
    /// ## Example
    /// ```python
    /// import importlib
    /// import os
    ///
    /// backend = importlib.import_module(os.environ["CACHE_BACKEND"])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from importlib.metadata import entry_points
    ///
    /// backends = {ep.name: ep for ep in entry_points(group="myapp.cache")}
    /// ```
    pub static DYNAMIC_IMPORT_NAME = Rule {
        code: "META017",
        name: "dynamic-import-name",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Call {
            targets: &["importlib.import_module", "__import__", "builtins.__import__", "importlib.util.spec_from_file_location"],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    let argument = if name.ends_with("spec_from_file_location") {
        call.argument(1, "location")
    } else {
        call.argument(0, "name")
    };
    let Some(argument) = argument else { return };
    if literal::str_ref(cx.follow(argument)).is_some() {
        return;
    }
    cx.report(
        call.range(),
        format!("`{name}` of a module chosen at run time hides it from every static tool; declare plugins as entry points, or map names to modules explicitly"),
    );
}
