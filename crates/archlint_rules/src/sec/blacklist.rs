//! Bandit's blacklists: calls and imports flagged by their qualified name alone. Each rule
//! file holds its names and its advice; this module words and places the finding.

use crate::{CallSite, FileContext, ImportedModule};

/// Reports a blacklisted call: "`pickle.loads` <advice>".
pub fn report_call(call: &CallSite, cx: &mut FileContext, advice: &str) {
    cx.report(call.range(), format!("`{}` {advice}", call.name()));
}

/// Reports a blacklisted import once per statement, on the statement (where bandit puts it),
/// naming the blacklisted module among `modules` it imports.
pub fn report_import(
    import: &ImportedModule,
    cx: &mut FileContext,
    modules: &[&str],
    advice: &str,
) {
    let range = import.statement;
    if cx.already_reported(range) {
        return;
    }
    let module = modules
        .iter()
        .find(|m| {
            import.name == **m
                || import
                    .name
                    .strip_prefix(**m)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .copied()
        .unwrap_or(import.name.as_str());
    cx.report(range, format!("`{module}` {advice}"));
}

/// Whether the module calls `defusedxml.defuse_stdlib()`, which makes the standard library's
/// XML parsers safe for the whole process.
pub fn defused(cx: &FileContext) -> bool {
    cx.facts
        .calls
        .iter()
        .any(|call| call.callee == "defusedxml.defuse_stdlib")
}
